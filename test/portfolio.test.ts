import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInstance } from '../src/generators/index.js';
import { bestGreedy, gainOf, greedyFromOrder, orderBids, orderByLp } from '../src/heuristics/greedy.js';
import { EPOCH_FIRST, HANG_GRACE_MS, POOL_MIN_BIDS, runPortfolio } from '../src/heuristics/portfolio.js';
import { tabuSearch } from '../src/heuristics/tabu.js';
import { compileMarket } from '../src/model/market.js';
import { solve } from '../src/solver/solve.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { allBids, expectSoundSearch, verified } from './support/search-checks.js';
import { bruteForceValue, recheck } from './support/oracle.js';


/** Exact value of a packing of bid indices, by the independent re-check of test/support (throws if infeasible). */

describe('tabu search', () => {
  it('is feasible, exact, never below its start, at most the optimum, same seed same answer', () => {
    let improved = 0;
    fc.assert(fc.property(instances({ maxRollups: 8, minBids: 4, maxBids: 14, groups: true }), fc.nat(1000), (inst, seed) => {
      const m = compileMarket(inst);
      const start = bestGreedy(m, allBids(m));
      const run = (): ReturnType<typeof tabuSearch> => tabuSearch(m, allBids(m), start.winners, { seed, maxIterations: 300 });
      const r = run();
      expect(run()).toEqual(r);
      expectSoundSearch(inst, m, start.gain, r);
      if (r.gain > start.gain) improved++;
    }), { seed: PROPERTY_SEED, numRuns: 300 });
    expect(improved).toBeGreaterThan(5);
  });

  it('finds the optimum of small instances that greedy misses', () => {
    let missed = 0;
    let found = 0;
    fc.assert(fc.property(instances({ maxRollups: 6, minBids: 6, maxBids: 12, groups: true }), (inst) => {
      const m = compileMarket(inst);
      const start = bestGreedy(m, allBids(m));
      const optimum = bruteForceValue(inst);
      if (m.reserveTotal + start.gain === optimum) return;
      missed++;
      if (m.reserveTotal + tabuSearch(m, allBids(m), start.winners, { maxIterations: 2000 }).gain === optimum) found++;
    }), { seed: PROPERTY_SEED, numRuns: 300 });
    // Not a guarantee for a heuristic, but on instances this small it should nearly always close the gap.
    expect(missed).toBeGreaterThan(10);
    expect(found / missed).toBeGreaterThan(0.9);
  });
});

describe('LP-value-guided greedy', () => {
  it('orders by decreasing LP value (ties by gain) and yields a feasible packing with its exact value', () => {
    fc.assert(fc.property(instances({ maxRollups: 8, minBids: 2, maxBids: 14, groups: true }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 14, maxLength: 14 }), (inst, xs) => {
      const m = compileMarket(inst);
      const x = xs.slice(0, m.nBids);
      const order = Array.from(orderByLp(m, allBids(m), x, orderBids(m, allBids(m), 'gain')));
      expect([...order].sort((a, b) => a - b)).toEqual(allBids(m));
      for (let i = 1; i < order.length; i++) expect(x[order[i - 1] as number] ?? 0).toBeGreaterThanOrEqual(x[order[i] as number] ?? 0);
      const winners = greedyFromOrder(m, order);
      expect(verified(inst, m, winners)).toBe(m.reserveTotal + gainOf(m, winners));
    }), { seed: PROPERTY_SEED, numRuns: 300 });
  });
});

describe('portfolio on worker threads', () => {
  const inst = generateInstance('bidder-interest', { rollups: 80, bids: 700, seed: 3 });
  const m = compileMarket(inst);
  const start = bestGreedy(m, allBids(m));

  it('gives the same answer for the same seed and worker count, feasible and exact', async () => {
    expect(m.nBids).toBeGreaterThanOrEqual(POOL_MIN_BIDS); // so these runs use the pool
    const a = await runPortfolio(m, allBids(m), start.winners, { workers: 2, seed: 9, iterations: 6000 });
    const b = await runPortfolio(m, allBids(m), start.winners, { workers: 2, seed: 9, iterations: 6000 });
    expect(b.winners).toEqual(a.winners);
    expect(a.failures).toBe(0);
    expect(a.epochs).toBeGreaterThan(1);
    expect(verified(inst, m, a.winners)).toBe(m.reserveTotal + a.gain);
    expect(a.gain > start.gain).toBe(true);
    // The same searches run one after another in this thread give the same answer.
    const inline = await runPortfolio(m, allBids(m), start.winners, { workers: 2, seed: 9, iterations: 6000, inline: true });
    expect(inline.winners).toEqual(a.winners);
    const one = await runPortfolio(m, allBids(m), start.winners, { workers: 1, seed: 9, iterations: 6000 });
    expect(verified(inst, m, one.winners)).toBe(m.reserveTotal + one.gain);
  });

  for (const kind of ['throw', 'exit', 'hang'] as const) {
    it(`keeps the incumbent when a worker fails (${kind})`, async () => {
      // Epoch 0 improves on greedy; worker 1 then fails in epoch 1 and is replaced.
      // Epoch 0 alone (same seed, workers and first-epoch budget) gives the incumbent to keep.
      const epoch0 = await runPortfolio(m, allBids(m), start.winners, { workers: 2, seed: 9, iterations: EPOCH_FIRST });
      expect(epoch0.epochs).toBe(1);
      expect(epoch0.gain > start.gain).toBe(true);
      const limitMs = 3000;
      const t0 = performance.now();
      const r = await runPortfolio(m, allBids(m), start.winners, {
        workers: 2, seed: 9, iterations: 12_000, deadline: t0 + limitMs, faults: [{ epoch: 1, worker: 1, kind }],
      });
      const elapsed = performance.now() - t0;
      expect(r.failures).toBeGreaterThanOrEqual(1);
      expect(r.gain >= epoch0.gain).toBe(true);
      expect(verified(inst, m, r.winners)).toBe(m.reserveTotal + r.gain);
      // Generous (a loaded CI): a hang must not hold the run far past its deadline.
      expect(elapsed).toBeLessThan(3 * (limitMs + HANG_GRACE_MS) + 5000);
      // The failing epoch 1 ran and was counted; after a throw or exit, later epochs ran on a replacement worker.
      if (kind === 'hang') expect(r.epochs).toBeGreaterThanOrEqual(2);
      else expect(r.epochs).toBeGreaterThan(2);
    });
  }
});

