/**
 * Local search by insertion for weighted set packing: insert a bid that is not winning, eject
 * the winners it conflicts with (shared rollup or exclusive group), refill what they freed with
 * the best-ranked bids that now fit, and keep the move only when the exact gain strictly
 * improves. A move costs O(bundle sizes × rollup degrees), not O(instance).
 */
import type { Market } from '../model/market.js';

/** Options of {@link improveByInsertion}. */
export interface InsertionOptions {
  /** `performance.now()` time after which no new move starts. Default: none. */
  readonly deadline?: number;
  /** Passes over the candidates (stops earlier when a pass improves nothing). Default 3. */
  readonly maxPasses?: number;
  /** Aborting stops the search at the next check (every 64 candidates). */
  readonly signal?: AbortSignal;
  /**
   * Called at every check of the deadline. It may block (to let a racing MIP thread have the core),
   * and `true` ends the search there, with its best so far (so that this thread can serve the
   * racing MIP's next step; see `mip-governor.ts`).
   */
  readonly pause?: () => boolean;
}

/**
 * Improves `winners` (a feasible packing of `candidates`). Bids are tried for insertion in
 * `candidates` order; refills take bids in `refillOrder` order (e.g. by decreasing gain).
 * Deterministic; returns the winners of the final packing (never worse than the input).
 */
export function improveByInsertion(market: Market, candidates: ArrayLike<number>, refillOrder: ArrayLike<number>, winners: readonly number[], options: InsertionOptions = {}): number[] {
  const state = new Packing(market, candidates, refillOrder);
  for (const b of winners) state.put(b);
  const deadline = options.deadline ?? Infinity;
  for (let pass = 0; pass < (options.maxPasses ?? 3); pass++) {
    let improved = false;
    for (let i = 0; i < candidates.length; i++) {
      if ((i & 63) === 0) {
        if (options.pause?.() === true || performance.now() > deadline || options.signal?.aborted === true) return state.winners();
      }
      if (state.tryInsert(candidates[i] as number)) improved = true;
    }
    if (!improved) break;
  }
  return state.winners();
}

/** A packing with owners per rollup and group, and reversible insertion moves. */
class Packing {
  private readonly ownerR: Int32Array;
  private readonly ownerG: Int32Array;
  private readonly inSol: Uint8Array;
  private readonly allowed: Uint8Array;
  private readonly rank: Int32Array;
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(private readonly m: Market, candidates: ArrayLike<number>, refillOrder: ArrayLike<number>) {
    this.ownerR = new Int32Array(m.nRollups).fill(-1);
    this.ownerG = new Int32Array(m.nGroups).fill(-1);
    this.inSol = new Uint8Array(m.nBids);
    this.allowed = new Uint8Array(m.nBids);
    this.rank = new Int32Array(m.nBids).fill(0x7fffffff);
    this.seen = new Int32Array(m.nBids);
    for (let i = 0; i < candidates.length; i++) this.allowed[candidates[i] as number] = 1;
    for (let i = 0; i < refillOrder.length; i++) this.rank[refillOrder[i] as number] = i;
  }

  put(b: number): void {
    this.inSol[b] = 1;
    this.forItems(b, (r) => { this.ownerR[r] = b; }, (g) => { this.ownerG[g] = b; });
  }

  remove(b: number): void {
    this.inSol[b] = 0;
    this.forItems(b, (r) => { this.ownerR[r] = -1; }, (g) => { this.ownerG[g] = -1; });
  }

  fits(b: number): boolean {
    const g = this.m.group[b] as number;
    if (g >= 0 && this.ownerG[g] !== -1) return false;
    for (let k = this.m.bundleStart[b] as number; k < (this.m.bundleStart[b + 1] as number); k++) {
      if (this.ownerR[this.m.bundleItems[k] as number] !== -1) return false;
    }
    return true;
  }

  /** Insert b, eject its conflicts, refill; keep only a strict exact improvement. */
  tryInsert(b: number): boolean {
    const m = this.m;
    if (this.inSol[b] === 1 || (m.gain[b] as bigint) <= 0n) return false;
    const ejected: number[] = [];
    this.forItems(b, (r) => this.collect(this.ownerR[r] as number, ejected), (g) => this.collect(this.ownerG[g] as number, ejected));
    let delta = m.gain[b] as bigint;
    for (const e of ejected) delta -= m.gain[e] as bigint;
    for (const e of ejected) this.remove(e);
    this.put(b);
    // Refill: bids on what the ejected winners freed, best rank first.
    const stamp = ++this.stamp;
    const pool: number[] = [];
    const consider = (c: number): void => {
      if (this.seen[c] === stamp || this.allowed[c] === 0 || this.inSol[c] === 1 || (m.gain[c] as bigint) <= 0n) return;
      this.seen[c] = stamp;
      pool.push(c);
    };
    for (const e of ejected) {
      for (let k = m.bundleStart[e] as number; k < (m.bundleStart[e + 1] as number); k++) {
        const r = m.bundleItems[k] as number;
        if (this.ownerR[r] !== -1) continue;
        for (let q = m.rollupBidStart[r] as number; q < (m.rollupBidStart[r + 1] as number); q++) consider(m.rollupBidItems[q] as number);
      }
      const g = m.group[e] as number;
      if (g >= 0 && this.ownerG[g] === -1) for (let q = m.groupBidStart[g] as number; q < (m.groupBidStart[g + 1] as number); q++) consider(m.groupBidItems[q] as number);
    }
    pool.sort((x, y) => (this.rank[x] as number) - (this.rank[y] as number) || x - y);
    const refilled: number[] = [];
    for (const c of pool) {
      if (!this.fits(c)) continue;
      this.put(c);
      refilled.push(c);
      delta += m.gain[c] as bigint;
    }
    if (delta > 0n) return true;
    for (const c of refilled) this.remove(c);
    this.remove(b);
    for (const e of ejected) this.put(e);
    return false;
  }

  winners(): number[] {
    const out: number[] = [];
    for (let b = 0; b < this.inSol.length; b++) if (this.inSol[b] === 1) out.push(b);
    return out;
  }

  private collect(owner: number, into: number[]): void {
    if (owner >= 0 && !into.includes(owner)) into.push(owner);
  }

  private forItems(b: number, onRollup: (r: number) => void, onGroup: (g: number) => void): void {
    const m = this.m;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) onRollup(m.bundleItems[k] as number);
    const g = m.group[b] as number;
    if (g >= 0) onGroup(g);
  }
}
