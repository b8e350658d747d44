/** Conversions between allocations by id and winner indices, in canonical order. */
import { InputError, describeValue } from './errors.js';
import type { Market } from './market.js';
import type { Allocation } from './types.js';

/** Winner ids in canonical (bid index) order. */
export function winnersToIds(market: Market, winners: ArrayLike<number>): string[] {
  const sorted = Int32Array.from(winners).sort();
  return Array.from(sorted, (b) => market.instance.bids[b]?.id as string);
}

/**
 * Resolves winner ids to bid indices without deduplicating or sorting (so a checker can report
 * repeats). Unknown ids throw {@link InputError} naming the position.
 */
export function idsToWinners(market: Market, allocation: Allocation, source?: string): number[] {
  return allocation.winners.map((id, i) => {
    const b = market.bidIndex.get(id);
    if (b === undefined) {
      throw new InputError({ ...(source === undefined ? {} : { source }), path: `winners[${i}]`, rule: 'names no bid of the instance', received: describeValue(id) });
    }
    return b;
  });
}
