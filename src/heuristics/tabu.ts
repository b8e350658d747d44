/**
 * Tabu search for weighted set packing, after the swap-based multi-neighbourhood tabu searches
 * for maximum weight independent set (Jin & Hao 2015) and Casanova (Hoos & Boutilier 2000).
 *
 * A move inserts a bid that is not winning and ejects the winners it conflicts with (shared
 * rollup or exclusive group). This one neighbourhood covers ADD (no conflict), SWAP (one
 * conflict, including exclusive-group exchanges) and (k,1)-swaps. Improving moves are taken
 * greedily; when none is left, a plateau move picks the best non-tabu move from a random sample
 * (stochastic acceptance), and ejected bids may not come back for a few iterations. Every move
 * is applied with its exact bigint gain; floats only rank candidates.
 *
 * Per bid we keep how many winners it conflicts with and their summed gain, so a move costs
 * O(Σ bundle × rollup degree) over the bids it touches, never O(instance).
 */
import type { Market } from '../model/market.js';

/** The parts of a compiled market a local search reads (a {@link Market} is one). */
export type PackingIndex = Pick<Market, 'nBids' | 'nRollups' | 'nGroups' | 'bundleStart' | 'bundleItems' | 'group' | 'gain' | 'rollupBidStart' | 'rollupBidItems' | 'groupBidStart' | 'groupBidItems'>;

/** Options of {@link tabuSearch}; all optional. */
export interface TabuOptions {
  /** Seed of the move sampler. Default 0. */
  readonly seed?: number;
  /** `performance.now()` time after which the search stops. Default: none (use `maxIterations`). */
  readonly deadline?: number;
  /** Plateau moves before stopping. Default: unbounded (a deadline is then required). */
  readonly maxIterations?: number;
  readonly signal?: AbortSignal;
  /**
   * Called at every check of the deadline. It may block (to let a racing MIP thread have the core),
   * and `true` ends the search there, with its best so far (so that this thread can serve the
   * racing MIP's next step; see `mip-governor.ts`).
   */
  readonly pause?: () => boolean;
  /** Candidates sampled per plateau move. Default {@link TABU_SAMPLE}. */
  readonly sample?: number;
  /** Called on every new best (exact gain). */
  readonly onImprove?: (gain: bigint) => void;
}

/** Default candidates examined per plateau move. */
export const TABU_SAMPLE = 24;

/** Result of {@link tabuSearch}. */
export interface TabuResult {
  /** Best packing found (global bid indices, ascending). */
  readonly winners: number[];
  /** Its exact Σ gain. */
  readonly gain: bigint;
  /** Plateau moves made. */
  readonly iterations: number;
}

/**
 * Improves `initial` (a feasible packing of `candidates`, e.g. greedy's) by tabu search until
 * the deadline, the iteration budget or abort. Deterministic for a given seed and iteration
 * budget; never returns less than `initial`.
 */
export function tabuSearch(market: PackingIndex, candidates: ArrayLike<number>, initial: readonly number[], options: TabuOptions = {}): TabuResult {
  if (options.deadline === undefined && options.maxIterations === undefined) throw new RangeError('tabuSearch needs a deadline or maxIterations');
  const search = new TabuState(market, candidates, options.seed ?? 0);
  for (const b of initial) search.insert(b);
  search.markBest();
  const maxIterations = options.maxIterations ?? Infinity;
  const deadline = options.deadline ?? Infinity;
  const sample = Math.max(1, options.sample ?? TABU_SAMPLE);
  let iterations = 0;
  let sinceBest = 0;
  const restartAfter = Math.max(2000, 4 * candidates.length);
  while (iterations < maxIterations) {
    if ((iterations & 15) === 0) {
      if (options.pause?.() === true || performance.now() > deadline || options.signal?.aborted === true) break;
    }
    if (search.descend()) {
      options.onImprove?.(search.bestGain);
      sinceBest = 0;
    }
    if (++sinceBest > restartAfter) {
      search.restartFromBest();
      sinceBest = 0;
    }
    if (!search.plateauMove(sample, iterations)) break;
    iterations++;
  }
  if (search.descend()) options.onImprove?.(search.bestGain);
  return { winners: search.bestWinners(), gain: search.bestGain, iterations };
}

