/**
 * The two baselines of the simulation that need no winner determination: isolated sequencing
 * (each rollup auctions itself alone) and the talk's strawman (the whole bundle versus all
 * rollups separately, the bundle price split proportionally to the individual bids).
 */
import { compareIds } from '../model/order.js';
import type { Bid } from '../model/types.js';
import type { SimulatedMarket, SimulatedSlot } from './market.js';
import type { SlotOutcome, SlotWinner } from './outcome.js';
import { splitPayout } from '../mechanism/payouts.js';
import type { RoundRollup } from '../mechanism/types.js';

/**
 * Isolated sequencing: every rollup runs its own first-price auction over the singleton bids on
 * it (honest and the shill's), with its own value as reserve and no burn, in every slot
 * (opting in or out of *shared* sequencing does not concern it). The best bid ≥ reserve wins
 * and pays its amount to the rollup; otherwise the rollup sequences itself.
 */
export function isolatedSlot(market: SimulatedMarket, slot: SimulatedSlot): SlotOutcome {
  const winners: SlotWinner[] = [];
  const payouts = new Map<string, bigint>();
  sellSeparately(market.rollups.map((r) => ({ id: r.id, reserve: r.ownValue })), bestSingletons(slot), winners, payouts);
  return outcome(market, slot, 'isolated', winners, payouts);
}

/** Sells each rollup alone to its best singleton bid when that is positive and reaches its reserve. */
function sellSeparately(rollups: readonly RoundRollup[], best: ReadonlyMap<string, Bid>, winners: SlotWinner[], payouts: Map<string, bigint>): void {
  for (const r of rollups) {
    const bid = best.get(r.id);
    if (bid !== undefined && bid.amount >= r.reserve && bid.amount > 0n) {
      winners.push({ bundle: [r.id], bids: [bid.id], proposer: bid.bidder, paid: bid.amount });
      payouts.set(r.id, bid.amount);
    }
  }
}

/**
 * The talk's strawman. Individual bid of a rollup = its best singleton bid (the shill's counts).
 * Whole-bundle bids: each builder that refuses no rollup bids on all opted-in rollups what it can
 * extract from them, the sum of its own bids picked greedily by amount (disjoint, at most one per
 * exclusive group; ≤ its value). If the best whole-bundle bid beats the sum of the individual
 * bids, the bundle is sold to it and its price split proportionally to the individual bids
 * (equally when all are 0; reserves ignored, as in the talk); otherwise every rollup is sold
 * separately to its individual bid when that reaches its reserve. No burn.
 */
export function strawmanSlot(market: SimulatedMarket, slot: SimulatedSlot): SlotOutcome {
  const best = bestSingletons(slot);
  const open = slot.rollups.map((r) => r.id);
  const individual = open.reduce((s, r) => s + (best.get(r)?.amount ?? 0n), 0n);
  const whole = wholeBundleBids(market, slot);
  const top = whole[0];
  const winners: SlotWinner[] = [];
  const payouts = new Map<string, bigint>();
  if (top !== undefined && open.length > 0 && top.amount > individual) {
    winners.push({ bundle: open, bids: [top.id], proposer: top.bidder, paid: top.amount });
    const singles = [...best.values()].map((b) => ({ bundle: b.bundle, net: b.amount }));
    const zero = new Map(open.map((r) => [r, 0n] as const));
    for (const share of splitPayout('standalone', { bundle: open, net: top.amount }, { reserves: zero, bids: singles })) payouts.set(share.rollup, share.amount);
  } else sellSeparately(slot.rollups, best, winners, payouts);
  return outcome(market, slot, 'strawman', winners, payouts);
}

/** Whole-bundle bids of the strawman, best first (ties by bidder). */
export function wholeBundleBids(market: SimulatedMarket, slot: SimulatedSlot): Bid[] {
  const refusing = new Set(market.refusers);
  const byBidder = new Map<string, Bid[]>();
  for (const b of slot.bids) if (!refusing.has(b.bidder)) byBidder.set(b.bidder, [...(byBidder.get(b.bidder) ?? []), b]);
  const open = slot.rollups.map((r) => r.id);
  const out: Bid[] = [];
  for (const [bidder, bids] of byBidder) {
    const used = new Set<string>();
    const groups = new Set<string>();
    let amount = 0n;
    const sorted = [...bids].sort((a, b) => (a.amount === b.amount ? compareIds(a.id, b.id) : a.amount > b.amount ? -1 : 1));
    for (const b of sorted) {
      if (b.bundle.some((r) => used.has(r)) || (b.exclusive !== undefined && groups.has(b.exclusive))) continue;
      for (const r of b.bundle) used.add(r);
      if (b.exclusive !== undefined) groups.add(b.exclusive);
      amount += b.amount;
    }
    out.push({ id: `whole:${bidder}`, bidder, bundle: open, amount });
  }
  return out.sort((a, b) => (a.amount === b.amount ? compareIds(a.bidder, b.bidder) : a.amount > b.amount ? -1 : 1));
}

/** Best singleton bid per rollup (honest and the shill's), ties to the smaller bid id. */
function bestSingletons(slot: SimulatedSlot): Map<string, Bid> {
  const best = new Map<string, Bid>();
  for (const b of slot.shill === null ? slot.bids : [...slot.bids, slot.shill]) {
    const r = b.bundle[0];
    if (b.bundle.length !== 1 || r === undefined) continue;
    const cur = best.get(r);
    if (cur === undefined || b.amount > cur.amount || (b.amount === cur.amount && compareIds(b.id, cur.id) < 0)) best.set(r, b);
  }
  return best;
}

/** Assembles an outcome without burn or refunds (every payment goes to the rollups sold). */
function outcome(market: SimulatedMarket, slot: SimulatedSlot, mechanism: SlotOutcome['mechanism'], winners: SlotWinner[], payouts: Map<string, bigint>): SlotOutcome {
  const paid = winners.reduce((s, w) => s + w.paid, 0n);
  const covered = new Set(winners.flatMap((w) => w.bundle));
  return {
    slot: slot.slot,
    mechanism,
    collected: paid,
    winners,
    refunds: [],
    payouts: market.rollups.map((r) => ({ rollup: r.id, amount: payouts.get(r.id) ?? 0n })),
    burned: 0n,
    selfSequenced: market.rollups.filter((r) => !covered.has(r.id)).map((r) => r.id),
    price: null,
    nextPrice: null,
  };
}
