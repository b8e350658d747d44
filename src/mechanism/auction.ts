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
 * values and the winner pays the least gross amount whose net covers it (never more than its
 * amount). `tickets` = [bid id], `proposer` = bid id, `proposerHolder` = bidder; the burn is
 * destroyed and the net split by `payoutRule` (every sold rollup ≥ its reserve). Bids are not
 * prepaid, so `refunds` is empty; `nextPrice` is 0 (there is no ticket price in this mode).
 * Exactly: Σ winners' paid = Σ payouts + burned.
 *
 * @throws {UsageError} on a `burnBps` outside 0–10000, an unknown payout or payment rule or bad solve options.
 */
export async function runAuction(instance: Instance, options: AuctionOptions): Promise<RoundResult> {
  const { burnBps, payoutRule } = options;
  const paymentRule = options.paymentRule ?? 'pay-as-bid';
  if (!Number.isInteger(burnBps) || burnBps < 0 || burnBps > 10_000) throw new UsageError(`burnBps must be an integer from 0 to 10000 (received ${describeValue(burnBps)})`);
  if (!PAYOUT_RULES.includes(payoutRule)) throw new UsageError(`unknown payout rule ${describeValue(payoutRule)}: expected one of ${PAYOUT_RULES.join(', ')}`);
  if (!PAYMENT_RULES.includes(paymentRule)) throw new UsageError(`unknown payment rule ${describeValue(paymentRule)}: expected one of ${PAYMENT_RULES.join(', ')}`);
  const bids = instance.bids.map((b) => ({
    bundle: b.bundle,
    net: b.amount - burnOf(b.amount, burnBps),
    bidders: [b.bidder],
    ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }),
  }));
  const sale = await sellBundles(instance.rollups, bids, options.solve);
  let status = sale.status;
  const paid = new Map<number, bigint>(sale.winners.map((i) => [i, (instance.bids[i] as Instance['bids'][number]).amount]));
  if (paymentRule !== 'pay-as-bid') {
    const net = createInstance({ rollups: instance.rollups, bids: instance.bids.map((b, i) => ({ ...b, amount: (bids[i] as (typeof bids)[number]).net })) });
    const payments = await computePayments(net, { winners: sale.winners.map((i) => (instance.bids[i] as Instance['bids'][number]).id) }, paymentRule, options.solve === undefined ? {} : { solve: options.solve });
    const byId = new Map(payments.bids.map((p) => [p.bid, p.payment]));
    for (const i of sale.winners) {
      const bid = instance.bids[i] as Instance['bids'][number];
      paid.set(i, grossFor(byId.get(bid.id) ?? 0n, bid.amount, burnBps));
    }
    if (payments.status !== 'optimal') status = 'feasible';
  }
  const won = sale.winners.map((i) => {
    const bid = instance.bids[i] as Instance['bids'][number];
    const gross = paid.get(i) ?? bid.amount;
    return { bid, gross, net: gross - burnOf(gross, burnBps) };
  });
  const reserves = new Map(instance.rollups.map((r) => [r.id, r.reserve]));
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
  return { ...body, digest: roundDigest(body), status };
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
