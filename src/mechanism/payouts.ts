/**
 * Splitting a winning bundle's net payment among its rollups (docs/DESIGN.md §1 "Payouts"): each
 * rollup gets its reserve plus a share of the surplus (net − Σ reserves) by the rule's weights;
 * integer remainders go by largest remainder, then canonical rollup id. So every rule pays each
 * rollup at least its reserve, and the shares add up to the net exactly.
 */
import { UsageError } from '../model/errors.js';
import { compareIds } from '../model/order.js';
import { HashStream, bundleKey, seedBytes } from './draw.js';
import type { PayoutRule } from './types.js';

/** Payout rules, for option parsers. */
export const PAYOUT_RULES: readonly PayoutRule[] = ['committed', 'standalone', 'reserve', 'equal', 'shapley'];

/**
 * The default payout rule, chosen from measurements (RESULTS.md §1): `committed` gives a shill
 * nothing for a losing self-bid, and among the rules that do so it leaves the most honest rollups
 * at or above their isolated income. The talk's rule stays available as `standalone`.
 */
export const DEFAULT_PAYOUT_RULE: PayoutRule = 'committed';

/** Bundles with at most this many rollups get exact Shapley values (2ⁿ subsets). */
export const SHAPLEY_EXACT_MAX = 10;

/** Random permutations sampled for the Shapley approximation of larger bundles. */
export const SHAPLEY_SAMPLES = 64;

/** A bundle on offer with its value net of the burn (a lottery bundle's tickets, or one auction bid). */
export interface BundleValue {
  readonly bundle: readonly string[];
  readonly net: bigint;
  /** Who offered it (the bidder, or the ticket holders). The `committed` rule needs it. */
  readonly bidders?: readonly string[];
}

/** What the payout rules may look at besides the winning bundle. */
export interface PayoutMarket {
  /** Reserve of every rollup of the round. */
  readonly reserves: ReadonlyMap<string, bigint>;
  /** Every bundle on offer (winning or not), net of burn: standalone values and the Shapley game come from these. */
  readonly bids: readonly BundleValue[];
  /** Public seed (hex) for the Shapley approximation of large bundles. Default `"00"`. */
  readonly seed?: string;
  /** Everyone who pays in this round (winning bidders; holders of tickets on winning bundles): the `committed` rule's bidders. */
  readonly payers?: ReadonlySet<string>;
}

/** One rollup's payout. */
export interface PayoutShare {
  readonly rollup: string;
  readonly amount: bigint;
}

/**
 * The burned part of a payment T: ⌈T·burnBps/10⁴⌉, so the net T − burn is what the rollups share
 * and `paid = net + burned` exactly.
 */
export function burnOf(total: bigint, burnBps: number): bigint {
  const scaled = total * BigInt(burnBps);
  return (scaled + 9_999n) / 10_000n;
}

/**
 * Splits a winning bundle's net payment among its rollups: payout_r = reserve_r + share_r of the
 * surplus `winner.net − Σ reserves`, shares proportional to {@link payoutWeights} (equal when
 * all weights are 0), remainders by largest remainder then canonical id. Result in canonical
 * rollup order; Σ amounts = `winner.net` and every amount ≥ its reserve.
 *
 * @throws {UsageError} when a bundle rollup has no reserve in `market`, or the net is below the
 *   bundle's reserves (winner determination never sells such a bundle).
 */
export function splitPayout(rule: PayoutRule, winner: BundleValue, market: PayoutMarket): PayoutShare[] {
  const members = [...winner.bundle].sort(compareIds);
  const reserves = members.map((r) => reserveOf(market, r));
  const surplus = winner.net - reserves.reduce((s, x) => s + x, 0n);
  if (surplus < 0n) throw new UsageError(`bundle ${bundleKey(members)} pays ${winner.net}, below its reserves`);
  const weights = payoutWeights(rule, members, market, winner.bidders ?? []);
  const shares = largestRemainder(surplus, weights);
  return members.map((rollup, i) => ({ rollup, amount: (reserves[i] ?? 0n) + (shares[i] ?? 0n) }));
}

