/**
 * The dominance presolve (issue 13 item 4) against the plain pair scan it replaced
 * (test/support/presolve-reference.ts): the same bids removed, the same components, the same
 * budget cut-off, on seeded random instances with reserves and exclusive groups and on every
 * corpus file.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInstanceFile } from '../src/formats/files.js';
import { compileMarket, type Market } from '../src/model/market.js';
import { presolve, type PresolveOptions } from '../src/solver/presolve.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { referencePresolve } from './support/presolve-reference.js';

/** Both presolves' results in a comparable form (components as plain arrays). */
function both(market: Market, options: PresolveOptions): { ours: unknown; reference: unknown; removed: number; complete: boolean } {
  const plain = (p: ReturnType<typeof presolve>): unknown => ({ ...p, components: p.components.map((c) => [...c]) });
  const ours = presolve(market, options);
  return { ours: plain(ours), reference: plain(referencePresolve(market, options)), removed: ours.removedDominated, complete: ours.dominanceComplete };
}

/** True when two positive-gain bids have the same bundle and gain (the lower index must stay). */
function hasDuplicate(market: Market): boolean {
  const seen = new Set<string>();
  for (let b = 0; b < market.nBids; b++) {
    if ((market.gain[b] as bigint) <= 0n) continue;
    const key = `${[...market.bundleItems.subarray(market.bundleStart[b], market.bundleStart[b + 1])].join(',')}|${market.gain[b] as bigint}|${market.group[b] as number}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

describe('dominance presolve', () => {
  it('removes exactly the bids the plain pair scan removes (random instances, reserves, groups, budgets)', () => {
    // Few rollups, small amounts: many nested bundles, equal gains and exact duplicates.
    const shapes = fc.oneof(
      instances({ maxRollups: 6, maxBids: 40, maxBundle: 4, maxAmount: 40n }),
      instances({ maxRollups: 12, minBids: 20, maxBids: 120, maxBundle: 5, maxAmount: 200n }),
      instances({ maxRollups: 8, maxBids: 60, maxBundle: 3, wei: true }),
    );
    const budget = fc.option(fc.integer({ min: 0, max: 600 }), { freq: 2, nil: undefined });
    let removing = 0;
    let cut = 0;
    let duplicates = 0;
    let grouped = 0;
    fc.assert(
      fc.property(shapes, budget, fc.boolean(), (instance, dominanceWork, reduce) => {
        const market = compileMarket(instance);
        const options: PresolveOptions = { reduce, ...(dominanceWork === undefined ? {} : { dominanceWork }) };
        const r = both(market, options);
        expect(r.ours).toEqual(r.reference);
        if (r.removed > 0) removing++;
        if (reduce && !r.complete) cut++;
        if (reduce && hasDuplicate(market)) duplicates++;
        if (r.removed > 0 && market.nGroups > 0) grouped++;
      }),
      { seed: PROPERTY_SEED, numRuns: 600 },
    );
    // The interesting branches ran often enough to mean something.
    expect(removing).toBeGreaterThan(150);
    expect(cut).toBeGreaterThan(30);
    expect(duplicates).toBeGreaterThan(30);
    expect(grouped).toBeGreaterThan(100);
  });

  const files = ['cats', 'lau-goh', 'sandholm'].flatMap((d) => readdirSync(join('corpus', d)).map((f) => join('corpus', d, f))).sort();

  it.each(files)('removes exactly the bids the plain pair scan removes on %s', async (file) => {
    const market = compileMarket(await readInstanceFile(file));
    const r = both(market, {});
    expect(r.ours).toEqual(r.reference);
  });

  it('covers the corpus, with removals and a budget cut-off among its files', async () => {
    expect(files.length).toBeGreaterThanOrEqual(23);
    const paths = await Promise.all(['corpus/cats/paths_40.txt', 'corpus/sandholm/rand2000_100.txt'].map(async (f) => presolve(compileMarket(await readInstanceFile(f)))));
    expect(paths[0]?.removedDominated).toBeGreaterThan(0);
    expect(paths[1]?.dominanceComplete).toBe(false);
  });
});
