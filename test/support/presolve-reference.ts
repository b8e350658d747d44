/**
 * The presolve as it was before issue 13 item 4 (a plain pair scan: for each bid, count how often
 * every bid sharing a rollup with it is seen), kept unchanged as the reference that
 * `src/solver/presolve.ts` must agree with exactly (test/presolve.test.ts). The component split
 * after it is unchanged and shared.
 */
import type { Market } from '../../src/model/market.js';
import { splitComponents, type PresolveOptions, type Presolved } from '../../src/solver/presolve.js';

/** The old presolve: same options, same result shape. */
export function referencePresolve(market: Market, options: PresolveOptions = {}): Presolved {
  const positive: number[] = [];
  for (let b = 0; b < market.nBids; b++) if ((market.gain[b] as bigint) > 0n) positive.push(b);
  const alive = new Uint8Array(market.nBids);
  for (const b of positive) alive[b] = 1;
  const reduce = options.reduce ?? true;
  const { removed, complete } = reduce ? removeDominated(market, positive, alive, options.dominanceWork ?? 5e7) : { removed: 0, complete: false };
  const kept = positive.filter((b) => alive[b] === 1);
  return {
    components: reduce ? splitComponents(market, kept) : kept.length === 0 ? [] : [Int32Array.from(kept)],
    removedNonPositive: market.nBids - positive.length,
    removedDominated: removed,
    dominanceComplete: complete,
  };
}

/**
 * Bid a is dominated by bid b when bundle(b) ⊆ bundle(a), gain(b) ≥ gain(a) and b's exclusive
 * group is none or a's: any allocation using a is then no better than the same one using b.
 * Exact duplicates keep the lower index. The relation is transitive, so removing every
 * dominated bid at once is safe.
 */
function removeDominated(market: Market, bids: readonly number[], alive: Uint8Array, budget: number): { removed: number; complete: boolean } {
  const size = (b: number): number => (market.bundleStart[b + 1] as number) - (market.bundleStart[b] as number);
  const count = new Int32Array(market.nBids);
  const touched: number[] = [];
  let work = 0;
  let removed = 0;
  for (const a of bids) {
    const sa = size(a);
    const ga = market.gain[a] as bigint;
    const groupA = market.group[a] as number;
    touched.length = 0;
    for (let k = market.bundleStart[a] as number; k < (market.bundleStart[a + 1] as number); k++) {
      const r = market.bundleItems[k] as number;
      const end = market.rollupBidStart[r + 1] as number;
      work += end - (market.rollupBidStart[r] as number);
      for (let j = market.rollupBidStart[r] as number; j < end; j++) {
        const b = market.rollupBidItems[j] as number;
        if ((count[b] as number) === 0) touched.push(b);
        count[b] = (count[b] as number) + 1;
      }
    }
    for (const b of touched) {
      const covered = count[b] as number;
      count[b] = 0;
      // Cheap integer tests first: most neighbours do not fit inside a's bundle.
      if (covered !== size(b) || b === a || alive[a] === 0) continue;
      const groupB = market.group[b] as number;
      if (groupB !== -1 && groupB !== groupA) continue;
      if ((market.gain[b] as bigint) <= 0n) continue;
      const gb = market.gain[b] as bigint;
      if (gb < ga) continue;
      const strictly = gb > ga || covered < sa || (groupB === -1 && groupA !== -1);
      if (strictly || b < a) {
        alive[a] = 0;
        removed++;
      }
    }
    if (work > budget) return { removed, complete: false };
  }
  return { removed, complete: true };
}
