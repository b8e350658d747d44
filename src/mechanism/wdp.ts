/**
 * Winner determination and settlement shared by the lottery and the auction mode: bundles are
 * weighed by their amount net of the burn against the reserves, and each sold bundle's net is
 * split among its rollups.
 */
import { createInstance } from '../model/instance.js';
import { compareIds } from '../model/order.js';
import { solve, type SolveOptions } from '../solver/solve.js';
import { splitPayout, type BundleValue, type PayoutMarket } from './payouts.js';
import type { PayoutRule, RoundRollup } from './types.js';

/** A bid in the mechanism's winner determination: a bundle with its net value. */
export interface NetBid extends BundleValue {
  readonly exclusive?: string;
}

/** Which bids sold, and whether that is proven optimal. */
export interface Sale {
  /** Indices into the bids given, ascending. */
  readonly winners: readonly number[];
  readonly status: 'optimal' | 'feasible';
}

/**
 * Solves winner determination over `bids` (net values) with the rollups' reserves as their
 * own singleton bids, via `solve()` (options passed through). A bid is kept only if its net is
 * strictly above the reserves it covers (dropping a winner whose net merely equals them keeps
 * the value and lets the rollups sequence themselves), so each sold rollup can be paid at
 * least its reserve.
 */
export async function sellBundles(rollups: readonly RoundRollup[], bids: readonly NetBid[], options: SolveOptions = {}): Promise<Sale> {
  const name = (i: number): string => `w${i}`;
  const instance = createInstance({
    rollups: rollups.map((r) => ({ id: r.id, reserve: r.reserve })),
    bids: bids.map((b, i) => ({ id: name(i), bidder: name(i), bundle: b.bundle, amount: b.net, ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }) })),
  });
  const result = await solve(instance, options);
  const reserve = new Map(rollups.map((r) => [r.id, r.reserve]));
  const winners = result.winners
    .map((id) => Number(id.slice(1)))
    .filter((i) => {
      const b = bids[i] as NetBid;
      return b.net > b.bundle.reduce((s, r) => s + (reserve.get(r) ?? 0n), 0n);
    })
    .sort((a, b) => a - b);
  return { winners, status: result.status };
}

/**
 * Payouts of a round: every rollup in canonical order, sold ones by {@link splitPayout} of their
 * bundle's net, unsold ones 0 and listed (canonically) as self-sequenced.
 */
export function settle(
  rollups: readonly RoundRollup[],
  sold: readonly BundleValue[],
  rule: PayoutRule,
  market: PayoutMarket,
): { payouts: { rollup: string; amount: bigint }[]; selfSequenced: string[] } {
  const paid = new Map<string, bigint>();
  // Whoever pays for a sold bundle pays in this round (the `committed` rule's bidders).
  const payers = new Set([...(market.payers ?? []), ...sold.flatMap((w) => w.bidders ?? [])]);
  for (const w of sold) for (const share of splitPayout(rule, w, { ...market, payers })) paid.set(share.rollup, share.amount);
  const ids = rollups.map((r) => r.id).sort(compareIds);
  return {
    payouts: ids.map((rollup) => ({ rollup, amount: paid.get(rollup) ?? 0n })),
    selfSequenced: ids.filter((r) => !paid.has(r)),
  };
}
