/** The plain auction mode (no lottery): each winning bid pays by the payment rule and its bidder proposes. */
import { UsageError, describeValue } from '../model/errors.js';
import { createInstance } from '../model/instance.js';
import type { Instance } from '../model/types.js';
import { PAYMENT_RULES, computePayments } from './payments.js';
import { PAYOUT_RULES, burnOf } from './payouts.js';
import { roundDigest } from './round-json.js';
import type { AuctionOptions, RoundResult } from './types.js';
import { sellBundles, settle } from './wdp.js';

/**
 * Runs the auction mode on an instance: winner determination weighs every bid net of the burn
 * (amount − ⌈amount·burnBps/10⁴⌉) against the reserves, exclusive groups respected; a bid wins
 * only if its net is strictly above the reserves it covers. Under `pay-as-bid` (default) each
 * winner pays its full amount; under `vcg` or `core` the rule's payment is computed on the net
 * values ({@link auctionPayments}) and the winner pays the least gross amount whose net covers
 * it (never more than its amount). `tickets` = [bid id], `proposer` = bid id,
 * `proposerHolder` = bidder; the burn is destroyed and the net split by `payoutRule` (every sold
 * rollup ≥ its reserve). Bids are not prepaid, so `refunds` is empty; `nextPrice` is 0 (there
 * is no ticket price in this mode). Exactly: Σ winners' paid = Σ payouts + burned.
 *
 * @throws {UsageError} on a `burnBps` outside 0–10000, an unknown payout or payment rule or bad solve options.
 */
export async function runAuction(instance: Instance, options: AuctionOptions): Promise<RoundResult> {
  checkAuctionOptions(options);
  const bids = netBids(instance, options.burnBps);
  const sale = await sellBundles(instance.rollups, bids, options.solve);
  const { paid, optimal } = await auctionPayments(instance, sale.winners, options);
  const status = sale.status === 'optimal' && optimal ? 'optimal' : 'feasible';
  return { ...settleAuction(instance, sale.winners, options, paid), status };
}

/**
 * What each winner (index into `instance.bids`) pays under `options.paymentRule`, gross of the
 * burn: under `pay-as-bid` its amount; under `vcg`/`core` the least gross amount whose net
 * covers the rule's payment on the net values. `optimal` is false when a re-solve of the
 * payment rule was not proven optimal.
 */
export async function auctionPayments(instance: Instance, winners: readonly number[], options: Omit<AuctionOptions, 'payoutRule'>): Promise<{ paid: Map<number, bigint>; optimal: boolean }> {
  const rule = options.paymentRule ?? 'pay-as-bid';
  const paid = new Map(winners.map((i) => [i, (instance.bids[i] as Instance['bids'][number]).amount]));
  if (rule === 'pay-as-bid') return { paid, optimal: true };
  const bids = netBids(instance, options.burnBps);
  const reserves = new Map(instance.rollups.map((r) => [r.id, r.reserve]));
  // Winners that winner determination keeps (net strictly above their reserves).
  const kept = winners.filter((i) => {
    const b = bids[i] as (typeof bids)[number];
    return b.net > b.bundle.reduce((s, r) => s + (reserves.get(r) ?? 0n), 0n);
  });
  const net = createInstance({ rollups: instance.rollups, bids: instance.bids.map((b, i) => ({ ...b, amount: (bids[i] as (typeof bids)[number]).net })) });
  const payments = await computePayments(net, { winners: kept.map((i) => (instance.bids[i] as Instance['bids'][number]).id) }, rule, options.solve === undefined ? {} : { solve: options.solve });
  const byId = new Map(payments.bids.map((p) => [p.bid, p.payment]));
  for (const i of kept) {
    const bid = instance.bids[i] as Instance['bids'][number];
    paid.set(i, grossFor(byId.get(bid.id) ?? 0n, bid.amount, options.burnBps));
  }
  return { paid, optimal: payments.status === 'optimal' };
}

