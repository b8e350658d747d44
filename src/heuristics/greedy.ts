/**
 * Greedy winner determination: sort bids by a score and take each one that does not conflict
 * with those already taken. Scores use floats only to order bids; values are exact elsewhere.
 */
import type { Market } from '../model/market.js';

/** Greedy orderings (Lehmann, O'Callaghan & Shoham 2002 use gain/√size). */
export type GreedyOrder = 'sqrt' | 'size' | 'gain';

/** All greedy orderings, in the order a portfolio tries them. */
export const GREEDY_ORDERS: readonly GreedyOrder[] = ['sqrt', 'size', 'gain'];

/** Conflict marks over rollups and groups, reusable across runs (generation counters). */
export class ConflictMarks {
  private readonly rollupGen: Int32Array;
  private readonly groupGen: Int32Array;
  private gen = 1;

  constructor(private readonly market: Pick<Market, 'nRollups' | 'nGroups' | 'group' | 'bundleStart' | 'bundleItems'>) {
    this.rollupGen = new Int32Array(market.nRollups);
    this.groupGen = new Int32Array(market.nGroups);
  }

  /** Forgets every mark. */
  clear(): void {
    if (++this.gen >= 0x7fffffff) {
      this.rollupGen.fill(0);
      this.groupGen.fill(0);
      this.gen = 1;
    }
  }

  /** Whether bid b shares a rollup or exclusive group with a marked bid. */
  conflicts(b: number): boolean {
    const m = this.market;
    const g = m.group[b] as number;
    if (g >= 0 && this.groupGen[g] === this.gen) return true;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) {
      if (this.rollupGen[m.bundleItems[k] as number] === this.gen) return true;
    }
    return false;
  }

  /** Marks bid b's rollups and group as taken. */
  take(b: number): void {
    const m = this.market;
    const g = m.group[b] as number;
    if (g >= 0) this.groupGen[g] = this.gen;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) this.rollupGen[m.bundleItems[k] as number] = this.gen;
  }
}

/** Bids sorted by decreasing score for an ordering; ties by index (deterministic). */
export function orderBids(market: Market, bids: ArrayLike<number>, order: GreedyOrder): Int32Array {
  const n = bids.length;
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = bids[i] as number;
    const gain = Number(market.gain[b] as bigint);
    const size = (market.bundleStart[b + 1] as number) - (market.bundleStart[b] as number);
    score[i] = order === 'gain' ? gain : order === 'size' ? gain / size : gain / Math.sqrt(size);
  }
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  idx.sort((x, y) => (score[y] as number) - (score[x] as number) || (bids[x] as number) - (bids[y] as number));
  return idx.map((i) => bids[i] as number);
}

/**
 * LP-value-guided ordering: `bids` sorted by decreasing LP value (`x[j]` belongs to `bids[j]`),
 * ties broken by position in `tieOrder` (e.g. bids by decreasing gain), then by index.
 */
export function orderByLp(market: Market, bids: ArrayLike<number>, x: ArrayLike<number>, tieOrder: ArrayLike<number>): Int32Array {
  const rank = new Int32Array(market.nBids).fill(0x7fffffff);
  for (let i = 0; i < tieOrder.length; i++) rank[tieOrder[i] as number] = i;
  const idx = Int32Array.from({ length: bids.length }, (_, j) => j);
  const b = (j: number): number => bids[j] as number;
  idx.sort((p, q) => (x[q] ?? 0) - (x[p] ?? 0) || (rank[b(p)] as number) - (rank[b(q)] as number) || b(p) - b(q));
  return idx.map(b);
}

/** Takes non-conflicting bids in the given order, skipping those with gain ≤ 0. */
export function greedyFromOrder(market: Market, ordered: ArrayLike<number>, marks = new ConflictMarks(market), initial: ArrayLike<number> = []): number[] {
  marks.clear();
  const taken: number[] = [];
  for (let i = 0; i < initial.length; i++) {
    const b = initial[i] as number;
    marks.take(b);
    taken.push(b);
  }
  for (let i = 0; i < ordered.length; i++) {
    const b = ordered[i] as number;
    if ((market.gain[b] as bigint) <= 0n || marks.conflicts(b)) continue;
    marks.take(b);
    taken.push(b);
  }
  return taken;
}

/** Greedy with one ordering over the given candidate bids. */
export function greedy(market: Market, bids: ArrayLike<number>, order: GreedyOrder = 'sqrt'): number[] {
  return greedyFromOrder(market, orderBids(market, bids, order));
}

/** Exact Σ gain of a set of bids. */
export function gainOf(market: Pick<Market, 'gain'>, winners: ArrayLike<number>): bigint {
  let sum = 0n;
  for (let i = 0; i < winners.length; i++) sum += market.gain[winners[i] as number] as bigint;
  return sum;
}

/** The best (exact gain, then fewest winners, then first ordering) of all greedy orderings. */
export function bestGreedy(market: Market, bids: ArrayLike<number>): { winners: number[]; gain: bigint; order: GreedyOrder } {
  const marks = new ConflictMarks(market);
  let best: { winners: number[]; gain: bigint; order: GreedyOrder } | null = null;
  for (const order of GREEDY_ORDERS) {
    const winners = greedyFromOrder(market, orderBids(market, bids, order), marks);
    const gain = gainOf(market, winners);
    if (best === null || gain > best.gain || (gain === best.gain && winners.length < best.winners.length)) best = { winners, gain, order };
  }
  return best ?? { winners: [], gain: 0n, order: 'sqrt' };
}
