import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInstance } from '../src/generators/index.js';
import { gainOf, greedyFromOrder } from '../src/heuristics/greedy.js';
import { Packing, SubProblemBuilder } from '../src/heuristics/lns-packing.js';
import { Rng } from '../src/heuristics/lns-moves.js';
import { mergePackings, Population } from '../src/heuristics/merge.js';
import { runPortfolio } from '../src/heuristics/portfolio.js';
import { compileMarket, type Market } from '../src/model/market.js';
import { bruteForceValue } from './support/oracle.js';
import { allBids, verified } from './support/search-checks.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

/** A packing from a seeded random order (greedy fill): different seeds give different packings. */
function randomPacking(m: Market, seed: number): number[] {
  const order = new Rng(seed).shuffle(allBids(m));
  return greedyFromOrder(m, Int32Array.from(order.filter((b) => (m.gain[b] as bigint) > 0n)));
}

describe('exact crossover of two packings', () => {
  it('the child is feasible, exact, strictly better than the better parent; with none, the better parent is at least the other', async () => {
    let children = 0;
    await fc.assert(fc.asyncProperty(instances({ maxRollups: 9, minBids: 4, maxBids: 14, groups: true }), fc.nat(1000), fc.nat(1000), async (inst, s1, s2) => {
      const m = compileMarket(inst);
      const [a, b] = [new Packing(m, randomPacking(m, s1)), new Packing(m, randomPacking(m, s2))].sort((x, y) => (x.gain >= y.gain ? -1 : 1)) as [Packing, Packing];
      const child = await mergePackings(m, new SubProblemBuilder(m, allBids(m)), a, b, 5);
      const result = child ?? a;
      expect(verified(inst, m, result.winners())).toBe(m.reserveTotal + result.gain);
      expect(result.gain).toBe(gainOf(m, result.winners()));
      // Small sub-problems are solved exactly: at least both parents, at most the optimum.
      expect(result.gain >= a.gain && result.gain >= b.gain).toBe(true);
      if (child !== null) {
        expect(child.gain > a.gain).toBe(true);
        children++;
      }
      expect(m.reserveTotal + result.gain <= bruteForceValue(inst)).toBe(true);
    }), { seed: PROPERTY_SEED, numRuns: 100 });
    expect(children).toBeGreaterThan(2);
  });

  it('finds a child better than both parents where they differ (recombination, not just selection)', async () => {
    // Many seeds of two random packings on one mid-size instance: some pair must recombine.
    const inst = generateInstance('bidder-interest', { rollups: 40, bids: 160, seed: 3 });
    const m = compileMarket(inst);
    const builder = new SubProblemBuilder(m, allBids(m));
    let better = 0;
    for (let s = 1; s <= 12; s++) {
      const [a, b] = [new Packing(m, randomPacking(m, 2 * s)), new Packing(m, randomPacking(m, 2 * s + 1))].sort((x, y) => (x.gain >= y.gain ? -1 : 1)) as [Packing, Packing];
      const child = await mergePackings(m, builder, a, b, 5);
      if (child !== null && child.gain > a.gain) better++;
    }
    expect(better).toBeGreaterThan(0);
  });
});

describe('population', () => {
  it('keeps distinct packings, best first, at most its size; a round merges each pair once and never loses its best', async () => {
    const inst = generateInstance('bidder-interest', { rollups: 40, bids: 160, seed: 5 });
    const m = compileMarket(inst);
    const pop = new Population(m, new SubProblemBuilder(m, allBids(m)), 4);
    const packings = Array.from({ length: 8 }, (_, s) => randomPacking(m, s + 1));
    for (const p of packings) pop.offer(p);
    expect(pop.offer(packings[0] as number[])).toBe(false);
    expect(pop.length).toBeLessThanOrEqual(4);
    const gains = pop.top(4).map((w) => gainOf(m, w));
    expect(gains).toEqual([...gains].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)));
    const bestBefore = gains[0] as bigint;
    expect(bestBefore).toBe(packings.map((p) => gainOf(m, p)).reduce((x, y) => (x > y ? x : y)));
    const round = await pop.mergeRound({ deadline: Infinity, maxMerges: 1000 });
    expect(round.best.gain >= bestBefore).toBe(true);
    expect(verified(inst, m, round.best.winners)).toBe(m.reserveTotal + round.best.gain);
    // Each pair once: a second round with nothing new does nothing.
    const again = await pop.mergeRound({ deadline: Infinity, maxMerges: 1000 });
    expect(again.merges).toBe(0);
    expect(round.merges).toBeGreaterThanOrEqual(6);
  });
});

describe('portfolio lineages', () => {
  it('ends stalled lineages, merges their bests, and repeats its answer for the same seed and budget', async () => {
    const inst = generateInstance('regions', { rollups: 120, bids: 1000, seed: 1 });
    const m = compileMarket(inst);
    const start = randomPacking(m, 7);
    const moves: string[] = [];
    // One stalled epoch ends a lineage here, so that a short budget holds several.
    const run = (onImprove?: (g: bigint, move: string) => void): ReturnType<typeof runPortfolio> =>
      runPortfolio(m, allBids(m), start, { iterations: 60_000, seed: 4, lineageStallEpochs: 1, ...(onImprove === undefined ? {} : { onImprove }) });
    const r1 = await run((_, move) => moves.push(move));
    expect(r1.lineages).toBeGreaterThanOrEqual(2);
    expect(r1.merges).toBeGreaterThanOrEqual(1);
    expect(r1.gain >= gainOf(m, start)).toBe(true);
    expect(verified(inst, m, r1.winners)).toBe(m.reserveTotal + r1.gain);
    expect(moves.length).toBeGreaterThan(0);
    const r2 = await run();
    expect(r2.winners).toEqual(r1.winners);
    expect([r2.lineages, r2.merges]).toEqual([r1.lineages, r1.merges]);
  }, 120_000);
});
