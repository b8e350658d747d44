import { describe, expect, it } from 'vitest';
import { generateInstance } from '../src/generators/index.js';
import { compileMarket } from '../src/model/market.js';
import { highsBackend, highsCounters } from '../src/solver/highs.js';
import { buildPacking } from '../src/solver/packing.js';
import { presolve } from '../src/solver/presolve.js';
import { foundWriter, incumbentReader, SharedIncumbent } from '../src/solver/shared-incumbent.js';

describe('packings offered to a running MIP (shared-incumbent)', () => {
  it('each packing is read once, over the reader\'s own columns, in both directions; a missing column reads as 0', () => {
    const shared = new SharedIncumbent(Int32Array.from([3, 5, 8, 13]));
    // The solve's problem has columns 13, 3 and 21 (not in the race): slots 3, 0 and −1.
    const view = shared.view(Int32Array.from([13, 3, 21]));
    expect(Array.from(view.slots)).toEqual([3, 0, -1]);
    const read = incumbentReader(view);
    expect(read()).toBeNull(); // nothing offered yet
    shared.offer([3, 8, 21, 99]);
    expect(Array.from(read() ?? [])).toEqual([0, 1, 0]);
    expect(read()).toBeNull(); // read once
    shared.offer([13]);
    expect(Array.from(read() ?? [])).toEqual([1, 0, 0]);
    // From the MIP: its problem columns 13 and 3 set (21 has no slot), back as global bids.
    const publish = foundWriter(view);
    expect(shared.found()).toBeNull();
    publish(Float64Array.from([1, 0.9999, 1]));
    expect(shared.found()).toEqual([3, 13]);
    expect(shared.found()).toBeNull();
    publish([0, 1, 0]);
    expect(shared.found()).toEqual([3]);
    // The two directions do not mix.
    expect(read()).toBeNull();
  });

  it('HiGHS takes an offered packing while it runs, and its answer is the same optimum', async () => {
    // Large enough that HiGHS reaches its user-solution checkpoints (a root-solved MIP may not).
    const instance = generateInstance('rollup-market', { rollups: 150, bids: 3000, seed: 2 });
    const market = compileMarket(instance);
    const bids = presolve(market, { reduce: true }).components.reduce((a, b) => (b.length > a.length ? b : a));
    // Integral weights (gains in units of 10^12 wei, rounded): a lossless model of its own.
    const weight = Float64Array.from(bids, (b) => Math.round(Number(market.gain[b] as bigint) / 1e12));
    const problem = buildPacking(market, bids, weight);
    const plain = await highsBackend.solve(problem, { timeLimitSec: 60 });
    expect(plain.status).toBe('optimal');
    const value = (x: Uint8Array | null): number => (x ?? new Uint8Array()).reduce((s, v, j) => s + v * (weight[j] as number), 0);
    const optimum: number[] = [];
    plain.x?.forEach((v, j) => { if (v === 1) optimum.push(bids[j] as number); });

    const shared = new SharedIncumbent(bids);
    shared.offer(optimum);
    const before = { ...highsCounters };
    const offered = await highsBackend.solve(problem, { timeLimitSec: 60, shared: shared.view(bids) });
    expect(highsCounters.offered - before.offered).toBe(1); // read once, at the first checkpoint
    expect(highsCounters.accepted - before.accepted).toBe(1);
    expect(offered.status).toBe('optimal');
    expect(value(offered.x)).toBe(value(plain.x));
    // Its improving solutions came back: the last one is its answer.
    const back = shared.found();
    expect(back).not.toBeNull();
    const answer: number[] = [];
    offered.x?.forEach((v, j) => { if (v === 1) answer.push(bids[j] as number); });
    expect(back).toEqual(answer);
  }, 120_000);
});
