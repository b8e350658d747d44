/**
 * Canonical optimum and proof races (issue 13 item 3): the answer of `exact` with `canonical`
 * is the lexicographically greatest optimal allocation (brute force, tie-heavy instances), the
 * same for 1, 2 and 4 workers, and the races really run several strategies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMarket } from '../src/model/market.js';
import type { Instance } from '../src/model/types.js';
import { canonicalCounters, canonicalEnumeration, canonicalise, canonicalShortcuts, lexGreater, priceCertificate } from '../src/solver/canonical.js';
import { solveComponent, type ComponentContext } from '../src/solver/component.js';
import { highsBackend } from '../src/solver/highs.js';
import type { MipBackend } from '../src/solver/problem.js';
import { raceCounters, raceStrategies } from '../src/solver/race.js';
import { solve, type SolveOptions } from '../src/solver/solve.js';
import { generateInstance } from '../src/generators/index.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { recheck } from './support/oracle.js';
import { referencePresolve } from './support/presolve-reference.js';

const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: PROPERTY_SEED, numRuns });

/** Tie-heavy: amounts 1..4 per rollup, reserves, exclusive groups. */
const tied = instances({ maxRollups: 6, minBids: 6, maxBids: 14, minAmount: 1n, maxAmount: 2n, priceBySize: true, maxBundle: 3, groups: true });

/** The same, up to 18 bids over 8 rollups (more left to decide after the bounds). */
const tiedLarger = instances({ maxRollups: 8, minBids: 12, maxBids: 18, minAmount: 1n, maxAmount: 2n, priceBySize: true, maxBundle: 3, groups: true });

/** Gain of each bid: amount minus the reserves of its bundle (recomputed from the instance). */
function gains(inst: Instance): bigint[] {
  const reserve = new Map(inst.rollups.map((r) => [r.id, r.reserve]));
  return inst.bids.map((b) => b.bundle.reduce((g, r) => g - (reserve.get(r) ?? 0n), b.amount));
}

/**
 * Brute force over the allowed bids (indices into `inst.bids`): the optimal value, the
 * lexicographically greatest optimal winner set (0/1 vectors in bid order, earlier bids
 * preferred) and how many optimal sets there are.
 */
function lexOracle(inst: Instance, allowed: readonly number[]): { value: bigint; winners: number[]; optima: number } {
  const gain = gains(inst);
  let best = -1n;
  let winners: number[] = [];
  let optima = 0;
  const chosen: number[] = [];
  const rollups = new Set<string>();
  const groups = new Set<string>();
  const visit = (k: number, value: bigint): void => {
    if (k === allowed.length) {
      if (value > best) {
        best = value;
        winners = [...chosen];
        optima = 1;
      } else if (value === best) {
        optima++;
        if (lexGreaterRef(chosen, winners)) winners = [...chosen];
      }
      return;
    }
    const i = allowed[k] as number;
    const bid = inst.bids[i];
    if (bid !== undefined && bid.bundle.every((r) => !rollups.has(r)) && (bid.exclusive === undefined || !groups.has(bid.exclusive))) {
      bid.bundle.forEach((r) => rollups.add(r));
      if (bid.exclusive !== undefined) groups.add(bid.exclusive);
      chosen.push(i);
      visit(k + 1, value + (gain[i] as bigint));
      chosen.pop();
      bid.bundle.forEach((r) => rollups.delete(r));
      if (bid.exclusive !== undefined) groups.delete(bid.exclusive);
    }
    visit(k + 1, value);
  };
  visit(0, 0n);
  return { value: best, winners, optima };
}

/** Reference lexicographic comparison of ascending index lists as 0/1 vectors. */
function lexGreaterRef(a: readonly number[], b: readonly number[]): boolean {
  const n = Math.max(a.length ? (a[a.length - 1] as number) : 0, b.length ? (b[b.length - 1] as number) : 0) + 1;
  for (let i = 0; i < n; i++) {
    const x = a.includes(i);
    const y = b.includes(i);
    if (x !== y) return x;
  }
  return false;
}

const positive = (inst: Instance): number[] => gains(inst).flatMap((g, i) => (g > 0n ? [i] : []));
const kept = (inst: Instance): number[] => referencePresolve(compileMarket(inst)).components.flatMap((c) => Array.from(c)).sort((x, y) => x - y);