/**
 * Weights of a bundle's rollups (canonical order) for sharing the surplus:
 * - `committed` (default): the standalone value from committed bids only, max(reserve, best net
 *   of a bid on {r} alone by a bidder who pays in this round: `market.payers`, and `payers`, who
 *   pay for this bundle; a rollup with no such bid gets the mean of those its bundle has). A
 *   winning builder's singleton bids say what it values each part at, and it pays the same
 *   whatever the split; a bid whose bidder pays nothing (a losing shill self-bid) cannot move
 *   the split;
 * - `standalone`: the rollup's standalone value, max(reserve, best net of a bundle {r} alone)
 *   — the talk's rule (its best singleton bid, else its reserve), losing bids included;
 * - `reserve`: its reserve; `equal`: 1 each;
 * - `shapley`: its Shapley value in the game v(S) = best packing of the offered bundles inside S
 *   (reserves as singleton bids), minus its reserve (floored at 0). Exact over all subsets for
 *   bundles of at most {@link SHAPLEY_EXACT_MAX} rollups (weights scaled by n!); beyond that,
 *   the mean marginal contribution over {@link SHAPLEY_SAMPLES} permutations drawn by a
 *   {@link HashStream} on (seed, `shapley:` + bundle key) — deterministic. When every rollup's
 *   Shapley value is ≥ its reserve, the payouts equal the Shapley values (up to rounding).
 */
export function payoutWeights(rule: PayoutRule, bundle: readonly string[], market: PayoutMarket, payers: readonly string[] = []): bigint[] {
  const members = [...bundle].sort(compareIds);
  switch (rule) {
    case 'committed': {
      const committed = new Set([...payers, ...(market.payers ?? [])]);
      const evidence = members.map((r) => {
        let best: bigint | null = null;
        for (const b of singletonsOf(market, r)) {
          if ((best === null || b.net > best) && (b.bidders ?? []).some((x) => committed.has(x))) best = b.net;
        }
        return best;
      });
      // No committed bid on a rollup alone: the mean of the committed values in this bundle.
      const known = evidence.filter((e): e is bigint => e !== null);
      const mean = known.length === 0 ? 0n : known.reduce((s, x) => s + x, 0n) / BigInt(known.length);
      return members.map((r, i) => {
        const reserve = reserveOf(market, r);
        const value = evidence[i] ?? mean;
        return value > reserve ? value : reserve;
      });
    }
    case 'equal':
      return members.map(() => 1n);
    case 'reserve':
      return members.map((r) => reserveOf(market, r));
    case 'standalone':
      return members.map((r) => {
        let best = reserveOf(market, r);
        for (const b of singletonsOf(market, r)) if (b.net > best) best = b.net;
        return best;
      });
    case 'shapley':
      return shapleyWeights(members, market);
    default:
      throw new UsageError(`unknown payout rule ${JSON.stringify(rule)}: expected one of ${PAYOUT_RULES.join(', ')}`);
  }
}

