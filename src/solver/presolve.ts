/**
 * Presolve for winner determination: drop bids that cannot beat their rollups' reserves, drop
 * dominated bids, and split the rest into independent components. None of this changes the
 * optimal value; the kept bids of each component are in canonical (index) order.
 */
import type { Market } from '../model/market.js';

/** Options of {@link presolve}. */
export interface PresolveOptions {
  /** Budget (inner-loop steps) for the dominance scan; it stops early past it. Default 5e7. */
  readonly dominanceWork?: number;
  /** Remove dominated bids and split components. Default true; bids with gain ≤ 0 always go. */
  readonly reduce?: boolean;
}

/** Result of {@link presolve}. */
export interface Presolved {
  /** Independent components: bid indices, ascending; components ordered by size, then first bid. */
  readonly components: readonly Int32Array[];
  readonly removedNonPositive: number;
  readonly removedDominated: number;
  /** False when the dominance scan ran out of budget (some dominated bids may remain). */
  readonly dominanceComplete: boolean;
}

/** Runs the reductions described in the module comment. */
export function presolve(market: Market, options: PresolveOptions = {}): Presolved {
  const positive: number[] = [];
  for (let b = 0; b < market.nBids; b++) if ((market.gain[b] as bigint) > 0n) positive.push(b);
  const alive = new Uint8Array(market.nBids);
  for (const b of positive) alive[b] = 1;
  const reduce = options.reduce ?? true;
  const { removed, complete } = reduce ? removeDominated(market, positive, alive, options.dominanceWork ?? 5e7) : { removed: 0, complete: false };
  const kept = positive.filter((b) => alive[b] === 1);
  return {
    components: reduce ? splitComponents(market, kept) : kept.length === 0 ? [] : [Int32Array.from(kept)],
    removedNonPositive: market.nBids - positive.length,
    removedDominated: removed,
    dominanceComplete: complete,
  };
}

/**
 * Bid a is dominated by bid b when bundle(b) ⊆ bundle(a), gain(b) ≥ gain(a) and b's exclusive
 * group is none or a's: any allocation using a is then no better than the same one using b.
 * Exact duplicates keep the lower index. The relation is transitive, so removing every
 * dominated bid at once is safe.
 *
 * Each candidate b is indexed once, under its rarest rollup (a subset of bundle(a) has its rarest
 * rollup inside bundle(a)), and each index list is sorted by gain, highest first: the scan for a
 * looks only at bids with gain ≥ gain(a) and stops at the first dominator. Gains are compared as
 * integer ranks, not bigints. The budget counts the steps of the plain scan (Σ over a's rollups of
 * their bid counts), so where it stops, and so what is removed, does not depend on this indexing.
 */
function removeDominated(market: Market, bids: readonly number[], alive: Uint8Array, budget: number): { removed: number; complete: boolean } {
  const { bundleStart, bundleItems, rollupBidStart, group } = market;
  const rank = gainRanks(market, bids);
  const lists = indexByRarestRollup(market, bids, rank);
  const mark = new Int32Array(market.nRollups).fill(-1);
  let work = 0;
  let removed = 0;
  for (const a of bids) {
    const startA = bundleStart[a] as number;
    const endA = bundleStart[a + 1] as number;
    const sa = endA - startA;
    const rankA = rank[a] as number;
    const groupA = group[a] as number;
    for (let k = startA; k < endA; k++) {
      const r = bundleItems[k] as number;
      mark[r] = a;
      work += (rollupBidStart[r + 1] as number) - (rollupBidStart[r] as number);
    }
    if (dominated(a, startA, endA, sa, rankA, groupA)) {
      alive[a] = 0;
      removed++;
    }
    if (work > budget) return { removed, complete: false };
  }
  return { removed, complete: true };

  function dominated(a: number, startA: number, endA: number, sa: number, rankA: number, groupA: number): boolean {
    for (let k = startA; k < endA; k++) {
      const list = lists[bundleItems[k] as number];
      if (list === undefined) continue;
      for (const b of list) {
        const rankB = rank[b] as number;
        if (rankB < rankA) break;
        const startB = bundleStart[b] as number;
        const endB = bundleStart[b + 1] as number;
        const sb = endB - startB;
        if (b === a || sb > sa) continue;
        const groupB = group[b] as number;
        if (groupB !== -1 && groupB !== groupA) continue;
        if (!(rankB > rankA || sb < sa || (groupB === -1 && groupA !== -1) || b < a)) continue;
        let inside = true;
        for (let j = startB; j < endB && inside; j++) inside = mark[bundleItems[j] as number] === a;
        if (inside) return true;
      }
    }
    return false;
  }
}

/** Dense ranks of the bids' gains (equal gains, equal ranks; higher gain, higher rank). */
function gainRanks(market: Market, bids: readonly number[]): Int32Array {
  const gain = market.gain;
  const order = [...bids].sort((x, y) => {
    const gx = gain[x] as bigint;
    const gy = gain[y] as bigint;
    return gx < gy ? -1 : gx > gy ? 1 : 0;
  });
  const rank = new Int32Array(market.nBids);
  let current = 0;
  for (let i = 0; i < order.length; i++) {
    const b = order[i] as number;
    if (i > 0 && (gain[b] as bigint) !== (gain[order[i - 1] as number] as bigint)) current++;
    rank[b] = current;
  }
  return rank;
}

/** The bids under the rollup of their bundle with the fewest bids (lowest index on ties), highest rank first. */
function indexByRarestRollup(market: Market, bids: readonly number[], rank: Int32Array): (number[] | undefined)[] {
  const { bundleStart, bundleItems, rollupBidStart } = market;
  const lists: (number[] | undefined)[] = new Array<number[] | undefined>(market.nRollups);
  for (const b of bids) {
    let key = -1;
    let fewest = Infinity;
    for (let k = bundleStart[b] as number; k < (bundleStart[b + 1] as number); k++) {
      const r = bundleItems[k] as number;
      const n = (rollupBidStart[r + 1] as number) - (rollupBidStart[r] as number);
      if (n < fewest) {
        fewest = n;
        key = r;
      }
    }
    (lists[key] ??= []).push(b);
  }
  for (const list of lists) list?.sort((x, y) => (rank[y] as number) - (rank[x] as number) || x - y);
  return lists;
}

/**
 * Union-find over rollups and exclusive groups; bids sharing either are in one component.
 * Exported for the reference presolve of the tests (internal: not re-exported by the package).
 */
export function splitComponents(market: Market, bids: readonly number[]): Int32Array[] {
  const parent = new Int32Array(market.nRollups + market.nGroups).map((_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while ((parent[root] as number) !== root) root = parent[root] as number;
    while ((parent[x] as number) !== root) {
      const next = parent[x] as number;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  const union = (x: number, y: number): void => {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent[Math.max(rx, ry)] = Math.min(rx, ry);
  };
  for (const b of bids) {
    const first = market.bundleItems[market.bundleStart[b] as number] as number;
    for (let k = (market.bundleStart[b] as number) + 1; k < (market.bundleStart[b + 1] as number); k++) union(first, market.bundleItems[k] as number);
    const g = market.group[b] as number;
    if (g >= 0) union(first, market.nRollups + g);
  }
  const byRoot = new Map<number, number[]>();
  for (const b of bids) {
    const root = find(market.bundleItems[market.bundleStart[b] as number] as number);
    let list = byRoot.get(root);
    if (list === undefined) byRoot.set(root, (list = []));
    list.push(b);
  }
  return [...byRoot.values()]
    .map((list) => Int32Array.from(list))
    .sort((x, y) => x.length - y.length || (x[0] as number) - (y[0] as number));
}
