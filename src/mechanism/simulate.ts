/**
 * Multi-slot market simulation (`bundle-auction simulate`): on the same generated slots, compare
 * isolated sequencing, the talk's strawman, the combinatorial auction and the combinatorial
 * lottery of execution tickets; measure revenue, participation, joint sequencing, proposers,
 * the shill's profit (against the same market without its self-bid) and the ticket-price path.
 */
import { createInstance } from '../model/instance.js';
import { sha256Hex } from '../model/digest.js';
import { compareIds } from '../model/order.js';
import type { Bid } from '../model/types.js';
import { UsageError } from '../model/errors.js';
import type { SolveOptions } from '../solver/solve.js';
import { runAuction } from './auction.js';
import { runLottery } from './lottery.js';
import { DEFAULT_PRICING } from './pricing.js';
import { isolatedSlot, strawmanSlot } from './simulate-isolated.js';
import { generateSimulatedMarket, type SimulatedMarket, type SimulatedSlot } from './simulate-market.js';
import { summarizeSimulation, type MechanismSummary } from './simulate-metrics.js';
import { fromRoundResult, SIMULATION_MECHANISMS, type SimulatedMechanism, type SlotOutcome } from './simulate-outcome.js';
import type { PayoutRule, PricingRule, Ticket } from './types.js';

export { generateSimulatedMarket, shillBidder, type SimulatedMarket, type SimulatedMarketConfig, type SimulatedRollup, type SimulatedSlot } from './simulate-market.js';
export { isolatedSlot, strawmanSlot, wholeBundleBids } from './simulate-isolated.js';
export { SIMULATION_MECHANISMS, rollupIncome, shillProfit, type SimulatedMechanism, type SlotOutcome, type SlotWinner } from './simulate-outcome.js';
export { summarizeSimulation, type MechanismSummary, type RollupSummary } from './simulate-metrics.js';
export { rollupsCsv, scheduleCsv, simulationJson, simulationObject, slotsCsv, summaryJson } from './simulate-report.js';
export { pricePathSvg, revenueSvg } from './simulate-svg.js';

/** Options of {@link simulate}; all optional. */
export interface SimulationOptions {
  /** Slots simulated. Default 50. */
  readonly slots?: number;
  /** Rollups, ≥ 3. Default 8. */
  readonly rollups?: number;
  /** Builders (10 bids each per slot), 3–40. Default max(3, min(40, rollups)). */
  readonly bidders?: number;
  /** Seed of everything (market, MEV, bids, lottery draws). Default 1. */
  readonly seed?: number;
  /** Mechanisms to run, in report order. Default all of {@link SIMULATION_MECHANISMS}. */
  readonly mechanisms?: readonly SimulatedMechanism[];
  /** Burn of auction and lottery payments in basis points. Default 0. */
  readonly burnBps?: number;
  /** Payout rule of auction and lottery. Default `standalone` (the talk's rule). */
  readonly payoutRule?: PayoutRule;
  /** Shill's self-bid as a multiple of its standalone value, basis points. Default 30000 (3×). */
  readonly shillMarkupBps?: number;
  /** Lottery: tickets per slot (cap K). Default 2 × rollups. */
  readonly cap?: number;
  /** Lottery: starting ticket price per rollup, wei. Default 10¹⁵ (0.001 ETH). */
  readonly startPrice?: bigint;
  /** Lottery price rule. Default `DEFAULT_PRICING`. */
  readonly pricing?: PricingRule;
  /** Winner-determination time limit per slot, seconds. Default 2. */
  readonly timeLimit?: number;
  /** Called after each slot (of both runs: with and without the shill): done, total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The resolved parameters of a simulation (recorded in its JSON). */
export interface SimulationParams {
  readonly slots: number;
  readonly rollups: number;
  readonly bidders: number;
  readonly seed: number;
  readonly mechanisms: readonly SimulatedMechanism[];
  readonly burnBps: number;
  readonly payoutRule: PayoutRule;
  readonly shillMarkupBps: number;
  readonly cap: number;
  readonly startPrice: bigint;
  readonly pricing: PricingRule;
}

/** Result of {@link simulate}. */
export interface Simulation {
  readonly params: SimulationParams;
  readonly market: SimulatedMarket;
  /** Slot-major, mechanisms in `params.mechanisms` order. */
  readonly outcomes: readonly SlotOutcome[];
  /** The same mechanisms on the same market without the shill's self-bid (the honest baseline). */
  readonly honest: readonly SlotOutcome[];
  readonly summaries: readonly MechanismSummary[];
}

/**
 * Runs the simulation. Deterministic in the options (given that every slot's winner
 * determination finishes within `timeLimit`, which small markets do by far).
 * @throws UsageError on options out of range.
 */
export async function simulate(options: SimulationOptions = {}): Promise<Simulation> {
  const rollups = options.rollups ?? 8;
  const params: SimulationParams = {
    slots: options.slots ?? 50,
    rollups,
    bidders: options.bidders ?? Math.max(3, Math.min(40, rollups)),
    seed: options.seed ?? 1,
    mechanisms: options.mechanisms ?? SIMULATION_MECHANISMS,
    burnBps: options.burnBps ?? 0,
    payoutRule: options.payoutRule ?? 'standalone',
    shillMarkupBps: options.shillMarkupBps ?? 30_000,
    cap: options.cap ?? 2 * rollups,
    startPrice: options.startPrice ?? 10n ** 15n,
    pricing: options.pricing ?? DEFAULT_PRICING,
  };
  if (params.mechanisms.length === 0 || params.mechanisms.some((m) => !SIMULATION_MECHANISMS.includes(m))) {
    throw new UsageError(`simulate: mechanisms must be a non-empty list of ${SIMULATION_MECHANISMS.join(', ')}`);
  }
  if (!Number.isSafeInteger(params.cap) || params.cap < 1) throw new UsageError(`simulate: cap must be a positive integer, got ${String(params.cap)}`);
  if (params.startPrice < 0n) throw new UsageError(`simulate: start price must not be negative, got ${params.startPrice}`);
  const market = generateSimulatedMarket(params);
  const honestMarket: SimulatedMarket = { ...market, slots: market.slots.map((s) => ({ ...s, shill: null })) };
  const solve: SolveOptions = { method: 'auto', timeLimit: options.timeLimit ?? 2 };
  const total = 2 * params.slots;
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, total);
  const outcomes = await runMechanisms(market, params, solve, tick);
  const honest = await runMechanisms(honestMarket, params, solve, tick);
  return { params, market, outcomes, honest, summaries: summarizeSimulation(market, params.mechanisms, outcomes, honest) };
}