/** Splits `amount` proportionally to `weights` (equal when all are 0): floors, then +1 by largest remainder, ties to the earlier index. */
export function largestRemainder(amount: bigint, rawWeights: readonly bigint[]): bigint[] {
  const total0 = rawWeights.reduce((s, w) => s + w, 0n);
  const weights = total0 === 0n ? rawWeights.map(() => 1n) : rawWeights;
  const total = total0 === 0n ? BigInt(weights.length) : total0;
  const shares = weights.map((w) => (amount * w) / total);
  let left = amount - shares.reduce((s, x) => s + x, 0n);
  const order = weights.map((w, i) => ({ i, rem: (amount * w) % total }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    left--;
  }
  return shares;
}

/** Bids on one rollup alone, per rollup in bid order, indexed once per bid list (settling a slot asks for every winner's members). */
const singletons = new WeakMap<PayoutMarket['bids'], { length: number; byRollup: Map<string, BundleValue[]> }>();

function singletonsOf(market: PayoutMarket, rollup: string): readonly BundleValue[] {
  let index = singletons.get(market.bids);
  if (index === undefined || index.length !== market.bids.length) {
    const byRollup = new Map<string, BundleValue[]>();
    for (const b of market.bids) {
      if (b.bundle.length !== 1) continue;
      const r = b.bundle[0] as string;
      const list = byRollup.get(r);
      if (list === undefined) byRollup.set(r, [b]);
      else list.push(b);
    }
    index = { length: market.bids.length, byRollup };
    singletons.set(market.bids, index);
  }
  return index.byRollup.get(rollup) ?? [];
}

function reserveOf(market: PayoutMarket, rollup: string): bigint {
  const r = market.reserves.get(rollup);
  if (r === undefined) throw new UsageError(`rollup ${JSON.stringify(rollup)} has no reserve in this round`);
  return r;
}

/** Shapley values (scaled by a common positive factor) minus reserves, floored at 0. */
function shapleyWeights(members: readonly string[], market: PayoutMarket): bigint[] {
  const n = members.length;
  const index = new Map(members.map((r, i) => [r, i]));
  const reserves = members.map((r) => reserveOf(market, r));
  // Offered bundles inside this bundle, as bit masks.
  const inside: { mask: bigint; net: bigint }[] = [];
  for (const b of market.bids) {
    let mask = 0n;
    let ok = b.bundle.length > 0;
    for (const r of b.bundle) {
      const i = index.get(r);
      if (i === undefined) { ok = false; break; }
      mask |= 1n << BigInt(i);
    }
    if (ok) inside.push({ mask, net: b.net });
  }
  const memo = new Map<bigint, bigint>([[0n, 0n]]);
  // v(S): best packing inside S; the lowest member is either self-sequenced or covered by a bundle.
  const value = (mask: bigint): bigint => {
    const known = memo.get(mask);
    if (known !== undefined) return known;
    let low = 0;
    while (((mask >> BigInt(low)) & 1n) === 0n) low++;
    const lowBit = 1n << BigInt(low);
    let best = (reserves[low] ?? 0n) + value(mask ^ lowBit);
    for (const b of inside) {
      if ((b.mask & lowBit) !== 0n && (b.mask & mask) === b.mask) {
        const v = b.net + value(mask ^ b.mask);
        if (v > best) best = v;
      }
    }
    memo.set(mask, best);
    return best;
  };
  const phi = n <= SHAPLEY_EXACT_MAX ? exactShapley(n, value) : sampledShapley(n, value, market.seed ?? '', bundleKey(members));
  return phi.values.map((p, i) => {
    const w = p - phi.scale * (reserves[i] ?? 0n);
    return w > 0n ? w : 0n;
  });
}

/** n!·φ_i = Σ_{S ∌ i} |S|!·(n−|S|−1)!·(v(S ∪ i) − v(S)). */
function exactShapley(n: number, value: (mask: bigint) => bigint): { values: bigint[]; scale: bigint } {
  const fact = [1n];
  for (let k = 1; k <= n; k++) fact.push((fact[k - 1] ?? 1n) * BigInt(k));
  const values = Array.from({ length: n }, () => 0n);
  for (let s = 0; s < 1 << n; s++) {
    const size = popcount(s);
    const vs = value(BigInt(s));
    for (let i = 0; i < n; i++) {
      if ((s >> i) & 1) continue;
      const coef = (fact[size] ?? 1n) * (fact[n - size - 1] ?? 1n);
      values[i] = (values[i] ?? 0n) + coef * (value(BigInt(s | (1 << i))) - vs);
    }
  }
  return { values, scale: fact[n] ?? 1n };
}

/** Σ of marginal contributions over SHAPLEY_SAMPLES seeded permutations (= SAMPLES·φ̂_i). */
function sampledShapley(n: number, value: (mask: bigint) => bigint, seed: string, key: string): { values: bigint[]; scale: bigint } {
  const stream = new HashStream(seedBytes(seed === '' ? '00' : seed), `shapley:${key}`);
  const values = Array.from({ length: n }, () => 0n);
  for (let k = 0; k < SHAPLEY_SAMPLES; k++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Number(stream.below(BigInt(i + 1)));
      [perm[i], perm[j]] = [perm[j] ?? 0, perm[i] ?? 0];
    }
    let mask = 0n;
    let before = 0n;
    for (const i of perm) {
      mask |= 1n << BigInt(i);
      const after = value(mask);
      values[i] = (values[i] ?? 0n) + after - before;
      before = after;
    }
  }
  return { values, scale: BigInt(SHAPLEY_SAMPLES) };
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}
