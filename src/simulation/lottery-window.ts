/**
 * The simulated lottery run every `lotteryWindow` slots (the talk's open question "how often
 * should you run the lottery?"). One sale, one winner determination and one draw per window;
 * the drawn holders propose for every slot of the window.
 *
 * The model, stated: a ticket of a window is valid for its k slots and costs k times the
 * per-slot price per rollup; a sale offers at most k·cap tickets (the cap per slot is kept). Builders know the MEV of the window's first slot only and value
 * the window at k times their bids on that slot (they extrapolate the present); the shill does
 * the same with its self-bid. A rollup takes part when it is opted in for every slot of the
 * window, at the sum of its reserves over those slots. All money moves in the first slot (the
 * later slots of the window have the same proposers and no payments). The price rule sees one
 * sale per window and is applied k times with its result, so the price moves as fast per slot
 * as in the per-slot lottery, on k times less information. With k = 1 this is exactly the
 * per-slot lottery.
 */
import type { Bid } from '../model/types.js';
import type { SolveOptions } from '../solver/solve.js';
import { runLottery } from '../mechanism/lottery.js';
import { DEFAULT_PRICING, nextPrice } from '../mechanism/pricing.js';
import { proposerSchedule } from '../mechanism/schedule.js';
import type { RoundResult, RoundRollup } from '../mechanism/types.js';
import { shillBidder, type SimulatedMarket, type SimulatedSlot } from './market.js';
import { fromRoundResult, type SlotOutcome } from './outcome.js';
import { marginalTickets, ticketsFromBids } from './tickets.js';
import type { SimulationParams } from './types.js';

/**
 * The lottery over `window` (consecutive slots, the first one deciding) at per-slot ticket
 * price `price`: one outcome per slot of the window, and the per-slot price after it.
 * `drawSeed` is the public randomness of the window's first slot.
 */
export async function lotteryWindow(market: SimulatedMarket, window: readonly SimulatedSlot[], params: SimulationParams, price: bigint, drawSeed: string, solve: SolveOptions): Promise<{ outcomes: SlotOutcome[]; next: bigint }> {
  const first = window[0];
  if (first === undefined) return { outcomes: [], next: price };
  const k = BigInt(window.length);
  const rollups = windowRollups(window);
  const open = new Set(rollups.map((r) => r.id));
  const scaled = (b: Bid): Bid => ({ ...b, amount: b.amount * k });
  const bids = [...first.bids, ...(first.shill === null ? [] : [first.shill])].filter((b) => b.bundle.every((r) => open.has(r))).map(scaled);
  const windowPrice = price * k;
  const cap = params.cap * window.length;
  const tickets = params.ticketModel === 'marginal' ? marginalTickets(bids, windowPrice, cap) : ticketsFromBids(bids, windowPrice, cap);
  const pricing = params.pricing ?? DEFAULT_PRICING;
  const round = { rollups, tickets, price: windowPrice, cap, burnBps: params.burnBps, payoutRule: params.payoutRule, pricing };
  const result = await runLottery(round, { seed: drawSeed, solve });
  let next = price;
  for (let i = 0; i < window.length; i++) next = nextPrice(next, tickets.length, cap, pricing);
  const winning = new Set(result.winners.flatMap((w) => w.tickets));
  const shill = shillBidder(market.shillRollup);
  const shillPaid = tickets.reduce((s, t) => (t.holder === shill && winning.has(t.id) ? s + t.amount : s), 0n);
  const last = window.length - 1;
  const outcomes = window.map((slot, i): SlotOutcome => {
    const nextOf = i === last ? next : price;
    if (i === 0) return { ...fromRoundResult(market, 'lottery', slot, result, price), nextPrice: nextOf, shillPaid };
    return { ...carried(market, slot, result, price), nextPrice: nextOf };
  });
  return { outcomes, next };
}

/** Rollups opted in for every slot of the window, each at the sum of its reserves over them (canonical order). */
function windowRollups(window: readonly SimulatedSlot[]): RoundRollup[] {
  const [first, ...rest] = window;
  if (first === undefined) return [];
  const later = rest.map((s) => new Map(s.rollups.map((r) => [r.id, r.reserve] as const)));
  return first.rollups.flatMap((r) => {
    let reserve = r.reserve;
    for (const m of later) {
      const more = m.get(r.id);
      if (more === undefined) return [];
      reserve += more;
    }
    return [{ ...r, reserve }];
  });
}

/** A later slot of a window: the window's proposers, no money. */
function carried(market: SimulatedMarket, slot: SimulatedSlot, result: RoundResult, price: bigint): SlotOutcome {
  const winners = result.winners.map((w) => ({ bundle: w.bundle, bids: w.tickets, proposer: w.proposerHolder, paid: 0n }));
  const covered = new Set(winners.flatMap((w) => w.bundle));
  return {
    slot: slot.slot,
    mechanism: 'lottery',
    collected: 0n,
    winners,
    refunds: [],
    payouts: market.rollups.map((r) => ({ rollup: r.id, amount: 0n })),
    burned: 0n,
    selfSequenced: market.rollups.filter((r) => !covered.has(r.id)).map((r) => r.id),
    price,
    nextPrice: price,
    shillPaid: 0n,
    carried: true,
    schedule: proposerSchedule([{ slot: slot.slot, rollups: slot.rollups, result }]).slots[0] as NonNullable<SlotOutcome['schedule']>,
  };
}
