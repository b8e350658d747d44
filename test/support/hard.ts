/** A deterministic instance that HiGHS does not finish in a fraction of a second. */
import { createInstance } from '../../src/model/instance.js';
import type { Instance } from '../../src/model/types.js';

/** Random 3–8-rollup bundles with prices ~ size·U(0.8,1.2), from a tiny LCG (seeded). */
export function hardInstance(nRollups: number, nBids: number, seed: number): Instance {
  let state = BigInt(seed) * 6364136223846793005n + 1442695040888963407n;
  const next = (): number => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return Number(state >> 33n) / 2 ** 31;
  };
  const bids = Array.from({ length: nBids }, (_, i) => {
    const size = 3 + Math.floor(next() * 6);
    const members = new Set<number>();
    while (members.size < size) members.add(Math.floor(next() * nRollups));
    const amount = BigInt(Math.round(size * (800 + 400 * next()) * 1000));
    return { id: `b${i}`, bidder: `x${i}`, bundle: [...members].map((r) => `r${r}`), amount };
  });
  return createInstance({ rollups: Array.from({ length: nRollups }, (_, i) => ({ id: `r${i}` })), bids });
}
