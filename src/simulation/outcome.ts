/** One mechanism's outcome in one simulated slot, in a form common to all four mechanisms. */
import type { SimulatedMarket, SimulatedSlot } from './market.js';
import { proposerSchedule } from '../mechanism/schedule.js';
import type { ProposerSchedule, RoundResult } from '../mechanism/types.js';

/** Mechanisms compared by the simulation. */
export type SimulatedMechanism = 'isolated' | 'strawman' | 'auction' | 'lottery';

/** All mechanisms, in report order. */
export const SIMULATION_MECHANISMS: readonly SimulatedMechanism[] = ['isolated', 'strawman', 'auction', 'lottery'];

/** A sold bundle. */
export interface SlotWinner {
  readonly bundle: readonly string[];
  /** Winning bid (or ticket) ids on it. */
  readonly bids: readonly string[];
  /** Who proposes for these rollups (the winning bidder, or the drawn ticket's holder). */
  readonly proposer: string;
  /** What its bids (tickets) paid. */
  readonly paid: bigint;
}

/**
 * Outcome of a slot. Exactly: `collected` = Σ refunds + Σ payouts + burned, where `collected` is
 * what bidders handed over (winning bids; in the lottery every ticket bought).
 */
export interface SlotOutcome {
  readonly slot: number;
  readonly mechanism: SimulatedMechanism;
  readonly collected: bigint;
  readonly winners: readonly SlotWinner[];
  /** Losing lottery tickets, refunded in full (empty in the other mechanisms). */
  readonly refunds: readonly { readonly bid: string; readonly amount: bigint }[];
  /** Every rollup of the market (0 when not sold), canonical order. */
  readonly payouts: readonly { readonly rollup: string; readonly amount: bigint }[];
  readonly burned: bigint;
  /** Rollups not sold this slot (reserve not met, or opted out), canonical order. */
  readonly selfSequenced: readonly string[];
  /** Lottery: this slot's ticket price per rollup; null otherwise. */
  readonly price: bigint | null;
  /** Lottery: the price of the next slot; null otherwise. */
  readonly nextPrice: bigint | null;
  /** Lottery: what the shill's tickets on winning bundles paid (absent: its bid's amount if it won). */
  readonly shillPaid?: bigint;
  /** Lottery run once per window: a later slot of its window (proposers carried over, no money, no winner determination). */
  readonly carried?: boolean;
  /** Auction and lottery: the slot's proposer schedule entry, with its digest (`proposerSchedule`). */
  readonly schedule?: ProposerSchedule['slots'][number];
}

/** Converts a lottery or auction {@link RoundResult} of a slot into a {@link SlotOutcome}. */
export function fromRoundResult(market: SimulatedMarket, mechanism: SimulatedMechanism, slot: SimulatedSlot, result: RoundResult, price: bigint | null): SlotOutcome {
  const winners = result.winners.map((w) => ({ bundle: w.bundle, bids: w.tickets, proposer: w.proposerHolder, paid: w.paid }));
  const refunds = result.refunds.map((r) => ({ bid: r.ticket, amount: r.amount }));
  const paid = new Map(result.payouts.map((p) => [p.rollup, p.amount] as const));
  const covered = new Set(winners.flatMap((w) => w.bundle));
  return {
    slot: slot.slot,
    mechanism,
    collected: winners.reduce((s, w) => s + w.paid, 0n) + refunds.reduce((s, r) => s + r.amount, 0n),
    winners,
    refunds,
    payouts: market.rollups.map((r) => ({ rollup: r.id, amount: paid.get(r.id) ?? 0n })),
    burned: result.burned,
    selfSequenced: market.rollups.filter((r) => !covered.has(r.id)).map((r) => r.id),
    price,
    nextPrice: price === null ? null : result.nextPrice,
    schedule: proposerSchedule([{ slot: slot.slot, rollups: slot.rollups, result }]).slots[0] as ProposerSchedule['slots'][number],
  };
}

/**
 * A rollup's income in a slot: its payout, plus its own value (the generator's reserve) when it
 * sequences its own block — unsold, opted out, or won by its own (shill) bid.
 */
export function rollupIncome(market: SimulatedMarket, outcome: SlotOutcome, rollup: string, ownBidder: string | null = null): bigint {
  const own = market.rollups.find((r) => r.id === rollup)?.ownValue ?? 0n;
  const payout = outcome.payouts.find((p) => p.rollup === rollup)?.amount ?? 0n;
  const winner = outcome.winners.find((w) => w.bundle.includes(rollup));
  const selfSequenced = winner === undefined || (ownBidder !== null && winner.proposer === ownBidder);
  return payout + (selfSequenced ? own : 0n);
}

/**
 * The shill's profit in a slot: its rollup's income ({@link rollupIncome}) minus what its self-bid
 * paid when it won (a losing lottery ticket is refunded in full, so it costs nothing).
 * Without a shill bid this is simply the rollup's income: the honest baseline.
 */
export function shillProfit(market: SimulatedMarket, slot: SimulatedSlot, outcome: SlotOutcome, shillBidder: string): bigint {
  const bid = slot.shill;
  if (outcome.shillPaid !== undefined) return rollupIncome(market, outcome, market.shillRollup, shillBidder) - (bid === null ? 0n : outcome.shillPaid);
  const won = bid === null ? undefined : outcome.winners.find((w) => w.bids.includes(bid.id));
  // A winning ticket pays its amount; a winning auction bid pays what its payment rule charged.
  const paid = bid === null || won === undefined ? 0n : won.bids.length === 1 ? won.paid : bid.amount;
  return rollupIncome(market, outcome, market.shillRollup, shillBidder) - paid;
}
