/** Turns a generator's draft (good indices, float or exact prices) into a validated Instance. */
import { createInstance } from '../model/instance.js';
import type { Instance } from '../model/types.js';

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

/** Validates and canonicalises the draft: bid ids `b0 …` in draft order. */
export function finish(draft: Draft): Instance {
  const groupSize = new Map<string, number>();
  for (const b of draft.bids) if (b.group !== undefined) groupSize.set(b.group, (groupSize.get(b.group) ?? 0) + 1);
  return createInstance({
    decimals: draft.decimals,
    rollups: draft.rollupIds.map((id, i) => ({ id, reserve: draft.reserves?.[i] ?? 0n })),
    bids: draft.bids.map((b, k) => ({
      id: `b${k}`,
      bidder: b.bidder,
      bundle: b.goods.map((g) => draft.rollupIds[g] ?? `?${g}`),
      amount: typeof b.price === 'bigint' ? b.price : toUnits(b.price, draft.decimals),
      ...(b.group !== undefined && (groupSize.get(b.group) ?? 0) > 1 ? { exclusive: b.group } : {}),
    })),
  });
}
