import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rollupMarketInstance } from '../src/generators/rollup-market.js';
import { compileMarket } from '../src/model/market.js';
import type { Instance } from '../src/model/types.js';
import { highsBackend } from '../src/solver/highs.js';
import { keepAbove, lagrangianBound } from '../src/solver/lagrangian.js';
import { buildPacking } from '../src/solver/packing.js';
import { solve } from '../src/solver/solve.js';
import { threadedBackend } from '../src/solver/threaded.js';
import { instances } from '../src/testing/index.js';
import { checkCertificate } from '../src/verify/certificate.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { bruteForceValue, recheck } from './support/oracle.js';

/** Per bid, the best value of an allocation containing it (null when none is feasible), by enumeration. */
function bestWith(instance: Instance): (bigint | null)[] {
  const n = instance.bids.length;
  const best = new Array<bigint | null>(n).fill(null);
  for (let mask = 1; mask < 1 << n; mask++) {
    const ids = instance.bids.filter((_, i) => (mask >> i) & 1).map((b) => b.id);
    let value: bigint;
    try {
      value = recheck(instance, ids).value;
    } catch {
      continue; // infeasible subset
    }
    for (let i = 0; i < n; i++) if ((mask >> i) & 1 && (best[i] === null || value > (best[i] as bigint))) best[i] = value;
  }
  return best;
}

describe('Lagrangian bound (rollup rows priced, exclusive groups as cliques)', () => {
  it('bounds the brute-force optimum, its prices are a valid certificate, and its fixing never drops a better bid', () => {
    let tight = 0;
    let fixed = 0;
    fc.assert(fc.property(instances({ maxRollups: 6, minBids: 3, maxBids: 10, wei: true, priceBySize: true }), fc.integer({ min: 0, max: 400 }), (instance, iterations) => {
      const market = compileMarket(instance);
      const bids = Int32Array.from({ length: market.nBids }, (_, b) => b).filter((b) => (market.gain[b] as bigint) > 0n);
      if (bids.length === 0) return;
      const lag = lagrangianBound(market, bids, { maxIterations: iterations });
      const optimum = bruteForceValue(instance);
      const bound = market.reserveTotal + lag.bound;
      expect(bound >= optimum).toBe(true);
      if (bound === optimum) tight++;
      // The prices (reserve + price above it) and group prices check exactly, to the same bound.
      const rollups = new Map(instance.rollups.map((r, i) => [r.id, r.reserve + (lag.rollupPrices.get(i) ?? 0n)]));
      const groups = new Map([...lag.groupPrices].map(([g, p]) => [market.groupKeys[g] as string, p]));
      const check = checkCertificate(instance, { rollups, groups });
      expect(check.reason).toBeNull();
      expect(check.bound).toBe(bound);
      // Every allocation with bid j is worth at most bound − slack_j; a fixed bid cannot beat the incumbent.
      const incumbent = optimum - market.reserveTotal - 1n;
      const kept = new Set(keepAbove(lag, incumbent));
      const withBid = bestWith(instance);
      lag.slack.forEach((s, j) => {
        const with_ = withBid[bids[j] as number] ?? null;
        if (with_ !== null) expect(with_ <= bound - s).toBe(true);
        if (!kept.has(j)) {
          fixed++;
          expect(with_ === null || with_ - market.reserveTotal <= incumbent).toBe(true);
        }
      });
    }), { seed: PROPERTY_SEED, numRuns: 150 });
    expect(tight).toBeGreaterThan(10);
    expect(fixed).toBeGreaterThan(20);
  });
});

describe('auto on small rollup markets (wei amounts, XOR alternatives)', () => {
  it('with a fixed iteration budget (0 tabu moves) is never below heuristic with the same budget and seed; bounds are proven', async () => {
    let raced = 0;
    let strictly = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const instance = rollupMarketInstance(20, 300, seed);
      const options = { iterations: 0, seed, timeLimit: 120 } as const;
      const auto = await solve(instance, { ...options, method: 'auto' });
      const heuristic = await solve(instance, { ...options, method: 'heuristic' });
      const exact = await solve(instance, { method: 'exact', timeLimit: 120 });
      expect(exact.status).toBe('optimal');
      expect(recheck(instance, auto.winners).value).toBe(auto.value);
      expect(auto.value >= heuristic.value, `seed ${seed}: auto ${auto.value} < heuristic ${heuristic.value}`).toBe(true);
      raced += (auto.stats.modes['mip-rounded'] ?? 0) + (auto.stats.modes.mip ?? 0);
      if (auto.value > heuristic.value) strictly++;
      for (const r of [auto, heuristic]) {
        expect(r.value <= exact.value).toBe(true);
        expect((r.bound ?? 0n) >= exact.value).toBe(true);
        if (r.status === 'optimal') expect(r.value).toBe(exact.value);
      }
      // Deterministic under an iteration budget.
      expect((await solve(instance, { ...options, method: 'heuristic' })).winners).toEqual(heuristic.winners);
    }
    // The race (MIP beside the search) must have run, not only the Lagrangian proof.
    expect(raced).toBeGreaterThan(0);
    // Without tabu moves (budget 0), the heuristic misses an optimum the race finds.
    expect(strictly).toBeGreaterThan(0);
  }, 60_000);
});

describe('threaded backend (the MIP side of the race)', () => {
  it('answers like HiGHS in this thread, and an abort stops it without an answer', async () => {
    const instance = rollupMarketInstance(12, 120, 5);
    const market = compileMarket(instance);
    const bids = Int32Array.from({ length: market.nBids }, (_, b) => b).filter((b) => (market.gain[b] as bigint) > 0n);
    // Integer weights well inside double precision: gains in gwei.
    const problem = buildPacking(market, bids, Float64Array.from(bids, (b) => Math.floor(Number(market.gain[b] as bigint) / 1e9)));
    const threaded = threadedBackend(highsBackend);
    try {
      const here = await highsBackend.solve(problem, { timeLimitSec: 60 });
      const there = await threaded.backend.solve(problem, { timeLimitSec: 60 });
      expect(there.status).toBe('optimal');
      expect(there.status).toBe(here.status);
      const objective = (x: Uint8Array | null): number => (x === null ? -1 : x.reduce((s, v, j) => s + v * (problem.weight[j] as number), 0));
      expect(objective(there.x)).toBe(objective(here.x));
      const aborted = await threaded.backend.solve(problem, { timeLimitSec: 60, signal: AbortSignal.abort() });
      expect(aborted.x).toBeNull();
    } finally {
      await threaded.close();
    }
  }, 60_000);
});