/** The solve's winners are the brute-force lexicographic optimum over the bids `allowed` picks. */
function matchesLexOptimum(options: SolveOptions, allowed: (inst: Instance) => number[], seen: { ties: number; differs: number }): fc.IAsyncPropertyWithHooks<[Instance]> {
  return fc.asyncProperty(tied, async (inst) => {
    const oracle = lexOracle(inst, allowed(inst));
    const r = await solve(inst, { method: 'exact', timeLimit: 30, ...options });
    expect(r.status).toBe('optimal');
    expect(recheck(inst, r.winners).value - inst.rollups.reduce((s, x) => s + x.reserve, 0n)).toBe(oracle.value);
    if (oracle.optima > 1) seen.ties++;
    if (oracle.winners.join() !== r.winnerIndices.join()) seen.differs++;
    expect([...r.winnerIndices]).toEqual(oracle.winners);
  });
}

describe('canonical optimum', () => {
  it('MIP path (no presolve, no enumeration): the lexicographically greatest optimum over the positive-gain bids', async () => {
    const before = { ...canonicalCounters };
    const seen = { ties: 0, differs: 0 };
    await fc.assert(matchesLexOptimum({ canonical: true, presolve: false, enumerationLimit: 1 }, positive, seen), params(60));
    expect(seen.differs).toBe(0);
    // Rare branches: ties between optimal allocations, and each way of deciding a bid.
    expect(seen.ties).toBeGreaterThan(20);
    expect(canonicalCounters.components - before.components).toBeGreaterThan(40);
    expect(canonicalCounters.unique - before.unique).toBeGreaterThan(3);
    expect(canonicalCounters.others - before.others).toBeGreaterThan(10);
    expect(canonicalCounters.greedy - before.greedy).toBeGreaterThan(3);
    expect(canonicalCounters.witness - before.witness).toBeGreaterThan(10);
    expect(canonicalCounters.changed - before.changed).toBeGreaterThan(3);
  });

  it('with the gallop on (off by default): the same lexicographically greatest optimum', async () => {
    const before = { ...canonicalCounters };
    const seen = { ties: 0, differs: 0 };
    canonicalShortcuts.gallop = true;
    try {
      await fc.assert(matchesLexOptimum({ canonical: true, presolve: false, enumerationLimit: 1 }, positive, seen), params(60));
    } finally {
      canonicalShortcuts.gallop = false;
    }
    expect(seen.ties).toBeGreaterThan(20);
    expect(canonicalCounters.gallops - before.gallops).toBeGreaterThan(20);
    expect(canonicalCounters.galloped - before.galloped).toBeGreaterThan(5);
  });

  it('with presolve and enumeration: the lexicographically greatest optimum over the bids presolve keeps', async () => {
    const seen = { ties: 0, differs: 0 };
    await fc.assert(matchesLexOptimum({ canonical: true }, kept, seen), params(200));
    expect(seen.ties).toBeGreaterThan(40);
  });

  for (const bits of [3, 40]) {
    it(`bid by bid, shortcuts off, on ${bits === 3 ? 'rounded models (a backend of 3 objective bits)' : 'lossless models'}: residual cut-off solves decide`, async () => {
      const before = { ...canonicalCounters };
      const backend: MipBackend = { ...highsBackend, objectiveBits: bits };
      let ties = 0;
      let unproven = 0;
      Object.assign(canonicalShortcuts, { bounds: false, greedy: false, others: false });
      try {
        await fc.assert(fc.asyncProperty(tiedLarger, async (inst) => {
          const market = compileMarket(inst);
          const bids = Int32Array.from(positive(inst));
          if (bids.length < 2) return;
          const ctx: ComponentContext = { backend, deadline: performance.now() + 30_000, enumerationLimit: 1, search: 'short', seed: 0, workers: 1 };
          const outcome = await solveComponent(market, bids, ctx);
          // So coarse a model may need more refinements than allowed: nothing to canonicalise then.
          if (!outcome.proven) {
            unproven++;
            return;
          }
          const c = await canonicalise(market, bids, outcome, ctx);
          const oracle = lexOracle(inst, Array.from(bids));
          if (oracle.optima > 1) ties++;
          expect(c.canonical).toBe(true);
          expect(c.gain).toBe(oracle.value);
          expect(c.winners).toEqual(oracle.winners);
        }), params(30));
      } finally {
        Object.assign(canonicalShortcuts, { bounds: true, greedy: true, others: true, gallop: false });
      }
      expect(unproven).toBeLessThan(8);
      expect(ties).toBeGreaterThan(8);
      expect(canonicalCounters.others - before.others).toBe(0);
      expect(canonicalCounters.solves - before.solves).toBeGreaterThan(30);
      expect(canonicalCounters.solvedYes - before.solvedYes).toBeGreaterThan(5);
    });
  }

  it('out of time: a component whose decisions need a solve is returned as found (canonical false)', async () => {
    let failed = 0;
    let done = 0;
    Object.assign(canonicalShortcuts, { bounds: false, greedy: false, others: false });
    try {
      for (const inst of fc.sample(tiedLarger, { seed: PROPERTY_SEED, numRuns: 20 })) {
        const market = compileMarket(inst);
        const bids = Int32Array.from(positive(inst));
        if (bids.length < 2) continue;
        const ctx: ComponentContext = { backend: highsBackend, deadline: performance.now() + 30_000, enumerationLimit: 1, search: 'short', seed: 0, workers: 1 };
        const outcome = await solveComponent(market, bids, ctx);
        const c = await canonicalise(market, bids, outcome, { ...ctx, deadline: performance.now() - 1 });
        if (c.canonical) {
          done++;
          expect(c.winners).toEqual(lexOracle(inst, Array.from(bids)).winners);
        } else {
          failed++;
          expect(c.winners).toEqual(outcome.winners);
          expect(c.proven).toBe(true);
        }
      }
    } finally {
      Object.assign(canonicalShortcuts, { bounds: true, greedy: true, others: true, gallop: false });
    }
    expect(failed).toBeGreaterThan(3);
    expect(failed + done).toBeGreaterThan(15);
  });

  it('mutant: skipping canonicalisation is caught on both paths', async () => {
    const seen = { ties: 0, differs: 0 };
    const mip = await fc.check(matchesLexOptimum({ canonical: false, presolve: false, enumerationLimit: 1 }, positive, seen), { ...params(60), endOnFailure: true });
    expect(mip.failed).toBe(true);
    const enumerated = await fc.check(matchesLexOptimum({ canonical: false }, kept, seen), { ...params(200), endOnFailure: true });
    expect(enumerated.failed).toBe(true);
  });

  it('canonicalEnumeration: the first packing reaching the target in index order, null when none does', () => {
    const inst = fc.sample(tied, { seed: PROPERTY_SEED, numRuns: 50 });
    let checked = 0;
    for (const i of inst) {
      const m = compileMarket(i);
      const allowed = positive(i);
      const oracle = lexOracle(i, allowed);
      if (oracle.value <= 0n) continue;
      expect(canonicalEnumeration(m, allowed, oracle.value)).toEqual(oracle.winners);
      expect(canonicalEnumeration(m, allowed, oracle.value + 1n)).toBeNull();
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('priceCertificate: bound minus the slack of its bids covers every packing, for arbitrary duals', () => {
    fc.assert(fc.property(tied, fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 40, maxLength: 40 }), (inst, duals) => {
      const m = compileMarket(inst);
      const bids = Int32Array.from(positive(inst));
      if (bids.length === 0) return;
      // Row count of the component's packing model (rows shared by two or more bids).
      const count = new Map<string, number>();
      for (const b of bids) for (const key of [...(inst.bids[b]?.bundle ?? []), ...(inst.bids[b]?.exclusive === undefined ? [] : [`#${inst.bids[b]?.exclusive}`])]) count.set(key, (count.get(key) ?? 0) + 1);
      const rows = [...count.values()].filter((c) => c >= 2).length;
      const cert = priceCertificate(m, bids, Float64Array.from(duals.slice(0, rows)));
      expect(cert).not.toBeNull();
      if (cert === null) return;
      expect(priceCertificate(m, bids, new Float64Array(rows + 1))).toBeNull();
      // Every packing: take each subset that brute force meets on the way (the optimum suffices
      // for the bound; all maximal packings for the slack): here, all packings by recursion.
      const gain = gains(inst);
      const visit = (k: number, chosen: number[], used: Set<string>): void => {
        if (k === bids.length) {
          const g = chosen.reduce((s, j) => s + (gain[bids[j] as number] as bigint), 0n);
          const slack = chosen.reduce((s, j) => s + (cert.slack[j] as bigint), 0n);
          expect(g <= cert.bound - slack).toBe(true);
          return;
        }
        visit(k + 1, chosen, used);
        const bid = inst.bids[bids[k] as number];
        if (bid === undefined) return;
        const keys = [...bid.bundle, ...(bid.exclusive === undefined ? [] : [`#${bid.exclusive}`])];
        if (keys.some((x) => used.has(x))) return;
        keys.forEach((x) => used.add(x));
        visit(k + 1, [...chosen, k], used);
        keys.forEach((x) => used.delete(x));
      };
      visit(0, [], new Set());
    }), params(60));
  });

  it('lexGreater agrees with the reference comparison', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 12 })), fc.uniqueArray(fc.integer({ min: 0, max: 12 })), (a, b) => {
      const x = [...a].sort((p, q) => p - q);
      const y = [...b].sort((p, q) => p - q);
      expect(lexGreater(a, b)).toBe(lexGreaterRef(x, y));
    }), params(300));
  });
});

