/**
 * The sub-problems of large-neighbourhood search (lns.ts): a packing whose winners own rollups
 * and groups, the sub-problem left when a set of rollups is freed (winners touching them are
 * removed, the bids whose bundles lie inside the freed rollups become free), and its exact
 * solve (bigint enumeration when small, else a HiGHS sub-MIP with a tight cap, re-checked
 * exactly). Acceptance is always on exact bigint gains.
 */
import { ENUMERATION_LIMIT, branchAndBound } from '../solver/enumerate.js';
import { highsBackend } from '../solver/highs.js';
import { buildPacking } from '../solver/packing.js';
import { ConflictMarks, gainOf } from './greedy.js';
import type { PackingIndex } from './tabu.js';

/**
 * Default largest sub-problem (free bids); bigger neighbourhoods are cut to it. Searches start
 * at {@link ENUMERATION_LIMIT} free bids (enumerated exactly, about 1 ms) and grow while the
 * sub-problems are proven without improvement, into HiGHS sub-MIPs. Measured on uniform (L3)
 * 500 × 2,000 seed 2 from a 128.56 local optimum, 10 s each at a fixed size: 24–300 free bids
 * found nothing (1–3 ms a sub-MIP: most free bids are the removed winners themselves), 600
 * reached 129.37 (12 ms a sub-MIP), 1,000 reached 128.82 (275 ms, a fifth cut short).
 */
export const LNS_MAX_FREE = 1_000;

/** Largest sub-problem a caller may ask for (`maxFree`). */
export const LNS_MAX_FREE_LIMIT = 2_000;

/** Branch-and-bound node cap of one sub-MIP (keeps iteration-budgeted runs reproducible). */
export const SUB_MIP_MAX_NODES = 400;

/** A feasible packing with the owner of every rollup and group (−1: free). */
export class Packing {
  readonly ownerR: Int32Array;
  readonly ownerG: Int32Array;
  private readonly winnerSet = new Set<number>();
  gain = 0n;

  constructor(private readonly m: PackingIndex, winners: readonly number[] = []) {
    this.ownerR = new Int32Array(m.nRollups).fill(-1);
    this.ownerG = new Int32Array(m.nGroups).fill(-1);
    for (const b of winners) this.add(b);
  }

  has(b: number): boolean {
    return this.winnerSet.has(b);
  }

  /** Whether b fits beside the winners. */
  fits(b: number): boolean {
    const m = this.m;
    const g = m.group[b] as number;
    if (g >= 0 && this.ownerG[g] !== -1) return false;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) if (this.ownerR[m.bundleItems[k] as number] !== -1) return false;
    return true;
  }

  add(b: number): void {
    this.winnerSet.add(b);
    this.gain += this.m.gain[b] as bigint;
    this.own(b, b);
  }

  remove(b: number): void {
    this.winnerSet.delete(b);
    this.gain -= this.m.gain[b] as bigint;
    this.own(b, -1);
  }

  /** Winners, ascending. */
  winners(): number[] {
    return [...this.winnerSet].sort((a, b) => a - b);
  }

  private own(b: number, owner: number): void {
    const m = this.m;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) this.ownerR[m.bundleItems[k] as number] = owner;
    const g = m.group[b] as number;
    if (g >= 0) this.ownerG[g] = owner;
  }
}

/** A neighbourhood's sub-problem: the winners it removes and the bids it may choose from. */
export interface SubProblem {
  /** Incumbent winners removed (all inside the freed rollups); their gain is the bar to beat. */
  readonly removed: readonly number[];
  readonly removedGain: bigint;
  /** Free bids (ascending): bundles inside the freed rollups, groups not owned by a kept winner. */
  readonly free: Int32Array;
}

/** Builds sub-problems over one candidate set (reusable scratch arrays, generation stamps). */
export class SubProblemBuilder {
  private readonly allowed: Uint8Array;
  private readonly freedGen: Int32Array;
  private readonly countGen: Int32Array;
  private readonly count: Int32Array;
  /** Rollups of the candidates. */
  private readonly rollups: number[];
  private gen = 0;

