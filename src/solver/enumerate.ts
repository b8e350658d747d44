/** Exact branch and bound in bigint for small components (no floats anywhere). */
import type { Market } from '../model/market.js';

/** The parts of a market that enumeration reads. */
export type EnumerationIndex = Pick<Market, 'gain' | 'group' | 'bundleStart' | 'bundleItems'>;

/** Largest component solved by {@link branchAndBound} (bitmask width). */
export const ENUMERATION_LIMIT = 24;

/**
 * Maximum-gain packing of the given bids (at most {@link ENUMERATION_LIMIT}), exactly. Among
 * optimal packings, returns the first found with bids tried in decreasing gain (ties by index).
 */
export function branchAndBound(market: EnumerationIndex, bids: ArrayLike<number>): { winners: number[]; gain: bigint } {
  const n = bids.length;
  if (n > ENUMERATION_LIMIT) throw new RangeError(`branchAndBound takes at most ${ENUMERATION_LIMIT} bids, got ${n}`);
  const order = Array.from({ length: n }, (_, i) => bids[i] as number)
    .sort((x, y) => {
      const gx = market.gain[x] as bigint;
      const gy = market.gain[y] as bigint;
      return gx === gy ? x - y : gx > gy ? -1 : 1;
    });
  const gain = order.map((b) => market.gain[b] as bigint);
  const conflict = conflictMasks(market, order);
  let bestGain = 0n;
  let bestMask = 0;
  const search = (i: number, blocked: number, mask: number, current: bigint): void => {
    if (current > bestGain) {
      bestGain = current;
      bestMask = mask;
    }
    if (i === n) return;
    let bound = current;
    for (let j = i; j < n; j++) if ((blocked & (1 << j)) === 0 && (gain[j] as bigint) > 0n) bound += gain[j] as bigint;
    if (bound <= bestGain) return;
    if ((blocked & (1 << i)) === 0 && (gain[i] as bigint) > 0n) {
      search(i + 1, blocked | (conflict[i] as number), mask | (1 << i), current + (gain[i] as bigint));
    }
    search(i + 1, blocked, mask, current);
  };
  search(0, 0, 0, 0n);
  const winners = order.filter((_, i) => (bestMask & (1 << i)) !== 0).sort((x, y) => x - y);
  return { winners, gain: bestGain };
}

/** Per bid of `bids` (at most {@link ENUMERATION_LIMIT}), the bitmask of the others it conflicts with. */
export function conflictMasks(market: EnumerationIndex, bids: ArrayLike<number>): Int32Array {
  const n = bids.length;
  const conflict = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (sharesItem(market, bids[i] as number, bids[j] as number)) {
        conflict[i] = (conflict[i] as number) | (1 << j);
        conflict[j] = (conflict[j] as number) | (1 << i);
      }
    }
  }
  return conflict;
}

/** Whether two bids share a rollup or an exclusive group (bundles are sorted). */
export function sharesItem(market: EnumerationIndex, a: number, b: number): boolean {
  const ga = market.group[a] as number;
  if (ga >= 0 && ga === market.group[b]) return true;
  let i = market.bundleStart[a] as number;
  let j = market.bundleStart[b] as number;
  const ie = market.bundleStart[a + 1] as number;
  const je = market.bundleStart[b + 1] as number;
  while (i < ie && j < je) {
    const x = market.bundleItems[i] as number;
    const y = market.bundleItems[j] as number;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}