/** Components above the enumeration limit with many ties (small amounts), a few seeds. */
const medium = fc.sample(instances({ maxRollups: 24, minBids: 50, maxBids: 70, minAmount: 1n, maxAmount: 6n, priceBySize: true, maxBundle: 4, groups: true }), { seed: PROPERTY_SEED, numRuns: 6 });

describe('proof races: the same answer for 1, 2 and 4 workers', () => {
  it('exact with workers 1 (canonical), 2 and 4 (racing): same winners and value; more than one strategy ran', async () => {
    const before = { races: raceCounters.races, started: raceCounters.started };
    let changed = 0;
    for (const inst of medium) {
      const plain = await solve(inst, { method: 'exact', timeLimit: 60, enumerationLimit: 1 });
      const one = await solve(inst, { method: 'exact', timeLimit: 60, enumerationLimit: 1, canonical: true });
      expect(one.status).toBe('optimal');
      expect(one.value).toBe(plain.value);
      if (one.winners.join() !== plain.winners.join()) changed++;
      for (const workers of [2, 4]) {
        const r = await solve(inst, { method: 'exact', timeLimit: 60, enumerationLimit: 1, workers });
        expect(r.status).toBe('optimal');
        expect(r.stats.canonical).toEqual({ components: expect.any(Number) as number, failed: 0 });
        expect(r.value).toBe(one.value);
        expect(r.winners).toEqual(one.winners);
      }
    }
    // The canonical answer is not just the default one, and the races ran 2 and 4 strategies.
    expect(changed).toBeGreaterThan(0);
    const races = raceCounters.races - before.races;
    expect(races).toBeGreaterThan(medium.length);
    expect(raceCounters.started - before.started).toBeGreaterThan(2 * races);
    expect(Object.keys(raceCounters.wins).length).toBeGreaterThan(0);
  }, 120_000);

  it('an aborted race returns the best packing found, verified, and closes its threads', async () => {
    const inst = generateInstance('bidder-interest', { rollups: 200, bids: 1000, seed: 1 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 1500);
    const before = raceCounters.races;
    const r = await solve(inst, { method: 'exact', timeLimit: 60, workers: 2, signal: controller.signal });
    clearTimeout(timer);
    expect(raceCounters.races).toBeGreaterThan(before);
    expect(recheck(inst, r.winners).value).toBe(r.value);
    if (r.status === 'optimal') expect(r.bound).toBe(r.value);
    else expect((r.bound ?? 0n) >= r.value).toBe(true);
  }, 60_000);

  it('raceStrategies: the base backend first, the other second, distinct strategies', () => {
    const four = raceStrategies('highs', 4).map((s) => s.name);
    expect(four).toEqual(['highs', 'bnb', 'highs:random_seed=1', 'bnb:bnb_branching=dive']);
    expect(new Set(raceStrategies('highs', 8).map((s) => s.name)).size).toBe(8);
    expect(raceStrategies('bnb', 2).map((s) => s.name)).toEqual(['bnb', 'highs']);
  });
});