/** Every mechanism on every slot of `market`, slot-major; the lottery carries its price forward. */
async function runMechanisms(market: SimulatedMarket, params: SimulationParams, solve: SolveOptions, tick: () => void): Promise<SlotOutcome[]> {
  const out: SlotOutcome[] = [];
  let price = params.startPrice;
  for (const slot of market.slots) {
    for (const mechanism of params.mechanisms) {
      if (mechanism === 'isolated') out.push(isolatedSlot(market, slot));
      else if (mechanism === 'strawman') out.push(strawmanSlot(market, slot));
      else if (mechanism === 'auction') out.push(await auctionSlot(market, slot, params, solve));
      else {
        const { outcome, next } = await lotterySlot(market, slot, params, price, solve);
        out.push(outcome);
        price = next;
      }
    }
    tick();
  }
  return out;
}

/** The combinatorial auction on a slot: all bids (honest and the shill's), first price. */
async function auctionSlot(market: SimulatedMarket, slot: SimulatedSlot, params: SimulationParams, solve: SolveOptions): Promise<SlotOutcome> {
  const instance = createInstance({ rollups: slot.rollups, bids: slotBids(slot) }, { source: `simulated slot ${slot.slot}` });
  const result = await runAuction(instance, { burnBps: params.burnBps, payoutRule: params.payoutRule, solve });
  return fromRoundResult(market, 'auction', slot, result, null);
}

/** The lottery on a slot at ticket price `price`: bids become tickets ({@link ticketsFromBids}). */
async function lotterySlot(market: SimulatedMarket, slot: SimulatedSlot, params: SimulationParams, price: bigint, solve: SolveOptions): Promise<{ outcome: SlotOutcome; next: bigint }> {
  const round = {
    rollups: slot.rollups,
    tickets: ticketsFromBids(slotBids(slot), price, params.cap),
    price,
    cap: params.cap,
    burnBps: params.burnBps,
    payoutRule: params.payoutRule,
    pricing: params.pricing,
  };
  const result = await runLottery(round, { seed: simulationDrawSeed(params.seed, slot.slot), solve });
  return { outcome: fromRoundResult(market, 'lottery', slot, result, price), next: result.nextPrice };
}

/** The slot's bids: honest ones and the shill's. */
function slotBids(slot: SimulatedSlot): Bid[] {
  return slot.shill === null ? [...slot.bids] : [...slot.bids, slot.shill];
}

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

/** The public randomness of a simulated slot's draw: sha256 of "bundle-auction/simulate/<seed>/<slot>". */
export function simulationDrawSeed(seed: number, slot: number): string {
  return sha256Hex(`bundle-auction/simulate/${seed}/${slot}`);
}
