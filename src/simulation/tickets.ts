/** How builders' bids become execution tickets in the simulated lottery. */
import { compareIds } from '../model/order.js';
import type { Bid } from '../model/types.js';
import type { Ticket } from '../mechanism/types.js';

/**
 * Bids to tickets at `price`: a bidder buys a ticket on a bid's bundle, paying the bid's amount,
 * when amount ≥ price·|bundle| (and > 0); of bids joined by XOR only the highest becomes a
 * ticket (a ticket cannot be conditional); at most `cap` tickets, highest amounts first (ties
 * by id). Tickets in canonical id order.
 */
export function ticketsFromBids(bids: readonly Bid[], price: bigint, cap: number): Ticket[] {
  const byAmount = [...bids].sort((a, b) => (a.amount === b.amount ? compareIds(a.id, b.id) : a.amount > b.amount ? -1 : 1));
  const groups = new Set<string>();
  const out: Ticket[] = [];
  for (const b of byAmount) {
    if (out.length >= cap) break;
    if (b.amount === 0n || b.amount < price * BigInt(b.bundle.length)) continue;
    if (b.exclusive !== undefined) {
      if (groups.has(b.exclusive)) continue;
      groups.add(b.exclusive);
    }
    out.push({ id: b.id, holder: b.bidder, bundle: b.bundle, amount: b.amount });
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}


/** How builders turn their values into tickets: one ticket per bid, or the marginal-profit model. */
export type TicketModel = 'bids' | 'marginal';

/** Ticket models, for option parsers. */
export const TICKET_MODELS: readonly TicketModel[] = ['bids', 'marginal'];

/**
 * The marginal-profit ticket model. Tickets cost the price: c = max(1, price·|bundle|) each.
 * A builder values a bundle at v, its best bid on it. If the bundle wins, every ticket on it
 * pays and one is drawn with probability ∝ amount, so holding k of the tickets on a bundle
 * whose other tickets total O is worth, given that it wins, f(k) = k·c·v/(O + k·c) − k·c
 * (losing tickets are refunded, so the chance of winning only scales f and never changes its
 * sign). Sales go one ticket at a time to the (builder, bundle) whose next ticket adds the most,
 * f(k+1) − f(k), while that is positive, until `cap` tickets are sold (ties: holder, then
 * bundle, canonical order). Exclusive (XOR) groups are ignored: tickets are unconditional.
 * The choice uses floating point (it models behaviour, not money); amounts are exact. Ticket
 * ids `t0, t1, …` in sale order.
 */
export function marginalTickets(bids: readonly Bid[], price: bigint, cap: number): Ticket[] {
  const entries = new Map<string, { holder: string; bundle: readonly string[]; key: string; value: number; cost: bigint; mine: number }>();
  for (const b of bids) {
    const key = JSON.stringify(b.bundle);
    const id = `${b.bidder}\n${key}`;
    const value = Number(b.amount);
    const e = entries.get(id);
    if (e === undefined) {
      const cost = price * BigInt(b.bundle.length);
      entries.set(id, { holder: b.bidder, bundle: b.bundle, key, value, cost: cost > 0n ? cost : 1n, mine: 0 });
    } else if (value > e.value) e.value = value;
  }
  const list = [...entries.values()].sort((a, b) => compareIds(a.holder, b.holder) || compareIds(a.key, b.key));
  const onBundle = new Map<string, number>();
  const out: Ticket[] = [];
  const profit = (k: number, other: number, c: number, v: number): number => (k === 0 ? 0 : (k * c * v) / (other + k * c) - k * c);
  while (out.length < cap) {
    let best: (typeof list)[number] | null = null;
    let bestGain = 0;
    for (const e of list) {
      const c = Number(e.cost);
      const other = (onBundle.get(e.key) ?? 0) - e.mine * c;
      const gain = profit(e.mine + 1, other, c, e.value) - profit(e.mine, other, c, e.value);
      if (gain > bestGain) { best = e; bestGain = gain; }
    }
    if (best === null) break;
    out.push({ id: `t${out.length}`, holder: best.holder, bundle: best.bundle, amount: best.cost });
    best.mine++;
    onBundle.set(best.key, (onBundle.get(best.key) ?? 0) + Number(best.cost));
  }
  return out;
}
