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