/**
 * The auction outcome of a given allocation (`winners`: indices into `instance.bids`, as from
 * winner determination or an accepted challenge): exactly what {@link runAuction} computes after
 * its own solve. A winner whose net (amount less burn) is not strictly above the reserves it
 * covers is dropped (its rollups sequence themselves), as winner determination would. `paid`
 * gives each winner's gross payment (default: its amount, `pay-as-bid`; see
 * {@link auctionPayments}).
 *
 * @throws {UsageError} on bad `burnBps`, payout or payment rule.
 */
export function settleAuction(instance: Instance, winners: readonly number[], options: Omit<AuctionOptions, 'solve'>, paid?: ReadonlyMap<number, bigint>): Omit<RoundResult, 'status'> {
  checkAuctionOptions(options);
  const { burnBps, payoutRule } = options;
  const paymentRule = options.paymentRule ?? 'pay-as-bid';
  const bids = netBids(instance, burnBps);
  const reserves = new Map(instance.rollups.map((r) => [r.id, r.reserve]));
  const won = [...winners]
    .sort((a, b) => a - b)
    .filter((i) => {
      const b = bids[i] as (typeof bids)[number];
      return b.net > b.bundle.reduce((s, r) => s + (reserves.get(r) ?? 0n), 0n);
    })
    .map((i) => {
      const bid = instance.bids[i] as Instance['bids'][number];
      const gross = paid?.get(i) ?? bid.amount;
      if (gross > bid.amount) throw new UsageError(`bid ${describeValue(bid.id)} cannot pay ${gross}, above its amount ${bid.amount}`);
      return { bid, gross, net: gross - burnOf(gross, burnBps) };
    });
  const { payouts, selfSequenced } = settle(instance.rollups, won.map((w) => ({ bundle: w.bid.bundle, net: w.net, bidders: [w.bid.bidder] })), payoutRule, { reserves, bids });
  const body = {
    // Instance bids are in canonical id order, bundles disjoint: order winners by bid id.
    winners: won.map(({ bid, gross }) => ({ bundle: bid.bundle, tickets: [bid.id], paid: gross, proposer: bid.id, proposerHolder: bid.bidder })),
    refunds: [],
    payouts,
    burned: won.reduce((s, w) => s + (w.gross - w.net), 0n),
    selfSequenced,
    nextPrice: 0n,
    ...(paymentRule === 'pay-as-bid' ? {} : { paymentRule }),
  };
  return { ...body, digest: roundDigest(body) };
}

/**
 * The least gross payment g ≤ `amount` whose net g − ⌈g·bps/10⁴⌉ is ≥ `net` (the net is
 * non-decreasing in g, and `amount`'s net is ≥ `net` since the rule charges at most the bid).
 */
export function grossFor(net: bigint, amount: bigint, burnBps: number): bigint {
  const netOf = (g: bigint): bigint => g - burnOf(g, burnBps);
  if (burnBps >= 10_000) return net <= 0n ? 0n : amount;
  let g = (net * 10_000n) / BigInt(10_000 - burnBps);
  if (g > amount) g = amount;
  while (g < amount && netOf(g) < net) g++;
  while (g > 0n && netOf(g - 1n) >= net) g--;
  return g;
}

function checkAuctionOptions({ burnBps, payoutRule, paymentRule }: Omit<AuctionOptions, 'solve'>): void {
  if (!Number.isInteger(burnBps) || burnBps < 0 || burnBps > 10_000) throw new UsageError(`burnBps must be an integer from 0 to 10000 (received ${describeValue(burnBps)})`);
  if (!PAYOUT_RULES.includes(payoutRule)) throw new UsageError(`unknown payout rule ${describeValue(payoutRule)}: expected one of ${PAYOUT_RULES.join(', ')}`);
  const rule = paymentRule ?? 'pay-as-bid';
  if (!PAYMENT_RULES.includes(rule)) throw new UsageError(`unknown payment rule ${describeValue(rule)}: expected one of ${PAYMENT_RULES.join(', ')}`);
}

function netBids(instance: Instance, burnBps: number): { bundle: readonly string[]; net: bigint; bidders: readonly string[]; exclusive?: string }[] {
  return instance.bids.map((b) => ({
    bundle: b.bundle,
    net: b.amount - burnOf(b.amount, burnBps),
    bidders: [b.bidder],
    ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }),
  }));
}
