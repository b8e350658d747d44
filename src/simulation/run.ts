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
import { runLottery } from '../mechanism/lottery.js';
import { DEFAULT_PRICING } from '../mechanism/pricing.js';
import { isolatedSlot, strawmanSlot } from './isolated.js';
import { generateSimulatedMarket, type SimulatedMarket, type SimulatedSlot } from './market.js';
import { summarizeSimulation } from './metrics.js';
import { fromRoundResult, SIMULATION_MECHANISMS, type SlotOutcome } from './outcome.js';
import { ticketsFromBids } from './tickets.js';
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

/** The public randomness of a simulated slot's draw: sha256 of "bundle-auction/simulate/<seed>/<slot>". */
export function simulationDrawSeed(seed: number, slot: number): string {
  return sha256Hex(`bundle-auction/simulate/${seed}/${slot}`);
}
