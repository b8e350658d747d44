/** Per-mechanism metrics of a simulation: revenue, participation, joint sequencing, proposers, shill, price path. */
import type { SimulatedMarket } from './market.js';
import { shillBidder } from './market.js';
import { rollupIncome, shillProfit, type SimulatedMechanism, type SlotOutcome } from './outcome.js';
import { welfareMeter } from './welfare.js';

/** One rollup under one mechanism, summed over the slots. */
export interface RollupSummary {
  readonly rollup: string;
  readonly role: string;
  /** Σ payouts received. */
  readonly revenue: bigint;
  /** Σ income: payouts plus its own value in slots where it sequenced itself. */
  readonly income: bigint;
  /** Its income under isolated sequencing (null when isolated was not run). */
  readonly isolatedIncome: bigint | null;
  /** income / isolatedIncome in basis points, rounded down (null without isolated or when that is 0). */
  readonly vsIsolatedBps: number | null;
  /** Slots in which it was sold. */
  readonly soldSlots: number;
}

/** One mechanism, summed over the slots. */
export interface MechanismSummary {
  readonly mechanism: SimulatedMechanism;
  readonly slots: number;
  /** Σ payouts to rollups (what the market pays the rollups). */
  readonly revenue: bigint;
  /** Σ handed over by bidders (winning bids; every lottery ticket). */
  readonly collected: bigint;
  readonly refunds: bigint;
  readonly burned: bigint;
  /** Σ realised welfare (`welfare.ts`): what the slots' sequencing was worth to those who did it. */
  readonly welfare: bigint;
  /** Slots in which the mechanism ran a round (sale and allocation); fewer than `slots` only for a lottery run once per window. */
  readonly rounds: number;
  /** Slots in which some winning bundle had two or more rollups. */
  readonly jointSlots: number;
  /** Σ over slots of the number of distinct proposers (winning bidders / drawn holders). */
  readonly proposerSlots: number;
  /** Σ over slots of the number of rollups sequencing themselves. */
  readonly selfSlots: number;
  /** Rollups whose income is below their isolated income. */
  readonly worseThanIsolated: number;
  readonly shill: {
    readonly rollup: string;
    /** Σ shill profit (`shillProfit`) with its self-bid. */
    readonly profit: bigint;
    /** Σ of the same rollup's income in the same market without the self-bid. */
    readonly honestProfit: bigint;
    /** profit − honestProfit: what shill bidding gained (> 0) or cost (< 0). */
    readonly gain: bigint;
    /** The same gain over the slots in which the self-bid did not win (no ticket of it on a winning bundle). */
    readonly gainLosing: bigint;
    /** Slots in which it gained / lost by shill bidding. */
    readonly slotsGained: number;
    readonly slotsLost: number;
  };
  readonly rollups: readonly RollupSummary[];
  /** Lottery: the ticket price of each slot, then the price after the last; null otherwise. */
  readonly pricePath: readonly bigint[] | null;
}

/**
 * Summarises `outcomes` (slot-major) per mechanism; `honest` is the same run without the
 * shill's self-bid (the baseline of the shill's gain).
 */
export function summarizeSimulation(market: SimulatedMarket, mechanisms: readonly SimulatedMechanism[], outcomes: readonly SlotOutcome[], honest: readonly SlotOutcome[]): MechanismSummary[] {
  const shill = shillBidder(market.shillRollup);
  const slotOf = new Map(market.slots.map((s) => [s.slot, s] as const));
  const incomeOf = (list: readonly SlotOutcome[]): Map<string, bigint> => {
    const totals = new Map<string, bigint>();
    for (const o of list) for (const r of market.rollups) totals.set(r.id, (totals.get(r.id) ?? 0n) + rollupIncome(market, o, r.id, r.id === market.shillRollup ? shill : null));
    return totals;
  };
  const welfare = welfareMeter(market);
  const isolated = mechanisms.includes('isolated') ? incomeOf(outcomes.filter((o) => o.mechanism === 'isolated')) : null;
  return mechanisms.map((mechanism) => {
    const mine = outcomes.filter((o) => o.mechanism === mechanism);
    const base = honest.filter((o) => o.mechanism === mechanism);
    const income = incomeOf(mine);
    let profit = 0n;
    let honestProfit = 0n;
    let slotsGained = 0;
    let slotsLost = 0;
    let gainLosing = 0n;
    let lastWon = false;
    mine.forEach((o, i) => {
      const slot = slotOf.get(o.slot);
      const h = base[i];
      if (slot === undefined || h === undefined) return;
      const p = shillProfit(market, slot, o, shill);
      const q = shillProfit(market, { ...slot, shill: null }, h, shill);
      profit += p;
      honestProfit += q;
      // A later slot of a lottery window was won (or not) with its window's first slot.
      const won = o.carried === true ? lastWon : (o.shillPaid ?? 0n) > 0n || (slot.shill !== null && o.winners.some((w) => w.bids.includes(slot.shill?.id ?? '')));
      lastWon = won;
      if (!won) gainLosing += p - q;
      if (p > q) slotsGained++;
      if (p < q) slotsLost++;
    });
    const rollups: RollupSummary[] = market.rollups.map((r) => {
      const inc = income.get(r.id) ?? 0n;
      const iso = isolated?.get(r.id) ?? null;
      return {
        rollup: r.id,
        role: r.role,
        revenue: mine.reduce((s, o) => s + (o.payouts.find((p) => p.rollup === r.id)?.amount ?? 0n), 0n),
        income: inc,
        isolatedIncome: iso,
        vsIsolatedBps: iso === null || iso === 0n ? null : Number((inc * 10_000n) / iso),
        soldSlots: mine.filter((o) => o.winners.some((w) => w.bundle.includes(r.id))).length,
      };
    });
    const last = mine[mine.length - 1];
    return {
      mechanism,
      slots: mine.length,
      revenue: mine.reduce((s, o) => s + o.payouts.reduce((t, p) => t + p.amount, 0n), 0n),
      collected: mine.reduce((s, o) => s + o.collected, 0n),
      refunds: mine.reduce((s, o) => s + o.refunds.reduce((t, r) => t + r.amount, 0n), 0n),
      burned: mine.reduce((s, o) => s + o.burned, 0n),
      welfare: mine.reduce((s, o) => s + welfare(o), 0n),
      rounds: mine.filter((o) => o.carried !== true).length,
      jointSlots: mine.filter((o) => o.winners.some((w) => w.bundle.length >= 2)).length,
      proposerSlots: mine.reduce((s, o) => s + new Set(o.winners.map((w) => w.proposer)).size, 0),
      selfSlots: mine.reduce((s, o) => s + o.selfSequenced.length, 0),
      worseThanIsolated: rollups.filter((r) => r.isolatedIncome !== null && r.income < r.isolatedIncome).length,
      shill: { rollup: market.shillRollup, profit, honestProfit, gain: profit - honestProfit, gainLosing, slotsGained, slotsLost },
      rollups,
      pricePath: last?.nextPrice == null ? null : [...mine.map((o) => o.price ?? 0n), last.nextPrice],
    };
  });
}
