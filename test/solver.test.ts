import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestGreedy } from '../src/heuristics/greedy.js';
import { createInstance, type BidInput } from '../src/model/instance.js';
import { compileMarket } from '../src/model/market.js';
import type { Instance } from '../src/model/types.js';
import { solve, type SolveMethod, type SolveResult } from '../src/solver/solve.js';
import { roundedCounters, solveComponent } from '../src/solver/component.js';
import { highsBackend } from '../src/solver/highs.js';
import type { MipBackend } from '../src/solver/problem.js';
import { solveJson } from '../src/cli/solve.js';
import { winnersToIds } from '../src/model/allocation.js';
import { instances, nearTies } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { independentOptimum } from './support/independent-mip.js';
import { bruteForceValue, recheck } from './support/oracle.js';

const small = instances({ maxRollups: 6, maxBids: 12, maxAmount: 1000n, groups: true });
const wei = instances({ maxRollups: 6, minBids: 2, maxBids: 12, minAmount: 10n ** 18n, maxAmount: 10n ** 24n, groups: true });
const medium = instances({ maxRollups: 30, minBids: 30, maxBids: 80, minAmount: 10n ** 5n, maxAmount: 2n * 10n ** 5n, groups: true, priceBySize: true, maxBundle: 6 });
const nearTieMarkets = nearTies(7, 8);

const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: PROPERTY_SEED, numRuns });

type Solver = typeof solve;
const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Mutant of the default method: `auto` stops at the best greedy packing and calls it optimal. */
const greedyAuto: Solver = async (inst, options = {}) => {
  const r = await solve(inst, options);
  if ((options.method ?? 'auto') !== 'auto') return r;
  const m = compileMarket(inst);
  const g = bestGreedy(m, all(m.nBids));
  const value = m.reserveTotal + g.gain;
  return { ...r, status: 'optimal', value, bound: value, winners: winnersToIds(m, g.winners), winnerIndices: [...g.winners].sort((a, b) => a - b) };
};

/** The instance with its reserves, or its exclusive groups, removed. */
const withoutReserves = (inst: Instance): Instance => createInstance({ rollups: inst.rollups.map((r) => ({ id: r.id })), bids: inst.bids });
const withoutGroups = (inst: Instance): Instance => createInstance({ rollups: inst.rollups, bids: inst.bids.map(({ exclusive: _exclusive, ...b }) => b) });

/** Mutant: decides as if every reserve were 0, then reports the exact value of that choice. */
const reserveBlind: Solver = async (inst, options) => {
  const r = await solve(withoutReserves(inst), options);
  return { ...r, value: recheck(inst, r.winners).value };
};

/** Mutant: decides as if there were no exclusive groups. */
const groupBlind: Solver = async (inst, options) => solve(withoutGroups(inst), options);

/** Small instances against exhaustive search, for a method with default options (presolve, enumeration). */
function matchesBruteForce(solver: Solver, method: SolveMethod, seen: { enumeration: number; mip: number }): fc.IAsyncPropertyWithHooks<[Instance]> {
  return fc.asyncProperty(small, async (inst) => {
    const r = await solver(inst, { method });
    expect(r.status).toBe('optimal');
    expect(recheck(inst, r.winners).value).toBe(r.value);
    expect(r.value).toBe(bruteForceValue(inst));
    expect(r.bound).toBe(r.value);
    // The enumeration path: every component was a single bid or enumerated, none went to a MIP.
    expect(Object.keys(r.stats.modes).every((mode) => mode === 'single' || mode === 'enumeration')).toBe(true);
    if (r.stats.modes.enumeration !== undefined) seen.enumeration++;
    if (r.stats.mipSolves > 0) seen.mip++;
  });
}

