/**
 * Anytime start-up at scale (issue 4): on 10,000 rollups × 100,000 bids, how long `solve()`
 * takes to its first allocation (greedy, reported through `onProgress`), and the memory the
 * whole solve needs. Run with `npm run bench:first`. Each timed call aborts the solve as soon
 * as the first incumbent is reported, so it measures index + presolve + greedy + return.
 */
import { bench, describe } from 'vitest';
import { generateInstance } from '../src/generators/index.js';
import { solve } from '../src/solver/solve.js';
import { checkAllocation } from '../src/verify/check.js';

const instance = generateInstance('decay', { rollups: 10_000, bids: 100_000, seed: 1 });

/** Solves until the first incumbent is reported, then aborts; returns that allocation's value. */
async function firstAllocation(method: 'auto' | 'heuristic'): Promise<bigint> {
  const controller = new AbortController();
  const result = await solve(instance, {
    method,
    timeLimit: 60,
    signal: controller.signal,
    onProgress: (p) => { if (p.incumbent !== null) controller.abort(); },
  });
  if (!checkAllocation(instance, { winners: result.winners }).valid) throw new Error('invalid first allocation');
  return result.value;
}

// One full 10 s anytime solve first, for the memory figure and as a check that it runs.
const before = process.memoryUsage().rss;
const full = await solve(instance, { timeLimit: 10 });
console.log(`10,000 × 100,000: auto 10 s → value ${full.value}, bound ${full.bound}, ${full.elapsedMs} ms; ` +
  `RSS ${(before / 2 ** 20).toFixed(0)} MiB before, ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB after`);

const slow = { time: 0, iterations: 5, warmupIterations: 1 };

describe('first allocation, 10,000 rollups × 100,000 bids', () => {
  bench('solve() until the first incumbent (auto)', async () => void (await firstAllocation('auto')), slow);
  bench('solve() until the first incumbent (heuristic)', async () => void (await firstAllocation('heuristic')), slow);
});
