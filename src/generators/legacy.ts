/**
 * Sandholm's legacy distributions ("Algorithm for optimal winner determination in
 * combinatorial auctions", AIJ 2002): random (bundle size uniform in 1..n, price in [0, 1)),
 * weighted random (price in [0, size)), uniform (three goods, price in [0, 1)) and decay (grow
 * the bundle while a coin with α = 0.55 comes up, price in [0, size)). No XOR.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { Rng } from './rng.js';
import type { Instance } from '../model/types.js';

/** Names of the legacy families. */
export type LegacyFamily = 'random' | 'weighted-random' | 'uniform' | 'decay';

const DECAY_ALPHA = 0.55;
const UNIFORM_SIZE = 3;

/** `bids` bids over `n` goods from one of Sandholm's distributions. */
export function legacyInstance(family: LegacyFamily, n: number, bids: number, seed: number): Instance {
  const rng = new Rng(seed, 0x1e6a, family.length);
  const out: DraftBid[] = [];
  for (let k = 0; k < bids; k++) {
    let size: number;
    if (family === 'uniform') size = Math.min(UNIFORM_SIZE, n);
    else if (family === 'decay') {
      size = 1;
      while (size < n && rng.chance(DECAY_ALPHA)) size++;
    } else size = rng.int(1, n);
    const goods = rng.sample(n, size).sort((a, b) => a - b);
    const scale = family === 'weighted-random' || family === 'decay' ? size : 1;
    out.push({ bidder: `u${k}`, goods, price: rng.float() * scale });
  }
  return finish({ rollupIds: goodIds(n), bids: out, decimals: 6 });
}
