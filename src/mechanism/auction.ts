/** The plain auction mode (no lottery): each winning bid pays its amount and its bidder proposes. */
import { UsageError, describeValue } from '../model/errors.js';
import type { Instance } from '../model/types.js';
import { PAYOUT_RULES, burnOf } from './payouts.js';
import { roundDigest } from './round-json.js';
import type { AuctionOptions, RoundResult } from './types.js';
import { sellBundles, settle } from './wdp.js';

/**
 * Runs the auction mode on an instance: winner determination weighs every bid net of the burn
 * (amount − ⌈amount·burnBps/10⁴⌉) against the reserves, exclusive groups respected; a bid wins
 * only if its net is strictly above the reserves it covers. Each winner pays its full amount
 * (`tickets` = [bid id], `proposer` = bid id, `proposerHolder` = bidder); the burn is
 * destroyed and the net split by `payoutRule` (every sold rollup ≥ its reserve). Bids are not
 * prepaid, so `refunds` is empty; `nextPrice` is 0 (there is no ticket price in this mode).
 * Exactly: Σ winners' paid = Σ payouts + burned.
 *
 * @throws {UsageError} on a `burnBps` outside 0–10000, an unknown payout rule or bad solve options.
 */
export async function runAuction(instance: Instance, options: AuctionOptions): Promise<RoundResult> {
  checkAuctionOptions(options);
  const bids = netBids(instance, options.burnBps);
  const sale = await sellBundles(instance.rollups, bids, options.solve);
  return { ...settleAuction(instance, sale.winners, options), status: sale.status };
}

/**
 * The auction outcome of a given allocation (`winners`: indices into `instance.bids`, as from
 * winner determination or an accepted challenge): exactly what {@link runAuction} computes after
 * its own solve. A winner whose net (amount less burn) is not strictly above the reserves it
 * covers is dropped (its rollups sequence themselves), as winner determination would.
 *
 * @throws {UsageError} on bad `burnBps` or payout rule.
 */
export function settleAuction(instance: Instance, winners: readonly number[], options: Omit<AuctionOptions, 'solve'>): Omit<RoundResult, 'status'> {
  checkAuctionOptions(options);
  const { burnBps, payoutRule } = options;
  const bids = netBids(instance, burnBps);
  const reserves = new Map(instance.rollups.map((r) => [r.id, r.reserve]));
  const won = [...winners]
    .sort((a, b) => a - b)
    .filter((i) => {
      const b = bids[i] as (typeof bids)[number];
      return b.net > b.bundle.reduce((s, r) => s + (reserves.get(r) ?? 0n), 0n);
    })
    .map((i) => ({ bid: instance.bids[i] as Instance['bids'][number], net: (bids[i] as (typeof bids)[number]).net }));
  const { payouts, selfSequenced } = settle(instance.rollups, won.map((w) => ({ bundle: w.bid.bundle, net: w.net })), payoutRule, { reserves, bids });
  const body = {
    // Instance bids are in canonical id order, bundles disjoint: order winners by bid id.
    winners: won.map(({ bid }) => ({ bundle: bid.bundle, tickets: [bid.id], paid: bid.amount, proposer: bid.id, proposerHolder: bid.bidder })),
    refunds: [],
    payouts,
    burned: won.reduce((s, w) => s + (w.bid.amount - w.net), 0n),
    selfSequenced,
    nextPrice: 0n,
  };
  return { ...body, digest: roundDigest(body) };
}

function checkAuctionOptions({ burnBps, payoutRule }: Omit<AuctionOptions, 'solve'>): void {
  if (!Number.isInteger(burnBps) || burnBps < 0 || burnBps > 10_000) throw new UsageError(`burnBps must be an integer from 0 to 10000 (received ${describeValue(burnBps)})`);
  if (!PAYOUT_RULES.includes(payoutRule)) throw new UsageError(`unknown payout rule ${describeValue(payoutRule)}: expected one of ${PAYOUT_RULES.join(', ')}`);
}

function netBids(instance: Instance, burnBps: number): { bundle: readonly string[]; net: bigint; exclusive?: string }[] {
  return instance.bids.map((b) => ({
    bundle: b.bundle,
    net: b.amount - burnOf(b.amount, burnBps),
    ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }),
  }));
}
