/**
 * Multi-slot market simulation (`bundle-auction simulate`): on the same generated slots, compare
 * isolated sequencing, the talk's strawman, the combinatorial auction and the combinatorial
 * lottery of execution tickets; measure revenue, participation, joint sequencing, proposers,
 * the shill's profit (against the same market without its self-bid) and the ticket-price path.
 */
import { createInstance } from '../model/instance.js';
import { sha256Hex } from '../model/digest.js';
import type { Bid } from '../model/types.js';
import { UsageError } from '../model/errors.js';
import type { SolveOptions } from '../solver/solve.js';
import { runAuction } from '../mechanism/auction.js';
import { PAYMENT_RULES } from '../mechanism/payments.js';
import { DEFAULT_PAYOUT_RULE } from '../mechanism/payouts.js';
import { DEFAULT_PRICING } from '../mechanism/pricing.js';
import { isolatedSlot, strawmanSlot } from './isolated.js';
import { generateSimulatedMarket, type SimulatedMarket, type SimulatedSlot } from './market.js';
import { summarizeSimulation } from './metrics.js';
import { fromRoundResult, SIMULATION_MECHANISMS, type SlotOutcome } from './outcome.js';
import { lotteryWindow } from './lottery-window.js';
import { TICKET_MODELS } from './tickets.js';
import type { Simulation, SimulationOptions, SimulationParams } from './types.js';

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
    payoutRule: options.payoutRule ?? DEFAULT_PAYOUT_RULE,
    shillMarkupBps: options.shillMarkupBps ?? 30_000,
    paymentRule: options.paymentRule ?? 'pay-as-bid',
    refuserShareBps: options.refuserShareBps ?? 5_000,
    ticketModel: options.ticketModel ?? 'bids',
    shadeBps: options.shadeBps ?? 10_000,
    cap: options.cap ?? 2 * rollups,
    startPrice: options.startPrice ?? 10n ** 15n,
    pricing: options.pricing ?? DEFAULT_PRICING,
    lotteryWindow: options.lotteryWindow ?? 1,
  };
  if (params.mechanisms.length === 0 || params.mechanisms.some((m) => !SIMULATION_MECHANISMS.includes(m))) {
    throw new UsageError(`simulate: mechanisms must be a non-empty list of ${SIMULATION_MECHANISMS.join(', ')}`);
  }
  if (!Number.isSafeInteger(params.cap) || params.cap < 1) throw new UsageError(`simulate: cap must be a positive integer, got ${String(params.cap)}`);
  if (!PAYMENT_RULES.includes(params.paymentRule)) throw new UsageError(`simulate: payment rule must be one of ${PAYMENT_RULES.join(', ')}, got ${String(params.paymentRule)}`);
  if (!TICKET_MODELS.includes(params.ticketModel)) throw new UsageError(`simulate: ticket model must be one of ${TICKET_MODELS.join(', ')}, got ${String(params.ticketModel)}`);
  if (!Number.isSafeInteger(params.shadeBps) || params.shadeBps < 0 || params.shadeBps > 10_000) throw new UsageError(`simulate: shade must be an integer from 0 to 10000 bps, got ${String(params.shadeBps)}`);
  if (!Number.isSafeInteger(params.lotteryWindow) || params.lotteryWindow < 1) throw new UsageError(`simulate: lottery window must be a positive integer (slots), got ${String(params.lotteryWindow)}`);
  if (params.startPrice < 0n) throw new UsageError(`simulate: start price must not be negative, got ${params.startPrice}`);
  const market = generateSimulatedMarket(params);
  const honestMarket: SimulatedMarket = { ...market, slots: market.slots.map((s) => ({ ...s, shill: null })) };
  const solve: SolveOptions = { method: 'auto', timeLimit: options.timeLimit ?? 2 };
  const total = 2 * params.slots;
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, total);
  const shading: Shading = { bidder: SHADER, profit: 0n, wins: 0 };
  const outcomes = await runMechanisms(market, params, solve, tick, shading);
  const honest = await runMechanisms(honestMarket, params, solve, tick, null);
  return {
    params, market, outcomes, honest,
    summaries: summarizeSimulation(market, params.mechanisms, outcomes, honest),
    shading: params.mechanisms.includes('auction') ? shading : null,
  };
}

/** The builder whose bids `shadeBps` scales (the generator's first builder). */
export const SHADER = 'builder-01';

interface Shading { readonly bidder: string; profit: bigint; wins: number }

/**
 * Every mechanism on every slot of `market`, slot-major; the lottery runs once per window of
 * `params.lotteryWindow` slots (`lotteryWindow`) and carries its price forward.
 */
async function runMechanisms(market: SimulatedMarket, params: SimulationParams, solve: SolveOptions, tick: () => void, shading: Shading | null): Promise<SlotOutcome[]> {
  const out: SlotOutcome[] = [];
  let price = params.startPrice;
  let pending: SlotOutcome[] = [];
  for (const [i, slot] of market.slots.entries()) {
    for (const mechanism of params.mechanisms) {
      if (mechanism === 'isolated') out.push(isolatedSlot(market, slot));
      else if (mechanism === 'strawman') out.push(strawmanSlot(market, slot));
      else if (mechanism === 'auction') out.push(await auctionSlot(market, slot, params, solve, shading));
      else {
        if (i % params.lotteryWindow === 0) {
          const window = market.slots.slice(i, i + params.lotteryWindow);
          const run = await lotteryWindow(market, window, params, price, simulationDrawSeed(params.seed, slot.slot), solve);
          pending = run.outcomes;
          price = run.next;
        }
        const outcome = pending.shift();
        if (outcome !== undefined) out.push(outcome);
      }
    }
    tick();
  }
  return out;
}

/**
 * The combinatorial auction on a slot: all bids (honest and the shill's), paid by
 * `params.paymentRule`; the {@link SHADER}'s bids scaled by `shadeBps` (its profit, true value
 * minus payment over the bids it wins, added to `shading`).
 */
async function auctionSlot(market: SimulatedMarket, slot: SimulatedSlot, params: SimulationParams, solve: SolveOptions, shading: Shading | null): Promise<SlotOutcome> {
  const truth = new Map<string, bigint>();
  const bids = slotBids(slot).map((b) => {
    if (b.bidder !== SHADER || params.shadeBps === 10_000) return b;
    truth.set(b.id, b.amount);
    return { ...b, amount: (b.amount * BigInt(params.shadeBps)) / 10_000n };
  });
  const instance = createInstance({ rollups: slot.rollups, bids }, { source: `simulated slot ${slot.slot}` });
  const result = await runAuction(instance, { burnBps: params.burnBps, payoutRule: params.payoutRule, paymentRule: params.paymentRule, solve });
  if (shading !== null) {
    for (const w of result.winners) {
      if (w.proposerHolder !== SHADER) continue;
      const value = truth.get(w.proposer) ?? instance.bids.find((b) => b.id === w.proposer)?.amount ?? 0n;
      shading.profit += value - w.paid;
      shading.wins++;
    }
  }
  return fromRoundResult(market, 'auction', slot, result, null);
}

/** The slot's bids: honest ones and the shill's. */
function slotBids(slot: SimulatedSlot): Bid[] {
  return slot.shill === null ? [...slot.bids] : [...slot.bids, slot.shill];
}

/** The public randomness of a simulated slot's draw: sha256 of "bundle-auction/simulate/<seed>/<slot>". */
export function simulationDrawSeed(seed: number, slot: number): string {
  return sha256Hex(`bundle-auction/simulate/${seed}/${slot}`);
}
