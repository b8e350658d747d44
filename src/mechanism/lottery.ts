/**
 * One lottery round of execution tickets (DESIGN.md §1 "Lottery"): winner determination over
 * ticket bundles, refunds of losing tickets, a bid-weighted draw per winning bundle, the burn,
 * payouts and the next ticket price.
 */
import { UsageError, describeValue } from '../model/errors.js';
import { compareIds } from '../model/order.js';
import { DRAW_RULE, bundleKey, drawTicket, seedBytes } from './draw.js';
import { burnOf } from './payouts.js';
import { DEFAULT_PRICING, nextPrice } from './pricing.js';
import { roundDigest, validateRound } from './round-json.js';
import type { DrawRecord, LotteryOptions, Round, RoundResult, RoundWinner, Ticket } from './types.js';
import { sellBundles, settle } from './wdp.js';

/** The tickets of one distinct bundle. */
export interface BundleGroup {
  readonly key: string;
  readonly bundle: readonly string[];
  /** Canonical id order. */
  readonly tickets: Ticket[];
  readonly total: bigint;
  readonly net: bigint;
  /** Distinct holders of its tickets (all pay when it wins), canonical order. */
  readonly bidders: readonly string[];
}

/**
 * Runs a lottery round.
 *
 * 1. Tickets are grouped by bundle (canonical key, see `bundleKey`); a bundle's value is its
 *    tickets' total T, weighed net of the burn: net = T − ⌈T·burnBps/10⁴⌉.
 * 2. Winner determination (`solve()`, `options.solve` passed through) picks disjoint bundles
 *    against the reserves; a bundle sells only when its net is strictly above its reserves.
 * 3. Tickets on losing bundles are refunded in full.
 * 4. In each winning bundle one ticket is drawn with probability ∝ amount from `options.seed`
 *    (`drawTicket`); its holder proposes for the bundle's rollups.
 * 5. The burn of each winning bundle is destroyed; its net is split by `round.payoutRule`
 *    (each rollup ≥ its reserve). Unsold rollups sequence themselves and get 0.
 * 6. The next price follows `round.pricing` (default `DEFAULT_PRICING`) with sold = number of
 *    tickets in the round.
 *
 * Exactly: Σ ticket amounts = Σ refunds + Σ payouts + burned. The result depends only on the
 * round's content (not on the order of its lists) and the seed; `digest` commits to it.
 *
 * @throws {InputError} when the round breaks a rule (see `validateRound`); {@link UsageError} on
 *   a seed that is not hex or bad solve options.
 */
export async function runLottery(round: Round, options: LotteryOptions): Promise<RoundResult> {
  validateRound(round);
  seedBytes(options.seed); // a bad seed fails before any work
  const groups = groupTickets(round.tickets, round.burnBps);
  const sale = await sellBundles(round.rollups, groups, options.solve);
  return { ...lotteryOutcome(round, groups, sale.winners, options.seed), status: sale.status };
}

/**
 * The lottery outcome of a given allocation of bundles (`winningBundles`: canonical bundle keys,
 * see `bundleKey`, as from winner determination or an accepted challenge) and seed: exactly
 * what {@link runLottery} computes after its own solve (steps 3–6). A bundle whose net is not
 * strictly above its reserves is dropped, as winner determination would.
 *
 * @throws {InputError} on a broken round rule; {@link UsageError} on a bad seed or a key that
 *   names no bundle of the round's tickets.
 */
export function settleLottery(round: Round, winningBundles: readonly string[], seed: string): Omit<RoundResult, 'status'> {
  validateRound(round);
  seedBytes(seed);
  const groups = groupTickets(round.tickets, round.burnBps);
  const index = new Map(groups.map((g, i) => [g.key, i]));
  const winners = winningBundles.map((key) => {
    const i = index.get(key);
    if (i === undefined) throw new UsageError(`bundle ${describeValue(key)} has no ticket in this round`);
    return i;
  });
  return lotteryOutcome(round, groups, winners, seed);
}

function lotteryOutcome(round: Round, groups: readonly BundleGroup[], sold: readonly number[], seed: string): Omit<RoundResult, 'status'> {
  const reserves = new Map(round.rollups.map((r) => [r.id, r.reserve]));
  const won = sold
    .map((i) => groups[i] as BundleGroup)
    .filter((g) => g.net > g.bundle.reduce((s, r) => s + (reserves.get(r) ?? 0n), 0n))
    .sort((a, b) => compareIds(a.key, b.key));
  const winning = new Set(won.map((g) => g.key));

  const winners: RoundWinner[] = [];
  const draws: DrawRecord['bundles'][number][] = [];
  let burned = 0n;
  for (const g of won) {
    const draw = drawTicket(seed, g.key, g.tickets);
    winners.push({ bundle: g.bundle, tickets: g.tickets.map((t) => t.id), paid: g.total, proposer: draw.ticket.id, proposerHolder: draw.ticket.holder });
    draws.push({ key: g.key, total: draw.total, value: draw.value, rejections: draw.rejections });
    burned += g.total - g.net;
  }
  const refunds = groups
    .filter((g) => !winning.has(g.key))
    .flatMap((g) => g.tickets.map((t) => ({ ticket: t.id, amount: t.amount })))
    .sort((a, b) => compareIds(a.ticket, b.ticket));
  const { payouts, selfSequenced } = settle(round.rollups, won, round.payoutRule, { reserves, bids: groups, seed });
  const body = {
    winners, refunds, payouts, burned, selfSequenced,
    nextPrice: nextPrice(round.price, round.tickets.length, round.cap, round.pricing ?? DEFAULT_PRICING),
    draw: { seed: seedBytes(seed).toString('hex'), rule: DRAW_RULE, bundles: draws },
  };
  return { ...body, digest: roundDigest(body) };
}

/** Groups tickets by canonical bundle key; groups in key order, tickets in id order. */
export function groupTickets(tickets: readonly Ticket[], burnBps: number): BundleGroup[] {
  const byKey = new Map<string, Ticket[]>();
  for (const t of tickets) {
    const key = bundleKey(t.bundle);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [t]);
    else list.push(t);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([key, list]) => {
      const sorted = list.sort((a, b) => compareIds(a.id, b.id));
      const total = sorted.reduce((s, t) => s + t.amount, 0n);
      return { key, bundle: JSON.parse(key) as string[], tickets: sorted, total, net: total - burnOf(total, burnBps), bidders: [...new Set(sorted.map((t) => t.holder))].sort(compareIds) };
    });
}
