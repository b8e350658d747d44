/**
 * The `bnb` backend (our own set-packing branch and bound, issue 13): exact against brute force
 * through `solve()` (lossless and wei-scale rounded models, whose refinement sends extra rows),
 * exact on random packing problems with every setting, decompositions and caching exercised,
 * the corpus optima HiGHS proves quickly, and honest statuses and bounds on a time limit.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInstanceFile } from '../src/formats/files.js';
import { formatAmount } from '../src/model/money.js';
import { strengthenCliques } from '../src/solver/bnb-cliques.js';
import { bnbBackend, lastBnbStats, solveBnb } from '../src/solver/bnb.js';
import { getBackend } from '../src/solver/backends.js';
import { highsBackend } from '../src/solver/highs.js';
import type { LinearRow, PackingProblem } from '../src/solver/problem.js';
import { solve } from '../src/solver/solve.js';
import { instances, nearTies } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { bruteForceValue, recheck } from './support/oracle.js';

const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: PROPERTY_SEED, numRuns });
const small = instances({ maxRollups: 6, maxBids: 12, maxAmount: 1000n, groups: true });
const wei = instances({ maxRollups: 6, minBids: 2, maxBids: 12, minAmount: 10n ** 18n, maxAmount: 10n ** 24n, groups: true });
const nearTieMarkets = nearTies(7, 8);

/** A random packing problem: columns as random subsets of `items` items, integer weights, optional extra rows. */
const packing = (maxCols: number, items: number, extra: boolean): fc.Arbitrary<PackingProblem> =>
  fc.integer({ min: 1, max: maxCols }).chain((n) => fc.record({
    // Mostly pairs over few items: odd cycles that no clique covers, so the LP is often fractional.
    // Each column lives in one of two blocks of `items` items, so the conflict graph often splits.
    bundles: fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.uniqueArray(fc.integer({ min: 0, max: items - 1 }), { minLength: 1, maxLength: 3 }).filter((b) => b.length >= 2 || n < 4))
      .map(([block, b]) => b.map((i) => block * items + i)), { minLength: n, maxLength: n }),
    weights: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
    extra: extra
      ? fc.array(fc.record({
        cols: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n }),
        kind: fc.constantFrom('cover', 'band', 'cap'),
        rhs: fc.integer({ min: 0, max: 60 }),
      }), { maxLength: 3 })
      : fc.constant([]),
  })).map(({ bundles, weights, extra: rows }) => toProblem(bundles, weights.map((w, j) => 10 * (bundles[j] as number[]).length + w), rows));

/**
 * Two blocks, each an odd cycle of pairs (5 or 7 items: its conflict graph is an odd hole, so
 * the LP is fractional even with clique rows) plus one random bundle inside the block. The
 * blocks are independent: the conflict graph splits at the root and again as columns are fixed.
 */
const oddCycles: fc.Arbitrary<PackingProblem> = fc.array(fc.record({
  length: fc.constantFrom(5, 7),
  extra: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
  weights: fc.array(fc.integer({ min: 10, max: 19 }), { minLength: 8, maxLength: 8 }),
}), { minLength: 2, maxLength: 2 }).map((blocks) => {
  const bundles: number[][] = [];
  const weights: number[] = [];
  blocks.forEach(({ length, extra, weights: w }, k) => {
    const base = 8 * k;
    for (let i = 0; i < length; i++) {
      bundles.push([base + i, base + ((i + 1) % length)]);
      weights.push(w[i] as number);
    }
    bundles.push(extra.map((i) => base + (i % length)).filter((v, i, a) => a.indexOf(v) === i));
    weights.push(w[7] as number);
  });
  return toProblem(bundles, weights, []);
});

function toProblem(bundles: readonly (readonly number[])[], weights: readonly number[], rows: readonly { cols: readonly number[]; kind: 'cover' | 'band' | 'cap'; rhs: number }[]): PackingProblem {
  const byItem = new Map<number, number[]>();
  bundles.forEach((b, j) => { for (const i of b) byItem.set(i, [...(byItem.get(i) ?? []), j]); });
  const packRows = [...byItem.entries()].sort((a, b) => a[0] - b[0]).map(([, cols]) => cols).filter((c) => c.length >= 2);
  const rowStart = new Int32Array(packRows.length + 1);
  packRows.forEach((r, i) => { rowStart[i + 1] = (rowStart[i] as number) + r.length; });
  const extraRows: LinearRow[] = rows.map((r) => {
    const indices = Int32Array.from([...r.cols].sort((a, b) => a - b));
    if (r.kind === 'cover') return { indices, values: new Float64Array(indices.length).fill(1), lower: 1, upper: Infinity };
    const values = Float64Array.from(indices, (j) => weights[j] as number);
    return r.kind === 'band' ? { indices, values, lower: r.rhs - 0.5, upper: Infinity } : { indices, values, lower: -Infinity, upper: r.rhs };
  });
  return { nCols: bundles.length, weight: Float64Array.from(weights), rowStart, rowItems: Int32Array.from(packRows.flat()), extraRows };
}

