/** Turns a generator's draft (good indices, float or exact prices) into a canonical Instance. */
import { compareIds } from '../model/order.js';
import type { Bid, Instance, Rollup } from '../model/types.js';

/** One bid as a generator produces it. */
export interface DraftBid {
  readonly bidder: string;
  /** Indices into the draft's rollups; distinct. */
  readonly goods: readonly number[];
  /** A float price (scaled by the draft's decimals and rounded) or exact base units. */
  readonly price: number | bigint;
  /** XOR group key; kept only when two or more bids share it. */
  group?: string;
}

/** A whole generated market before validation. */
export interface Draft {
  readonly rollupIds: readonly string[];
  /** Reserves in base units (default 0). */
  readonly reserves?: readonly bigint[];
  readonly bids: readonly DraftBid[];
  /** Decimal places float prices are kept to. */
  readonly decimals: number;
}

/** Rollup ids `r0 … r{n-1}`, as CATS numbers its goods. */
export function goodIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `r${i}`);
}

/** Scales a non-negative float to base units with `decimals` places (round half away from zero). */
export function toUnits(price: number, decimals: number): bigint {
  return BigInt(Math.round(Math.max(0, price) * 10 ** decimals));
}

/**
 * Canonicalises the draft: bid ids `b0 …` in draft order (already canonical: natural order),
 * rollups and bundle members in canonical id order. Generators produce valid drafts, so this
 * builds the {@link Instance} directly instead of re-validating every field (at 100,000 bids
 * that validation cost more than generating); it still checks what a generator bug could break
 * (goods in range and distinct, amounts ≥ 0, unique rollup ids) and throws a RangeError.
 * `createInstance` of the same data gives a deep-equal instance (tested).
 */
export function finish(draft: Draft): Instance {
  const ids = draft.rollupIds;
  const n = ids.length;
  if (new Set(ids).size !== n) throw new RangeError('generator: repeated rollup id');
  // rank[g]: position of good g in canonical id order; canonical[r]: the good at position r.
  const canonical = Int32Array.from({ length: n }, (_, g) => g).sort((a, b) => compareIds(ids[a] as string, ids[b] as string));
  const rank = new Int32Array(n);
  canonical.forEach((g, r) => { rank[g] = r; });
  const groupSize = new Map<string, number>();
  for (const b of draft.bids) if (b.group !== undefined) groupSize.set(b.group, (groupSize.get(b.group) ?? 0) + 1);
  const mark = new Int32Array(n).fill(-1);
  const bids: Bid[] = new Array<Bid>(draft.bids.length);
  for (let k = 0; k < draft.bids.length; k++) {
    const b = draft.bids[k] as DraftBid;
    const len = b.goods.length;
    if (len === 0) throw new RangeError(`generator: bid ${k} has an empty bundle`);
    // Ranks of the members, insertion-sorted (bundles are small; no per-bid typed arrays).
    const ranks = new Array<number>(len);
    for (let j = 0; j < len; j++) {
      const g = b.goods[j] as number;
      if (!Number.isInteger(g) || g < 0 || g >= n || mark[g] === k) throw new RangeError(`generator: bid ${k} has a bad or repeated good ${g}`);
      mark[g] = k;
      const r = rank[g] as number;
      let i = j;
      if (len <= 16) while (i > 0 && (ranks[i - 1] as number) > r) { ranks[i] = ranks[i - 1] as number; i--; }
      ranks[i] = r;
    }
    if (len > 16) ranks.sort((x, y) => x - y);
    const amount = typeof b.price === 'bigint' ? b.price : toUnits(b.price, draft.decimals);
    if (amount < 0n) throw new RangeError(`generator: bid ${k} has a negative amount`);
    const bundle = ranks.map((r) => ids[canonical[r] as number] as string);
    const id = `b${k}`;
    bids[k] = b.group !== undefined && (groupSize.get(b.group) ?? 0) > 1
      ? { id, bidder: b.bidder, bundle, amount, exclusive: b.group }
      : { id, bidder: b.bidder, bundle, amount };
  }
  const rollups: Rollup[] = Array.from(canonical, (g) => ({ id: ids[g] as string, reserve: draft.reserves?.[g] ?? 0n }));
  return { rollups, bids, decimals: draft.decimals };
}
