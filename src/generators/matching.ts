/**
 * CATS `matching` (Leyton-Brown et al. 2000, §4.2, after Rassenti, Smith & Bulfin's airport
 * slots): goods are take-off/landing time slots at a few airports; a bidder flies from one
 * airport to another and bids, XOR, on (take-off, landing) slot pairs for its preferred
 * departure and up to four later ones, each delay lowering its value.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { Rng } from './rng.js';
import type { Instance } from '../model/types.js';

/** `bids` slot-pair bids over `n` airport time slots (four airports, as in CATS). */
export function matchingInstance(n: number, bids: number, seed: number): Instance {
  const rng = new Rng(seed, 0x3a7c);
  const airports = Math.max(1, Math.min(4, Math.floor(n / 2)));
  const slots = Array.from({ length: airports }, (_, a) => Math.floor(n / airports) + (a < n % airports ? 1 : 0));
  const offset = slots.map((_, a) => slots.slice(0, a).reduce((s, k) => s + k, 0));
  const ax = Array.from({ length: airports }, () => rng.float());
  const ay = Array.from({ length: airports }, () => rng.float());
  const out: DraftBid[] = [];
  let bidder = 0;
  while (out.length < bids) {
    const name = `u${bidder++}`;
    if (airports === 1) {
      // Degenerate market (n < 4): single-slot bids.
      out.push({ bidder: name, goods: [rng.int(0, n - 1)], price: rng.between(1, 10) });
      continue;
    }
    const [from, to] = rng.sample(airports, 2) as [number, number];
    const distance = Math.hypot((ax[from] ?? 0) - (ax[to] ?? 0), (ay[from] ?? 0) - (ay[to] ?? 0));
    const span = Math.min(slots[from] ?? 1, slots[to] ?? 1);
    const flight = Math.min(span - 1, 1 + Math.floor(distance * span / 10));
    const depart = rng.int(0, Math.max(0, span - 1 - flight));
    const value = rng.between(50, 150) * (1 + distance);
    const mine: DraftBid[] = [];
    for (let delay = 0; delay < 5 && out.length + mine.length < bids; delay++) {
      const t = depart + delay;
      if (t + flight >= span) break;
      const goods = [(offset[from] ?? 0) + t, (offset[to] ?? 0) + t + flight].sort((p, q) => p - q);
      mine.push({ bidder: name, goods, price: value * Math.pow(0.9, delay) * rng.between(0.95, 1.05), group: `x${name}` });
    }
    out.push(...mine);
  }
  return finish({ rollupIds: goodIds(n), bids: out, decimals: 4 });
}
