/**
 * CATS `scheduling` (Leyton-Brown et al. 2000, §4.4): goods are the time slots of one machine;
 * a bidder has a job of some length and a deadline, and bids, XOR, on contiguous intervals that
 * end at the deadline or up to four slots after it, the value decaying with lateness.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { Rng } from './rng.js';
import type { Instance } from '../model/types.js';

/** `bids` interval bids over `n` machine time slots. */
export function schedulingInstance(n: number, bids: number, seed: number): Instance {
  const rng = new Rng(seed, 0x5c4e);
  const longest = Math.max(1, Math.min(10, Math.floor(n / 4)));
  const out: DraftBid[] = [];
  let bidder = 0;
  while (out.length < bids) {
    const name = `u${bidder++}`;
    const length = rng.int(1, longest);
    const deadline = rng.int(length, n);
    const value = rng.between(1, 100) * length;
    const mine: DraftBid[] = [];
    for (let late = 0; late < 5 && deadline + late <= n && out.length + mine.length < bids; late++) {
      const end = deadline + late;
      const goods = Array.from({ length }, (_, i) => end - length + i);
      mine.push({ bidder: name, goods, price: value * Math.pow(0.85, late), group: `x${name}` });
    }
    out.push(...mine);
  }
  return finish({ rollupIds: goodIds(n), bids: out, decimals: 4 });
}