/** Optimum of a packing problem by trying every subset (null when infeasible). */
function bruteForcePacking(p: PackingProblem): number | null {
  let best: number | null = null;
  const n = p.nCols;
  for (let mask = 0; mask < 1 << n; mask++) {
    if (!feasible(p, mask)) continue;
    let v = 0;
    for (let j = 0; j < n; j++) if ((mask & (1 << j)) !== 0) v += p.weight[j] as number;
    if (best === null || v > best) best = v;
  }
  return best;
}

function feasible(p: PackingProblem, mask: number): boolean {
  for (let r = 0; r + 1 < p.rowStart.length; r++) {
    let c = 0;
    for (let k = p.rowStart[r] as number; k < (p.rowStart[r + 1] as number); k++) if ((mask & (1 << (p.rowItems[k] as number))) !== 0) c++;
    if (c > 1) return false;
  }
  for (const row of p.extraRows) {
    let s = 0;
    row.indices.forEach((j, k) => { if ((mask & (1 << j)) !== 0) s += row.values[k] as number; });
    if (s < row.lower || s > row.upper) return false;
  }
  return true;
}

/** Packing rows hold for a 0/1 vector of any length. */
function feasibleVector(p: PackingProblem, x: Uint8Array): boolean {
  for (let r = 0; r + 1 < p.rowStart.length; r++) {
    let c = 0;
    for (let k = p.rowStart[r] as number; k < (p.rowStart[r + 1] as number); k++) c += x[p.rowItems[k] as number] as number;
    if (c > 1) return false;
  }
  return true;
}

function vectorMask(x: Uint8Array): number {
  let mask = 0;
  x.forEach((v, j) => { if (v === 1) mask |= 1 << j; });
  return mask;
}

describe('bnb: registered as a backend', () => {
  it('resolves by name', async () => {
    expect((await getBackend('bnb')).name).toBe('bnb');
  });
});

describe('bnb: exact answers through solve()', () => {
  it('matches exhaustive search on small instances (reserves, exclusive groups; no presolve, no enumeration)', async () => {
    let mip = 0;
    await fc.assert(fc.asyncProperty(small, async (inst) => {
      const r = await solve(inst, { method: 'exact', backend: 'bnb', presolve: false, enumerationLimit: 1 });
      expect(r.status).toBe('optimal');
      expect(r.method).toBe('exact/bnb');
      expect(recheck(inst, r.winners).value).toBe(r.value);
      expect(r.value).toBe(bruteForceValue(inst));
      expect(r.bound).toBe(r.value);
      if (r.stats.modes.mip !== undefined) mip++;
    }), params(120));
    expect(mip).toBeGreaterThan(40);
  });

  for (const [name, arb, runs] of [['wei-scale amounts (10^18..10^24)', wei, 40], ['near ties of a few wei out of 10^24', nearTieMarkets, 50]] as const) {
    it(`decides ${name} to the unit through the rounded model and its refinement rows`, async () => {
      let rounded = 0;
      await fc.assert(fc.asyncProperty(arb, async (inst) => {
        const r = await solve(inst, { method: 'exact', backend: 'bnb', presolve: false, enumerationLimit: 1 });
        expect(r.status).toBe('optimal');
        expect(recheck(inst, r.winners).value).toBe(r.value);
        expect(r.value).toBe(bruteForceValue(inst));
        if (r.stats.modes['mip-rounded'] !== undefined) rounded++;
      }), params(runs));
      expect(rounded).toBeGreaterThan(runs * 0.5);
    });
  }
});