describe('solve: exact answers', () => {
  for (const method of ['exact', 'auto'] as const) {
    it(`${method}: matches exhaustive search on small instances (enumeration path)`, async () => {
      const seen = { enumeration: 0, mip: 0 };
      await fc.assert(matchesBruteForce(solve, method, seen), params(300));
      expect(seen.enumeration).toBeGreaterThan(100);
      expect(seen.mip).toBe(0);
    });
  }

  it('mutant: an auto that stops at greedy is caught by the auto run; the old exact-only runs passed it', async () => {
    const seen = { enumeration: 0, mip: 0 };
    expect((await fc.check(matchesBruteForce(greedyAuto, 'auto', seen), { ...params(300), endOnFailure: true })).failed).toBe(true);
    expect((await fc.check(matchesBruteForce(greedyAuto, 'exact', seen), params(30))).failed).toBe(false);
  });

  it('matches exhaustive search through HiGHS (no presolve, no enumeration)', async () => {
    let mip = 0;
    await fc.assert(fc.asyncProperty(small, async (inst) => {
      const r = await solve(inst, { method: 'exact', presolve: false, enumerationLimit: 1 });
      expect(r.status).toBe('optimal');
      expect(recheck(inst, r.winners).value).toBe(r.value);
      expect(r.value).toBe(bruteForceValue(inst));
      expect(r.stats.modes.enumeration).toBeUndefined();
      if (r.stats.modes.mip !== undefined) mip++;
    }), params(150));
    expect(mip).toBeGreaterThan(50);
  });

  // Near ties make winners whose weight is below the rounding band: only there is the dense cut needed.
  for (const [name, arb, runs, dense] of [['wei-scale amounts (10^18..10^24)', wei, 60, false], ['near ties of a few wei out of 10^24', nearTieMarkets, 80, true]] as const) {
    it(`decides ${name} to the unit through the rounded MIP`, async () => {
      let rounded = 0;
      const cutsBefore = { ...roundedCounters };
      await fc.assert(fc.asyncProperty(arb, async (inst) => {
        const r = await solve(inst, { method: 'exact', presolve: false, enumerationLimit: 1 });
        expect(r.status).toBe('optimal');
        expect(recheck(inst, r.winners).value).toBe(r.value);
        expect(r.value).toBe(bruteForceValue(inst));
        // Gains of wei size need the rounded model (a reserve a few wei from a bid leaves a lossless one).
        if (r.stats.modes['mip-rounded'] !== undefined) rounded++;
      }), params(runs));
      expect(rounded).toBeGreaterThan(runs * 0.5);
      // The sparse exclusion row ran (no subset reaches the threshold), and the dense one where needed.
      expect(roundedCounters.sparseCuts - cutsBefore.sparseCuts).toBeGreaterThan(0);
      if (dense) expect(roundedCounters.denseCuts - cutsBefore.denseCuts).toBeGreaterThan(0);
    });

    it(`auto decides ${name} to the unit`, async () => {
      await fc.assert(fc.asyncProperty(arb, async (inst) => {
        const r = await solve(inst);
        expect(r.status).toBe('optimal');
        expect(recheck(inst, r.winners).value).toBe(r.value);
        expect(r.value).toBe(bruteForceValue(inst));
      }), params(Math.ceil(runs / 2)));
    });
  }

  it('mutants blind to reserves or to exclusive groups are caught by the widened nearTies; its old shape passed them', async () => {
    const decides = (solver: Solver, arb: fc.Arbitrary<Instance>): fc.IAsyncPropertyWithHooks<[Instance]> => fc.asyncProperty(arb, async (inst) => {
      const r = await solver(inst);
      expect(r.status).toBe('optimal');
      expect(recheck(inst, r.winners).value).toBe(r.value);
      expect(r.value).toBe(bruteForceValue(inst));
    });
    // The old nearTies had no groups and reserves of at most 10^18 below singletons of at least 10^18: neither could bind.
    const oldShape = nearTies(7, 8, { groups: false, reserves: false });
    for (const mutant of [reserveBlind, groupBlind]) {
      expect((await fc.check(decides(mutant, nearTieMarkets), { ...params(80), endOnFailure: true })).failed).toBe(true);
      expect((await fc.check(decides(mutant, oldShape), params(40))).failed).toBe(false);
    }
  });

  it('is feasible, exact and never below greedy on medium instances (MIP path), for exact and auto', async () => {
    let mipRuns = 0;
    await fc.assert(fc.asyncProperty(medium, async (inst) => {
      // Independent oracle: a HiGHS model written in test/support straight from the instance.
      const optimum = await independentOptimum(inst);
      const market = compileMarket(inst);
      const greedyValue = market.reserveTotal + bestGreedy(market, all(market.nBids)).gain;
      for (const method of ['exact', 'auto'] as const) {
        const r = await solve(inst, { method });
        const { value, revenue } = recheck(inst, r.winners);
        if (method === 'exact' && r.stats.modes.mip !== undefined) mipRuns++;
        expect(r.value).toBe(value);
        expect(r.revenue).toBe(revenue);
        expect(r.status).toBe('optimal');
        expect(r.value).toBe(optimum);
        expect(r.value >= greedyValue).toBe(true);
      }
    }), params(40));
    // The property is about the MIP path: make sure it was exercised.
    expect(mipRuns).toBeGreaterThanOrEqual(20);
  });
});

