/**
 * The compiled, index-based form of an instance that solvers and checkers work on. Rollups,
 * bids and exclusive groups are numbered in canonical order; bundles are CSR arrays.
 */
import { compareIds } from './order.js';
import type { Instance } from './types.js';

/** Index form of an {@link Instance}. Build with {@link compileMarket} (cached per instance). */
export interface Market {
  readonly instance: Instance;
  readonly nRollups: number;
  readonly nBids: number;
  readonly nGroups: number;
  readonly rollupIndex: ReadonlyMap<string, number>;
  readonly bidIndex: ReadonlyMap<string, number>;
  /** Exclusive group keys in canonical order. */
  readonly groupKeys: readonly string[];
  /** Bundle of bid b is `bundleItems[bundleStart[b] .. bundleStart[b+1])`, rollup indices ascending. */
  readonly bundleStart: Int32Array;
  readonly bundleItems: Int32Array;
  /** Exclusive group index of each bid, -1 when none. */
  readonly group: Int32Array;
  readonly amount: readonly bigint[];
  readonly reserve: readonly bigint[];
  /** amount(b) − Σ reserve over its bundle: what winning b adds to the value. */
  readonly gain: readonly bigint[];
  /** Σ of all reserves: the value of selling nothing. */
  readonly reserveTotal: bigint;
  /** Bids containing rollup r: `rollupBidItems[rollupBidStart[r] .. rollupBidStart[r+1])`. */
  readonly rollupBidStart: Int32Array;
  readonly rollupBidItems: Int32Array;
  /** Bids of group g: `groupBidItems[groupBidStart[g] .. groupBidStart[g+1])`. */
  readonly groupBidStart: Int32Array;
  readonly groupBidItems: Int32Array;
}

const cache = new WeakMap<Instance, Market>();

/** Compiles (once per instance object) the index form used by solvers and checkers. */
export function compileMarket(instance: Instance): Market {
  const hit = cache.get(instance);
  if (hit !== undefined) return hit;
  const nRollups = instance.rollups.length;
  const nBids = instance.bids.length;
  const rollupIndex = new Map<string, number>();
  instance.rollups.forEach((r, i) => rollupIndex.set(r.id, i));
  const bidIndex = new Map<string, number>();
  instance.bids.forEach((b, i) => bidIndex.set(b.id, i));
  const reserve = instance.rollups.map((r) => r.reserve);
  const reserveTotal = reserve.reduce((s, v) => s + v, 0n);

  const groupKeys = [...new Set(instance.bids.flatMap((b) => (b.exclusive === undefined ? [] : [b.exclusive])))].sort(compareIds);
  const groupIndex = new Map<string, number>();
  groupKeys.forEach((g, i) => groupIndex.set(g, i));

  const bundleStart = new Int32Array(nBids + 1);
  for (let b = 0; b < nBids; b++) bundleStart[b + 1] = (bundleStart[b] as number) + (instance.bids[b]?.bundle.length ?? 0);
  const bundleItems = new Int32Array(bundleStart[nBids] as number);
  const group = new Int32Array(nBids).fill(-1);
  const amount: bigint[] = new Array<bigint>(nBids);
  const gain: bigint[] = new Array<bigint>(nBids);
  const rollupCount = new Int32Array(nRollups + 1);
  instance.bids.forEach((bid, b) => {
    let k = bundleStart[b] as number;
    let res = 0n;
    const items: number[] = bid.bundle.map((id) => rollupIndex.get(id) as number).sort((x, y) => x - y);
    for (const r of items) {
      bundleItems[k++] = r;
      res += reserve[r] as bigint;
      rollupCount[r + 1] = (rollupCount[r + 1] as number) + 1;
    }
    if (bid.exclusive !== undefined) group[b] = groupIndex.get(bid.exclusive) as number;
    amount[b] = bid.amount;
    gain[b] = bid.amount - res;
  });
  const [rollupBidStart, rollupBidItems] = invert(nRollups, nBids, (b, emit) => {
    for (let k = bundleStart[b] as number; k < (bundleStart[b + 1] as number); k++) emit(bundleItems[k] as number);
  });
  const [groupBidStart, groupBidItems] = invert(groupKeys.length, nBids, (b, emit) => {
    const g = group[b] as number;
    if (g >= 0) emit(g);
  });
  const market: Market = {
    instance, nRollups, nBids, nGroups: groupKeys.length, rollupIndex, bidIndex, groupKeys,
    bundleStart, bundleItems, group, amount, reserve, gain, reserveTotal,
    rollupBidStart, rollupBidItems, groupBidStart, groupBidItems,
  };
  cache.set(instance, market);
  return market;
}

/** Builds a CSR inverse index: for each key, the bids (ascending) that emit it. */
function invert(nKeys: number, nBids: number, each: (b: number, emit: (key: number) => void) => void): [Int32Array, Int32Array] {
  const start = new Int32Array(nKeys + 1);
  for (let b = 0; b < nBids; b++) each(b, (key) => { start[key + 1] = (start[key + 1] as number) + 1; });
  for (let k = 0; k < nKeys; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const fill = start.slice(0, nKeys);
  const items = new Int32Array(start[nKeys] as number);
  for (let b = 0; b < nBids; b++) each(b, (key) => { items[(fill[key] as number)] = b; fill[key] = (fill[key] as number) + 1; });
  return [start, items];
}

/** Rollup indices of bid `b` (a view, do not mutate). */
export function bundleOf(market: Market, b: number): Int32Array {
  return market.bundleItems.subarray(market.bundleStart[b], market.bundleStart[b + 1]);
}