describe('bnb: exact on random packing problems, every setting', () => {
  const settings = [
    {},
    { bnb_branching: 'dive' },
    { bnb_cliques: false, bnb_split_every: 0 },
    // Every component through a sub-search with its own LP (no enumeration), with and without the cache.
    { bnb_enumerate: 0 },
    { bnb_enumerate: 0, bnb_cache: false, bnb_branching: 'dive', bnb_split_every: 3 },
  ] as const;
  for (const tuning of settings) {
    it(`packing rows only, ${JSON.stringify(tuning)}`, async () => {
      let splits = 0;
      let nodes = 0;
      let components = 0;
      await fc.assert(fc.asyncProperty(fc.oneof(packing(14, 8, false), oddCycles), async (p) => {
        const r = await solveBnb(p, { timeLimitSec: 20, tuning });
        const best = bruteForcePacking(p);
        expect(r.status).toBe('optimal');
        expect(r.x).not.toBeNull();
        const mask = vectorMask(r.x as Uint8Array);
        expect(feasible(p, mask)).toBe(true);
        let v = 0;
        r.x?.forEach((b, j) => { v += b * (p.weight[j] as number); });
        expect(v).toBe(best);
        expect(r.dualBound).toBe(best);
        splits += lastBnbStats?.splits ?? 0;
        nodes += lastBnbStats?.nodes ?? 0;
        components += lastBnbStats?.components ?? 0;
      }), params(60));
      // Beyond the root: nodes of the tree, or components solved on their own.
      expect(nodes + components).toBeGreaterThan(90);
      if (!('bnb_split_every' in tuning && tuning.bnb_split_every === 0)) expect(splits).toBeGreaterThan(5);
    });
  }

  it('medium problems in three blocks (deep trees, reduced-cost fixing, splits below the root): same optimum as HiGHS', async () => {
    const block = fc.array(fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 2, maxLength: 3 }), fc.integer({ min: 0, max: 15 })), { minLength: 20, maxLength: 30 });
    let splits = 0;
    let rcFixed = 0;
    await fc.assert(fc.asyncProperty(fc.array(block, { minLength: 3, maxLength: 3 }), fc.constantFrom<Record<string, string | number | boolean>>({}, { bnb_branching: 'dive' }, { bnb_enumerate: 0 }, { bnb_cliques: false }), async (blocks, tuning) => {
      const cols = blocks.flatMap((b, k) => b.map(([items, w]) => ({ items: items.map((i) => 12 * k + i), w: 20 * items.length + w })));
      const p = toProblem(cols.map((c) => c.items), cols.map((c) => c.w), []);
      const exact = await highsBackend.solve(p, { timeLimitSec: 60 });
      expect(exact.status).toBe('optimal');
      const r = await solveBnb(p, { timeLimitSec: 60, tuning });
      expect(r.status).toBe('optimal');
      let v = 0;
      let h = 0;
      r.x?.forEach((b, j) => { v += b * (p.weight[j] as number); });
      exact.x?.forEach((b, j) => { h += b * (p.weight[j] as number); });
      expect(feasibleVector(p, r.x as Uint8Array)).toBe(true);
      expect(v).toBe(h);
      expect(r.dualBound).toBe(h);
      splits += lastBnbStats?.splits ?? 0;
      rcFixed += lastBnbStats?.rcFixed ?? 0;
    }), params(25));
    expect(splits).toBeGreaterThan(25);
    expect(rcFixed).toBeGreaterThan(100);
  }, 60_000);

  it('with extra rows (covers, bands, caps): optimal, or infeasible exactly when brute force finds nothing', async () => {
    let infeasible = 0;
    let optimal = 0;
    await fc.assert(fc.asyncProperty(packing(12, 10, true), fc.constantFrom('fractional', 'dive'), async (p, branching) => {
      const r = await solveBnb(p, { timeLimitSec: 20, tuning: { bnb_branching: branching } });
      const best = bruteForcePacking(p);
      if (best === null) {
        expect(r.status).toBe('infeasible');
        infeasible++;
        return;
      }
      expect(r.status).toBe('optimal');
      const mask = vectorMask(r.x as Uint8Array);
      expect(feasible(p, mask)).toBe(true);
      expect(r.dualBound).toBe(best);
      optimal++;
    }), params(150));
    expect(infeasible).toBeGreaterThan(5);
    expect(optimal).toBeGreaterThan(50);
  });

  it('ignores an infeasible start and keeps a feasible one as its first incumbent', async () => {
    const p = toProblem([[0], [0, 1], [1], [2]], [5, 9, 5, 1], []);
    const bad = await solveBnb(p, { timeLimitSec: 5, start: Uint8Array.from([1, 1, 0, 0]) });
    expect(bad.status).toBe('optimal');
    expect(Array.from(bad.x as Uint8Array)).toEqual([1, 0, 1, 1]);
    const good = await solveBnb(p, { timeLimitSec: 5, start: Uint8Array.from([0, 1, 0, 1]) });
    expect(good.dualBound).toBe(11);
  });
});

describe('bnb: clique strengthening', () => {
  it('extends rows to maximal cliques that imply them (a triangle of pairwise conflicts becomes one row)', () => {
    // Columns 0..2 conflict pairwise through three different rows; column 3 only with 0.
    const rows = { start: Int32Array.from([0, 2, 4, 6, 8]), items: Int32Array.from([0, 1, 1, 2, 0, 2, 0, 3]) };
    const c = strengthenCliques(4, rows, [1, 1, 1, 1]);
    const cliques = Array.from({ length: c.start.length - 1 }, (_, i) => Array.from(c.items.subarray(c.start[i] as number, c.start[i + 1] as number)));
    expect(cliques).toContainEqual([0, 1, 2]);
    expect(cliques).toContainEqual([0, 3]);
    expect(cliques).toHaveLength(2);
    expect(c.merged).toBe(2);
  });
});