describe('anytime solving', () => {
  it('meets the time limit (generously: 3× + 2 s on a loaded machine) and returns a verified allocation', async () => {
    const inst = generateInstance('bidder-interest', { rollups: 400, bids: 4000, seed: 2 });
    for (const method of ['auto', 'heuristic'] as const) {
      const t0 = performance.now();
      const r = await solve(inst, { method, timeLimit: 2 });
      const elapsed = performance.now() - t0;
      expect(elapsed, method).toBeLessThan(3 * 2000 + 2000);
      expect(recheck(inst, r.winners).value).toBe(r.value);
      expect(r.bound !== null && r.bound >= r.value).toBe(true);
    }
  });

  it('heuristic answers repeat for a fixed seed, worker count and iteration budget', async () => {
    const inst = generateInstance('regions', { rollups: 60, bids: 500, seed: 4 });
    for (const workers of [1, 2]) {
      const run = (): Promise<Awaited<ReturnType<typeof solve>>> => solve(inst, { method: 'heuristic', seed: 3, workers, iterations: 5000, timeLimit: 60 });
      const a = await run();
      const b = await run();
      expect(b.winners).toEqual(a.winners);
      expect(recheck(inst, a.winners).value).toBe(a.value);
    }
  });
});

describe('portfolio: work handed over from outside (auto\'s MIP side)', () => {
  it('adopts a better packing (re-checked) before any search, never a worse or an infeasible one', async () => {
    let adopted = 0;
    await fc.assert(fc.asyncProperty(instances({ maxRollups: 6, minBids: 6, maxBids: 12, groups: true }), fc.nat(1000), async (inst, seed) => {
      const m = compileMarket(inst);
      const bids = allBids(m);
      const optimum = bruteForceValue(inst) - m.reserveTotal;
      const start = bestGreedy(m, bids);
      // With no move budget the run ends right after the first epoch's hand-over: only adoption can change the answer.
      const run = async (winners: number[]): Promise<{ gain: bigint; winners: number[]; moves: string[] }> => {
        const moves: string[] = [];
        let taken = false;
        const r = await runPortfolio(m, bids, start.winners, {
          iterations: 0, seed,
          outside: () => (taken ? null : ((taken = true), { winners, move: 'mip' })),
          onImprove: (_g, move) => { moves.push(move); },
        });
        expect(verified(inst, m, r.winners)).toBe(m.reserveTotal + r.gain);
        return { gain: r.gain, winners: r.winners, moves };
      };
      const best = bestPacking(m, bids);
      const better = await run(best);
      expect(better.gain).toBe(optimum);
      expect(better.moves).toEqual(start.gain < optimum ? ['mip'] : []);
      if (start.gain < optimum) adopted++;
      // An infeasible packing (a bid twice, or two bids that conflict) and a worse one change nothing.
      expect((await run([bids[0] as number, bids[0] as number])).gain).toBe(start.gain);
      expect((await run([])).moves).toEqual([]);
    }), { seed: PROPERTY_SEED, numRuns: 200 });
    expect(adopted).toBeGreaterThan(5);
  });
});

/** A maximum-gain packing, by enumeration of subsets (small instances only). */
function bestPacking(m: ReturnType<typeof compileMarket>, bids: readonly number[]): number[] {
  let best: number[] = [];
  let bestGain = 0n;
  for (let mask = 1; mask < 1 << bids.length; mask++) {
    const pick = bids.filter((_, i) => (mask >> i) & 1);
    const order = Int32Array.from(pick);
    const packed = greedyFromOrder(m, order);
    if (packed.length !== pick.length) continue;
    const g = gainOf(m, packed);
    if (g > bestGain) {
      bestGain = g;
      best = packed;
    }
  }
  return best;
}