describe('solve: metamorphic properties', () => {
  const shuffled = <T>(xs: readonly T[], order: readonly number[]): T[] =>
    xs.map((x, i) => ({ x, k: order[i % Math.max(1, order.length)] ?? 0, i })).sort((a, b) => a.k - b.k || a.i - b.i).map((e) => e.x);
  const asInput = (inst: Instance): { rollups: { id: string; reserve: bigint }[]; bids: BidInput[] } => ({
    rollups: inst.rollups.map((r) => ({ ...r })),
    bids: inst.bids.map((b) => ({ ...b, bundle: [...b.bundle] })),
  });

  /** The CLI's `--json` bytes without the clock, plus the statistics that do not time anything. */
  const bytes = (r: SolveResult): string => {
    const { mipMs: _mipMs, ...stats } = r.stats;
    return JSON.stringify({ ...solveJson(r, 0), elapsedMs: 0, winnerIndices: r.winnerIndices, stats });
  };
  // `auto` runs its anytime search with an iteration budget, so its answer does not depend on the clock.
  const methods = [['exact', {}, 20], ['auto', { iterations: 2000 }, 10]] as const;

  for (const [method, extra, runs] of methods) {
    it(`${method}: permuting input order gives byte-identical output`, async () => {
      await fc.assert(fc.asyncProperty(medium, fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 }), async (inst, order) => {
        const input = asInput(inst);
        const permuted = createInstance({
          rollups: shuffled(input.rollups, order).reverse(),
          bids: shuffled(input.bids, order).map((b) => ({ ...b, bundle: [...b.bundle].reverse() })),
        });
        const a = await solve(inst, { method, ...extra });
        const b = await solve(permuted, { method, ...extra });
        expect(bytes(b)).toBe(bytes(a));
      }), params(runs));
    });
  }

  for (const [method, extra, runs] of methods) it(`${method}: renaming ids keeps the optimal value`, async () => {
    await fc.assert(fc.asyncProperty(medium, async (inst) => {
      const input = asInput(inst);
      const rename = (id: string): string => `z-${[...id].reverse().join('')}-${id.length}`;
      const renamed = createInstance({
        rollups: input.rollups.map((r) => ({ ...r, id: rename(r.id) })),
        bids: input.bids.map((b) => ({ ...b, id: `q${b.id}x`, bundle: b.bundle.map(rename) })),
      });
      const a = await solve(inst, { method, ...extra });
      const b = await solve(renamed, { method, ...extra });
      expect(a.status).toBe('optimal');
      expect(b.status).toBe('optimal');
      expect(b.value).toBe(a.value);
      // The renamed answer, re-checked independently of the solver.
      expect(recheck(renamed, b.winners).value).toBe(b.value);
    }), params(runs));
  });

  for (const [method, options, runs] of methods) it(`${method}: adding a dominated bid keeps the optimal value`, async () => {
    await fc.assert(fc.asyncProperty(medium, fc.nat(), fc.nat(), async (inst, pick, extra) => {
      const input = asInput(inst);
      const base = input.bids[pick % input.bids.length] as BidInput;
      // A superset bundle at a lower (or equal) amount is dominated by `base`.
      const others = input.rollups.map((r) => r.id).filter((id) => !base.bundle.includes(id));
      const bundle = [...base.bundle, ...(others.length > 0 ? [others[extra % others.length] as string] : [])];
      const amount = BigInt(base.amount) - BigInt(extra % 7);
      const withDominated = createInstance({
        rollups: input.rollups,
        bids: [...input.bids, { id: 'dominated', bidder: 'x', bundle, amount: amount < 0n ? 0n : amount, ...(base.exclusive === undefined ? {} : { exclusive: base.exclusive }) }],
      });
      const a = await solve(inst, { method, ...options });
      const b = await solve(withDominated, { method, ...options });
      expect(a.status).toBe('optimal');
      expect(b.status).toBe('optimal');
      expect(b.value).toBe(a.value);
    }), params(runs));
  });
});