/** Optima proven by native CBC (8 decimals), as in the corpus tests. */
const cbcOptima = (JSON.parse(readFileSync('corpus/optima.json', 'utf8')) as { optima: Record<string, string> }).optima;

describe('bnb: the corpus files HiGHS proves quickly', () => {
  const files = ['cats/matching_40.txt', 'cats/paths_40.txt', 'cats/regions_40.txt', 'cats/arbitrary_40.txt', 'cats/scheduling_40.txt', 'cats/paths_100.txt', 'cats/matching_80.txt', 'sandholm/rand2000_100.txt', 'sandholm/Decay2000_100.txt', 'sandholm/Decay2000_500.txt'];
  for (const file of files) {
    it(file, async () => {
      const instance = await readInstanceFile(`corpus/${file}`);
      const r = await solve(instance, { method: 'exact', backend: 'bnb', timeLimit: 60 });
      expect(r.status).toBe('optimal');
      expect(recheck(instance, r.winners).value).toBe(r.value);
      const cbc = cbcOptima[file] as string;
      expect(formatAmount(r.value, instance.decimals).padEnd(cbc.length, '0')).toBe(cbc);
      const highs = await solve(instance, { method: 'exact', backend: 'highs', timeLimit: 60 });
      expect(highs.value).toBe(r.value);
    }, 60_000);
  }
});

/** A decimal string with up to `decimals` places, in units of 10^-decimals. */
function parseScaled(text: string, decimals: number): bigint {
  const [whole = '0', frac = ''] = text.split('.');
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac.slice(0, decimals).padEnd(decimals, '0')) || '0');
}

describe('bnb: time limits', () => {
  it('returns the best found as feasible, with a bound at least the optimum, when stopped early', async () => {
    // A dense random packing problem (no split): HiGHS proves it, bnb gets 30 ms.
    let seed = 12345;
    const next = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const bundles = Array.from({ length: 400 }, () => Array.from(new Set([next(60), next(60), next(60), next(60)])));
    const weights = bundles.map((b) => 100 * b.length + next(300));
    const p = toProblem(bundles, weights, []);
    const exact = await highsBackend.solve(p, { timeLimitSec: 60 });
    expect(exact.status).toBe('optimal');
    let optimum = 0;
    exact.x?.forEach((b, j) => { optimum += b * (weights[j] as number); });
    const r = await bnbBackend.solve(p, { timeLimitSec: 0.03, start: Uint8Array.from({ length: 400 }, (_, j) => (j === 0 ? 1 : 0)) });
    // On an idle machine this takes longer than 30 ms; a proof within them must then be right.
    expect(['feasible', 'optimal']).toContain(r.status);
    if (r.status === 'optimal') expect(r.dualBound).toBe(optimum);
    expect(r.x).not.toBeNull();
    let v = 0;
    r.x?.forEach((b, j) => { v += b * (weights[j] as number); });
    expect(v).toBeLessThanOrEqual(optimum);
    expect(v).toBeGreaterThanOrEqual(weights[0] as number);
    expect(r.dualBound).not.toBeNull();
    expect(r.dualBound as number).toBeGreaterThanOrEqual(optimum);
  });

  it('solve() with a 3 s limit on a file nobody proves in 60 s: feasible, value at most and bound at least the optimum', async () => {
    const file = 'cats/arbitrary_100.txt';
    const instance = await readInstanceFile(`corpus/${file}`);
    const r = await solve(instance, { method: 'exact', backend: 'bnb', timeLimit: 3 });
    expect(r.status).toBe('feasible');
    expect(recheck(instance, r.winners).value).toBe(r.value);
    const optimum = parseScaled(cbcOptima[file] as string, instance.decimals);
    expect(r.value <= optimum).toBe(true);
    expect(r.bound).not.toBeNull();
    expect((r.bound as bigint) >= optimum).toBe(true);
  }, 30_000);

  it('an aborted signal stops the search with an honest status', async () => {
    const p = toProblem([[0, 1], [1, 2], [0, 2], [3]], [3, 3, 3, 1], []);
    const controller = new AbortController();
    controller.abort();
    const r = await bnbBackend.solve(p, { timeLimitSec: 5, signal: controller.signal });
    expect(['feasible', 'no-solution']).toContain(r.status);
    if (r.dualBound !== null) expect(r.dualBound).toBeGreaterThanOrEqual(4);
  });
});
