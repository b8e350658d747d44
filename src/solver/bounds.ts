/** Cheap exact upper bounds on the gain of a set of bids. */
import type { Market } from '../model/market.js';

/**
 * min(Σ positive gains, Σ_r max_{b∋r} ⌈gain_b/|b|⌉): the second is a feasible dual of the LP
 * relaxation (each bid's rollup prices sum to at least its gain), so both bound any packing.
 */
export function cheapGainBound(market: Market, bids: ArrayLike<number>): bigint {
  let total = 0n;
  const price = new Map<number, bigint>();
  for (let i = 0; i < bids.length; i++) {
    const b = bids[i] as number;
    const gain = market.gain[b] as bigint;
    if (gain <= 0n) continue;
    total += gain;
    const start = market.bundleStart[b] as number;
    const size = BigInt((market.bundleStart[b + 1] as number) - start);
    const share = (gain + size - 1n) / size;
    for (let k = start; k < (market.bundleStart[b + 1] as number); k++) {
      const r = market.bundleItems[k] as number;
      const p = price.get(r);
      if (p === undefined || share > p) price.set(r, share);
    }
  }
  let dual = 0n;
  for (const p of price.values()) dual += p;
  return dual < total ? dual : total;
}