  constructor(private readonly m: PackingIndex, candidates: ArrayLike<number>) {
    this.allowed = new Uint8Array(m.nBids);
    for (let i = 0; i < candidates.length; i++) {
      const b = candidates[i] as number;
      if ((m.gain[b] as bigint) > 0n) this.allowed[b] = 1;
    }
    const seen = new Uint8Array(m.nRollups);
    for (let b = 0; b < m.nBids; b++) {
      if (this.allowed[b] === 0) continue;
      for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) seen[m.bundleItems[k] as number] = 1;
    }
    this.rollups = [];
    seen.forEach((v, r) => { if (v === 1) this.rollups.push(r); });
    this.freedGen = new Int32Array(m.nRollups);
    this.countGen = new Int32Array(m.nBids);
    this.count = new Int32Array(m.nBids);
  }

  /**
   * Frees the rollups no winner owns, then rollups in `order` (each with the rest of the
   * bundles of the winners it removes) until at least `target` bids are free, then cuts the free set to `maxFree` (removed
   * winners first, then by gain), so the removed winners always stay a feasible answer.
   */
  build(p: Packing, order: readonly number[], target: number, maxFree: number): SubProblem {
    const m = this.m;
    const gen = ++this.gen;
    const removed: number[] = [];
    const free: number[] = [];
    const queue: number[] = [];
    const freeRollup = (r: number): void => {
      if (this.freedGen[r] === gen) return;
      this.freedGen[r] = gen;
      const owner = p.ownerR[r] as number;
      if (owner >= 0 && !removed.includes(owner)) {
        removed.push(owner);
        for (let k = m.bundleStart[owner] as number; k < (m.bundleStart[owner + 1] as number); k++) queue.push(m.bundleItems[k] as number);
      }
      for (let q = m.rollupBidStart[r] as number; q < (m.rollupBidStart[r + 1] as number); q++) {
        const b = m.rollupBidItems[q] as number;
        if (this.allowed[b] === 0) continue;
        if (this.countGen[b] !== gen) {
          this.countGen[b] = gen;
          this.count[b] = 0;
        }
        this.count[b] = (this.count[b] as number) + 1;
        if (this.count[b] === (m.bundleStart[b + 1] as number) - (m.bundleStart[b] as number)) free.push(b);
      }
    };
    // Rollups no winner owns are free from the start: a bid may use them with freed ones.
    for (const r of this.rollups) if (p.ownerR[r] === -1) freeRollup(r);
    for (const r of order) {
      if (free.length >= target) break;
      freeRollup(r);
      while (queue.length > 0) freeRollup(queue.pop() as number);
    }
    const removedSet = new Set(removed);
    // A free bid whose group a kept winner owns cannot enter.
    let kept = free.filter((b) => {
      const g = m.group[b] as number;
      const owner = g < 0 ? -1 : (p.ownerG[g] as number);
      return owner < 0 || removedSet.has(owner);
    });
    if (kept.length > maxFree) {
      const others = kept.filter((b) => !removedSet.has(b)).sort((a, b) => byGainDesc(m, a, b));
      kept = [...removed, ...others.slice(0, Math.max(0, maxFree - removed.length))];
    }
    return { removed, removedGain: gainOf(m, removed), free: Int32Array.from(kept).sort() };
  }
}

/** How a sub-problem was decided. */
export interface SubSolution {
  /** Best packing of the free bids found (exact gain below); never worse than `removed`. */
  readonly winners: readonly number[];
  readonly gain: bigint;
  /** True when `winners` is proven optimal for the sub-problem. */
  readonly optimal: boolean;
}

/** Options of {@link solveSubProblem}. */
export interface SubSolveOptions {
  /** Seconds the sub-MIP may run. */
  readonly timeLimitSec: number;
}

/**
 * Solves a sub-problem exactly: enumeration up to {@link ENUMERATION_LIMIT} free bids, else the
 * HiGHS sub-MIP (started from the removed winners, weights scaled into a safe float range, node
 * and time capped). The sub-MIP's answer is re-checked for feasibility and its gain recomputed
 * in bigint; the removed winners are returned when nothing better is found.
 */
export async function solveSubProblem(m: PackingIndex, sub: SubProblem, options: SubSolveOptions): Promise<SubSolution> {
  const fallback = { winners: sub.removed, gain: sub.removedGain, optimal: false };
  if (sub.free.length <= ENUMERATION_LIMIT) {
    const r = branchAndBound(m, sub.free);
    return r.gain > sub.removedGain ? { ...r, optimal: true } : { ...fallback, optimal: true };
  }
  let top = 1;
  for (const b of sub.free) top = Math.max(top, Number(m.gain[b] as bigint));
  // Floats only rank: scaled so the largest free gain is 1e6 (far from HiGHS's infinity).
  const weight = Float64Array.from(sub.free, (b) => (Number(m.gain[b] as bigint) / top) * 1e6);
  const problem = buildPacking(m, sub.free, weight);
  const start = new Uint8Array(sub.free.length);
  const removed = new Set(sub.removed);
  sub.free.forEach((b, j) => { if (removed.has(b)) start[j] = 1; });
  const result = await highsBackend.solve(problem, { timeLimitSec: options.timeLimitSec, start, tuning: { mip_max_nodes: SUB_MIP_MAX_NODES } });
  if (result.x === null) return fallback;
  const winners: number[] = [];
  result.x.forEach((v, j) => { if (v === 1) winners.push(sub.free[j] as number); });
  if (!isPacking(m, winners)) return fallback;
  const gain = gainOf(m, winners);
  if (gain <= sub.removedGain) return { ...fallback, optimal: result.status === 'optimal' };
  return { winners, gain, optimal: result.status === 'optimal' };
}

/** Whether the bids are pairwise disjoint in rollups and exclusive groups. */
function isPacking(m: PackingIndex, winners: readonly number[]): boolean {
  const marks = new ConflictMarks(m);
  for (const b of winners) {
    if (marks.conflicts(b)) return false;
    marks.take(b);
  }
  return true;
}

function byGainDesc(m: PackingIndex, a: number, b: number): number {
  const ga = m.gain[a] as bigint;
  const gb = m.gain[b] as bigint;
  return ga === gb ? a - b : ga > gb ? -1 : 1;
}