describe('solve: wei-scale ties', () => {
  const E24 = 10n ** 24n;
  const market = (delta: bigint, noise: number): Instance => {
    const n = 26; // > 24 bids: the rounded MIP path, not enumeration
    const singles = Array.from({ length: n }, (_, i) => E24 + BigInt(i) * 7919n + BigInt(noise));
    const sum = singles.reduce((a, b) => a + b, 0n);
    return createInstance({
      rollups: Array.from({ length: n }, (_, i) => ({ id: `r${i}` })),
      bids: [
        ...singles.map((amount, i) => ({ id: `s${i}`, bidder: `b${i}`, bundle: [`r${i}`], amount })),
        { id: 'all', bidder: 'whale', bundle: Array.from({ length: n }, (_, i) => `r${i}`), amount: sum + delta },
      ],
    });
  };

  it('separate bids win when they total one wei more than the bundle bid', async () => {
    for (const noise of [0, 1, 12345]) {
      const r = await solve(market(-1n, noise), { method: 'exact' });
      expect(r.status).toBe('optimal');
      expect(r.winners).not.toContain('all');
      expect(r.winners).toHaveLength(26);
    }
  });

  it('the bundle bid wins when it is one wei more than the separate bids', async () => {
    for (const noise of [0, 1, 12345]) {
      const r = await solve(market(1n, noise), { method: 'exact' });
      expect(r.status).toBe('optimal');
      expect(r.winners).toEqual(['all']);
    }
  });

  it('reserves at wei scale decide to the unit', async () => {
    // Two rollups with reserves; the bid beats them by exactly one wei, then falls one short.
    for (const [delta, sells] of [[1n, true], [0n, false], [-1n, false]] as const) {
      const reserve = 7n * 10n ** 23n + 3n;
      const inst = createInstance({
        rollups: [{ id: 'a', reserve }, { id: 'b', reserve }],
        bids: [{ id: 'x', bidder: 'w', bundle: ['a', 'b'], amount: 2n * reserve + delta }],
      });
      const r = await solve(inst, { method: 'exact' });
      expect(r.winners.length === 1).toBe(sells);
      expect(r.value).toBe(2n * reserve + (delta > 0n ? delta : 0n));
    }
  });
});

describe('solve: limits and options', () => {
  it('a tiny time limit still returns a feasible allocation with a valid bound', async () => {
    const inst = await import('./support/hard.js').then((m) => m.hardInstance(160, 900, 7));
    const r = await solve(inst, { method: 'exact', timeLimit: 0.2 });
    expect(recheck(inst, r.winners).value).toBe(r.value);
    expect(r.bound).not.toBeNull();
    expect((r.bound as bigint) >= r.value).toBe(true);
  });

  /** What a heuristic answer must be: exact in value, at least greedy, not claimed optimal unless its bound proves it. */
  const checkHeuristic = (inst: Instance, r: SolveResult): void => {
    expect(r.method).toBe('heuristic/local-search');
    expect(recheck(inst, r.winners).value).toBe(r.value);
    const m = compileMarket(inst);
    expect(r.value >= m.reserveTotal + bestGreedy(m, all(m.nBids)).gain).toBe(true);
    expect(r.bound).not.toBeNull();
    expect((r.bound as bigint) >= r.value).toBe(true);
    if (r.status === 'optimal') expect(r.bound).toBe(r.value);
  };
  /** Mutant: the heuristic claims `optimal` without a proof. */
  const claimsOptimal: Solver = async (inst, options) => ({ ...(await solve(inst, options)), status: 'optimal' });
  /** The old test's checks (no status). */
  const oldCheckHeuristic = (inst: Instance, r: SolveResult): void => {
    expect(r.method).toBe('heuristic/local-search');
    expect(recheck(inst, r.winners).value).toBe(r.value);
    expect((r.bound as bigint) >= r.value).toBe(true);
  };

  it('heuristic method returns at least greedy without proving optimality on a hard instance', async () => {
    const inst = await import('./support/hard.js').then((m) => m.hardInstance(120, 600, 3));
    const options = { method: 'heuristic', iterations: 3000 } as const;
    const r = await solve(inst, options);
    checkHeuristic(inst, r);
    expect(r.status).toBe('feasible');
    expect((r.bound as bigint) > r.value).toBe(true);
    // A heuristic that claims optimality is caught; the old checks passed it.
    const liar = await claimsOptimal(inst, options);
    expect(() => checkHeuristic(inst, liar)).toThrow();
    oldCheckHeuristic(inst, liar);
  });

  it('rejects bad options with a usage error', async () => {
    const inst = createInstance({ rollups: [{ id: 'a' }], bids: [] });
    await expect(solve(inst, { timeLimit: -1 })).rejects.toThrow(/time limit/);
    await expect(solve(inst, { method: 'magic' as never })).rejects.toThrow(/unknown method/);
    await expect(solve(inst, { backend: 'cplex' as never })).rejects.toThrow(/unknown backend/);
  });

  it('an empty market sells nothing and is optimal', async () => {
    const inst = createInstance({ rollups: [{ id: 'a', reserve: 5 }], bids: [{ id: 'low', bidder: 'x', bundle: ['a'], amount: 4 }] });
    const r = await solve(inst);
    expect(r).toMatchObject({ status: 'optimal', value: 5n, revenue: 0n, winners: [] });
  });
});