/** Packing state with incremental conflict counts and gains per bid. */
class TabuState {
  private readonly gainF: Float64Array;
  private readonly allowed: Uint8Array;
  private readonly ownerR: Int32Array;
  private readonly ownerG: Int32Array;
  private readonly inSol: Uint8Array;
  /** Winners each bid conflicts with, and their summed gain (float, for ranking only). */
  private readonly confCount: Int32Array;
  private readonly confGain: Float64Array;
  private readonly tabuUntil: Int32Array;
  private readonly seen: Int32Array;
  private stamp = 0;
  /** Bids whose move may have become improving (gain > conflicting gain). */
  private readonly promising: number[] = [];
  private readonly listed: Uint8Array;
  private readonly cands: Int32Array;
  private readonly winnersList: number[] = [];
  private readonly pos: Int32Array;
  private rng: number;
  private current = 0n;
  private best: number[] = [];
  bestGain = 0n;
  private bestDirty = false;
  private iteration = 0;

  constructor(private readonly m: PackingIndex, candidates: ArrayLike<number>, seed: number) {
    const n = m.nBids;
    this.gainF = new Float64Array(n);
    this.allowed = new Uint8Array(n);
    const kept: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const b = candidates[i] as number;
      const g = m.gain[b] as bigint;
      if (g <= 0n || this.allowed[b] === 1) continue;
      this.allowed[b] = 1;
      this.gainF[b] = Number(g);
      kept.push(b);
    }
    this.cands = Int32Array.from(kept);
    this.ownerR = new Int32Array(m.nRollups).fill(-1);
    this.ownerG = new Int32Array(m.nGroups).fill(-1);
    this.inSol = new Uint8Array(n);
    this.confCount = new Int32Array(n);
    this.confGain = new Float64Array(n);
    this.tabuUntil = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.listed = new Uint8Array(n);
    this.pos = new Int32Array(n).fill(-1);
    this.rng = (seed ^ 0x9e3779b9) >>> 0 || 1;
    for (const b of kept) this.push(b);
  }

  /** Inserts b (which must fit), updating its neighbours' conflict data. */
  insert(b: number): void {
    this.inSol[b] = 1;
    this.pos[b] = this.winnersList.length;
    this.winnersList.push(b);
    this.current += this.m.gain[b] as bigint;
    this.claim(b, b);
    this.touchNeighbours(b, 1);
  }

  private remove(b: number): void {
    this.inSol[b] = 0;
    const p = this.pos[b] as number;
    const last = this.winnersList.pop() as number;
    if (last !== b) {
      this.winnersList[p] = last;
      this.pos[last] = p;
    }
    this.pos[b] = -1;
    this.current -= this.m.gain[b] as bigint;
    this.claim(b, -1);
    this.touchNeighbours(b, -1);
  }

  private claim(b: number, owner: number): void {
    const m = this.m;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) this.ownerR[m.bundleItems[k] as number] = owner;
    const g = m.group[b] as number;
    if (g >= 0) this.ownerG[g] = owner;
  }

  /** Adds (sign 1) or removes (−1) winner w from the conflict data of every bid sharing an item. */
  private touchNeighbours(w: number, sign: 1 | -1): void {
    const m = this.m;
    const stamp = ++this.stamp;
    const gw = this.gainF[w] as number;
    const visit = (c: number): void => {
      if (this.seen[c] === stamp || c === w || this.allowed[c] === 0) return;
      this.seen[c] = stamp;
      this.confCount[c] = (this.confCount[c] as number) + sign;
      this.confGain[c] = (this.confGain[c] as number) + sign * gw;
      if (sign < 0) this.push(c);
    };
    for (let k = m.bundleStart[w] as number; k < (m.bundleStart[w + 1] as number); k++) {
      const r = m.bundleItems[k] as number;
      for (let q = m.rollupBidStart[r] as number; q < (m.rollupBidStart[r + 1] as number); q++) visit(m.rollupBidItems[q] as number);
    }
    const g = m.group[w] as number;
    if (g >= 0) for (let q = m.groupBidStart[g] as number; q < (m.groupBidStart[g + 1] as number); q++) visit(m.groupBidItems[q] as number);
  }

  private push(c: number): void {
    if (this.listed[c] === 1 || this.inSol[c] === 1) return;
    if ((this.gainF[c] as number) <= (this.confGain[c] as number) && this.confCount[c] !== 0) return;
    this.listed[c] = 1;
    this.promising.push(c);
  }

  /** Winners that b conflicts with (distinct). */
  private conflicts(b: number, out: number[]): number[] {
    out.length = 0;
    const m = this.m;
    const add = (o: number): void => { if (o >= 0 && !out.includes(o)) out.push(o); };
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) add(this.ownerR[m.bundleItems[k] as number] as number);
    const g = m.group[b] as number;
    if (g >= 0) add(this.ownerG[g] as number);
    return out;
  }

  /** Exact gain change of inserting b. */
  private exactDelta(b: number, ejected: readonly number[]): bigint {
    let d = this.m.gain[b] as bigint;
    for (const e of ejected) d -= this.m.gain[e] as bigint;
    return d;
  }

  private apply(b: number, ejected: readonly number[], tenure: number): void {
    for (const e of ejected) {
      this.remove(e);
      this.tabuUntil[e] = this.iteration + tenure;
    }
    this.insert(b);
  }

  /** Takes improving moves (best float delta first, checked exactly) until none is left. True on a new best. */
  descend(): boolean {
    const list = this.promising;
    const ejected: number[] = [];
    while (list.length > 0) {
      // Best listed candidate; stale entries (no longer improving) are dropped.
      let bestI = -1;
      let bestD = 0;
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i] as number;
        const d = (this.gainF[c] as number) - (this.confGain[c] as number);
        if (this.inSol[c] === 1 || (d <= 0 && this.confCount[c] !== 0)) {
          this.listed[c] = 0;
          list[i] = list[list.length - 1] as number;
          list.pop();
          if (bestI === list.length) bestI = i;
          continue;
        }
        if (bestI === -1 || d > bestD) {
          bestI = i;
          bestD = d;
        }
      }
      if (bestI === -1) break;
      const c = list[bestI] as number;
      list[bestI] = list[list.length - 1] as number;
      list.pop();
      this.listed[c] = 0;
      this.conflicts(c, ejected);
      if (this.exactDelta(c, ejected) <= 0n) continue;
      this.apply(c, ejected, 0);
    }
    if (this.current > this.bestGain) {
      this.bestGain = this.current;
      this.bestDirty = true;
      return true;
    }
    return false;
  }

  /** One non-improving move: best non-tabu candidate of a random sample. False when none exists. */
  plateauMove(sample: number, iteration: number): boolean {
    this.iteration = iteration;
    if (this.bestDirty) this.markBest();
    const n = this.cands.length;
    if (n === 0) return false;
    let pick = -1;
    let pickD = -Infinity;
    for (let s = 0; s < sample; s++) {
      const c = this.cands[this.next() % n] as number;
      if (this.inSol[c] === 1) continue;
      const d = (this.gainF[c] as number) - (this.confGain[c] as number);
      const tabu = (this.tabuUntil[c] as number) > iteration;
      if (tabu) continue;
      if (d > pickD) {
        pick = c;
        pickD = d;
      }
    }
    if (pick < 0) return true;
    const ejected = this.conflicts(pick, []);
    this.apply(pick, ejected, 7 + (this.next() % 10));
    if (this.current > this.bestGain) {
      this.bestGain = this.current;
      this.bestDirty = true;
    }
    return true;
  }

  /** Records the current packing as the best one. */
  markBest(): void {
    this.best = [...this.winnersList];
    this.bestGain = this.current;
    this.bestDirty = false;
  }

  /** Returns to the best packing (e.g. after a long walk without improvement). */
  restartFromBest(): void {
    if (this.bestDirty) this.markBest();
    const target = new Set(this.best);
    for (const w of [...this.winnersList]) if (!target.has(w)) this.remove(w);
    for (const b of this.best) if (this.inSol[b] === 0) this.insert(b);
  }

  bestWinners(): number[] {
    if (this.bestDirty) this.markBest();
    return [...this.best].sort((a, b) => a - b);
  }

  /** xorshift32. */
  private next(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
}
