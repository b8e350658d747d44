/**
 * Generators at the sizes the README uses (issue 9): for each family, the time to generate
 * 10,000 rollups × 100,000 bids next to the time `solve()` takes to its first allocation on the
 * same instance, measured side by side in one run. Run with `npm run bench:generate`.
 *
 * Left out at this size, with the reason: `random` and `weighted-random` (Sandholm's bundle
 * size is uniform in 1..n: 5·10^8 memberships, gigabytes as JSON). The CATS interest families
 * and `paths` run above 2,048 rollups on their lazy samplers (src/generators/interest.ts, paths.ts);
 * at 1,000 × 10,000 on the dense ones, the instances earlier releases generated.
 */
import { bench, describe } from 'vitest';
import { generateInstance, type GeneratorFamily } from '../src/generators/index.js';
import type { Instance } from '../src/model/types.js';
import { solve } from '../src/solver/solve.js';

const LARGE: readonly GeneratorFamily[] = ['decay', 'uniform', 'paths', 'matching', 'scheduling', 'rollup-market', 'arbitrary', 'regions', 'bidder-interest'];
const DENSE: readonly GeneratorFamily[] = ['arbitrary', 'regions', 'bidder-interest', 'paths'];

/** Solves until the first incumbent is reported, then aborts. */
async function firstAllocation(instance: Instance): Promise<void> {
  const controller = new AbortController();
  await solve(instance, { method: 'auto', timeLimit: 60, signal: controller.signal, onProgress: (p) => { if (p.incumbent !== null) controller.abort(); } });
}

const slow = { time: 0, iterations: 3, warmupIterations: 1 };
const generated = new Map<string, Instance>();

for (const [families, rollups, bids] of [[LARGE, 10_000, 100_000], [DENSE, 1000, 10_000]] as const) {
  for (const family of families) {
    describe(`${family} ${rollups} × ${bids}`, () => {
      bench('generateInstance', () => {
        generated.set(`${family} ${rollups}`, generateInstance(family, { rollups, bids, seed: 1 }));
      }, slow);
      bench('solve() to the first allocation', async () => {
        await firstAllocation(generated.get(`${family} ${rollups}`) ?? generateInstance(family, { rollups, bids, seed: 1 }));
      }, slow);
    });
  }
}