describe('rounded models: progress holds for the exact amounts', () => {
  // A backend that reports, after every solve, its model's own primal and dual (as HiGHS's
  // callbacks do during long solves, which small instances never reach), and keeps the packing.
  let lastX: Uint8Array | null = null;
  const reporting: MipBackend = {
    ...highsBackend,
    solve: async (problem, options) => {
      lastX = null; // reports during the solve belong to no packing yet
      const r = await highsBackend.solve(problem, options);
      lastX = r.x;
      if (r.x !== null) {
        let q = 0;
        r.x.forEach((v, j) => { if (v === 1) q += problem.weight[j] as number; });
        options.onProgress?.({ elapsedMs: r.elapsedMs, primal: q, dual: r.dualBound ?? q });
      }
      return r;
    },
  };

  // Big enough that the MIP, not the short insertion search before it, often finds the optimum.
  const weiMedium = instances({ maxRollups: 30, minBids: 30, maxBids: 80, minAmount: 10n ** 18n, maxAmount: 10n ** 24n, groups: true, priceBySize: true, maxBundle: 6 });

  it('reports no rounded primal as an incumbent, a bound above the packing the solve found, and every packing found', async () => {
    let rounded = 0;
    let reports = 0;
    let improvedByMip = 0;
    await fc.assert(fc.asyncProperty(fc.oneof(nearTieMarkets, weiMedium), async (inst) => {
      const market = compileMarket(inst);
      const bids = Int32Array.from(all(inst.bids.length).filter((b) => (market.gain[b] as bigint) > 0n));
      if (bids.length < 2) return;
      const seen: { primal: number | null; dual: number | null; unit: number; x: Uint8Array | null }[] = [];
      // The tracker starts from greedy; improvements arrive through onIncumbent.
      const start = bestGreedy(market, bids).gain;
      let found = start;
      let byMip = -1n;
      const out = await solveComponent(market, bids, {
        backend: reporting, deadline: performance.now() + 30_000, enumerationLimit: 1, search: 'short', seed: 0, workers: 1,
        onProgress: (p, unit) => seen.push({ primal: p.primal, dual: p.dual, unit, x: lastX }),
        onIncumbent: (gain, move) => {
          if (gain > found) found = gain;
          if (move === 'mip' && gain === found) byMip = gain;
        },
      });
      expect(out.proven).toBe(true);
      // Every packing better than the start reached the progress report before the outcome did.
      expect(found).toBe(out.gain);
      if (out.mode !== 'mip-rounded') return;
      rounded++;
      // The MIP's own finds are labelled as such (the insertion search may already hold the optimum).
      if (byMip === out.gain) improvedByMip++;
      for (const s of seen) {
        reports++;
        expect(s.primal).toBeNull();
        // The model's columns are the component's bids in order: the exact gain of what this solve found.
        let gain = 0n;
        s.x?.forEach((v, j) => { if (v === 1) gain += market.gain[bids[j] as number] as bigint; });
        // HiGHS's own reports during a solve may have no bound yet: nothing is claimed then.
        if (s.dual !== null) expect(BigInt(Math.ceil(s.dual * s.unit)) >= gain).toBe(true);
      }
    }), params(150));
    expect(rounded).toBeGreaterThan(40);
    expect(reports).toBeGreaterThan(20);
    expect(improvedByMip).toBeGreaterThan(5);
  });
});
