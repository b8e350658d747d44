import { describe, expect, it } from 'vitest';
import { generateInstance } from '../src/generators/index.js';
import { bestGreedy, gainOf } from '../src/heuristics/greedy.js';
import { lnsSearch } from '../src/heuristics/lns.js';
import { Packing, SubProblemBuilder } from '../src/heuristics/lns-packing.js';
import { compileMarket, type Market } from '../src/model/market.js';
import { ENUMERATION_LIMIT } from '../src/solver/enumerate.js';
import { allBids, verified } from './support/search-checks.js';

/** Rollups of bid b. */
const bundle = (m: Market, b: number): number[] => Array.from(m.bundleItems.subarray(m.bundleStart[b], m.bundleStart[b + 1]));

describe('LNS sub-problem sizes', () => {
  it('a neighbourhood frees exactly the bids inside the freed rollups and the rollups no winner owns', () => {
    const inst = generateInstance('uniform', { rollups: 40, bids: 400, seed: 11 });
    const m = compileMarket(inst);
    // A sparse packing (three of greedy's winners): most rollups are owned by nobody.
    const winners = bestGreedy(m, allBids(m)).winners.slice(0, 3);
    const p = new Packing(m, winners);
    const builder = new SubProblemBuilder(m, allBids(m));
    let viaUnowned = 0;
    for (const w of winners) {
      const r0 = bundle(m, w)[0] as number;
      const sub = builder.build(p, [r0], m.nBids, m.nBids);
      expect(sub.removed).toEqual([w]);
      // Independently: freed = unowned ∪ w's rollups; free = positive bids inside freed.
      const freed = new Set<number>(bundle(m, w));
      for (let r = 0; r < m.nRollups; r++) if (p.ownerR[r] === -1) freed.add(r);
      const expected = allBids(m).filter((b) => (m.gain[b] as bigint) > 0n && bundle(m, b).every((r) => freed.has(r)));
      expect(Array.from(sub.free)).toEqual(expected);
      // Bids that need an unowned rollup besides the freed ones (what freeing w alone misses).
      viaUnowned += expected.filter((b) => bundle(m, b).some((r) => p.ownerR[r] === -1) && bundle(m, b).some((r) => p.ownerR[r] === w)).length;
    }
    expect(viaUnowned).toBeGreaterThan(0);
  });

  it('grows past enumeration into sub-MIPs once small neighbourhoods hold nothing; answers stay exact and never worse', async () => {
    const inst = generateInstance('uniform', { rollups: 60, bids: 1200, seed: 5 });
    const m = compileMarket(inst);
    const greedy = bestGreedy(m, allBids(m));
    // A start that enumeration-sized neighbourhoods cannot improve: their own local optimum.
    const small = await lnsSearch(m, allBids(m), greedy.winners, { seed: 3, maxSteps: 400, maxFree: ENUMERATION_LIMIT, deterministic: true });
    expect(small.free).toBeLessThanOrEqual(ENUMERATION_LIMIT);
    const r = await lnsSearch(m, allBids(m), small.winners, { seed: 3, maxSteps: 400, deterministic: true });
    expect(verified(inst, m, r.winners)).toBe(m.reserveTotal + r.gain);
    expect(r.gain).toBe(gainOf(m, r.winners));
    expect(r.gain >= small.gain).toBe(true);
    expect(r.free).toBeGreaterThan(ENUMERATION_LIMIT);
  });

  it('starts at startFree, and a large step counts for several of maxSteps', async () => {
    const inst = generateInstance('uniform', { rollups: 60, bids: 1200, seed: 5 });
    const m = compileMarket(inst);
    const start = bestGreedy(m, allBids(m));
    const r = await lnsSearch(m, allBids(m), start.winners, { seed: 1, maxSteps: 10, startFree: 240, deterministic: true });
    // One step of ~240 free bids is 10 enumeration-sized steps of work.
    expect(r.steps).toBeLessThan(10);
    // After one step the size is 240 halved, shrunk or grown: far above the default start.
    expect(r.free).toBeGreaterThanOrEqual(ENUMERATION_LIMIT * 4);
    expect(r.gain >= start.gain).toBe(true);
    const plain = await lnsSearch(m, allBids(m), start.winners, { seed: 1, maxSteps: 10, deterministic: true });
    // From the default start (24 free bids, growing slowly) the same budget buys more steps.
    expect(plain.steps).toBeGreaterThan(r.steps);
    expect(plain.free).toBeLessThan(r.free);
  });
});
