/**
 * `bnb`: our own branch and bound for weighted set packing (issue 13). The LP bound comes from
 * one persistent HiGHS model, built once over clique-strengthened rows and re-solved warm
 * (dual simplex from the previous basis) after column bounds change. Around it: fixing a
 * column to 1 fixes its conflicting columns to 0; incumbents from the start vector and from
 * rounding each node's LP (greedy by LP value); integral pruning (weights are integers); and
 * dynamic decomposition: when the free columns fall apart into independent components, each
 * is solved by its own search with its own incumbent and a target, and the results are cached
 * per component. Extra rows (refinement cuts) are kept in the LP and checked at every
 * incumbent; they disable decomposition (they couple all columns).
 */
import type { Highs, Model } from 'highs';
import { strengthenCliques } from './bnb-cliques.js';
import { highsBackend, loadHighs, toHighsModel } from './highs.js';
import type { BackendOptions, BackendResult, LinearRow, MipBackend, PackingProblem } from './problem.js';

/** Branching rules: most fractional column, or the largest fractional LP value (dive on x = 1). */
export type BnbBranching = 'fractional' | 'dive';

/** Tunable settings of the search (through `BackendOptions.tuning`, keys prefixed `bnb_`). */
export interface BnbSettings {
  /** Branching rule. Default {@link BNB_DEFAULTS}. */
  readonly branching: BnbBranching;
  /** Check for a split into components every this many nodes of a search (0: never; 1: every node). */
  readonly splitEvery: number;
  /** Strengthen packing rows into maximal cliques at the root. */
  readonly cliques: boolean;
  /** Components of at most this many columns are solved by plain enumeration (no LP). */
  readonly enumerateUpTo: number;
  /** Cache component results (keyed by the component's columns). */
  readonly cache: boolean;
  /** Fix columns by their LP reduced costs at every node. */
  readonly reducedCost: boolean;
}

/** Default settings (measured in BENCHMARKS.md §13). */
export const BNB_DEFAULTS: BnbSettings = { branching: 'fractional', splitEvery: 1, cliques: true, enumerateUpTo: 12, cache: true, reducedCost: true };

/** Counters of one run, for measurement. */
export interface BnbStats {
  nodes: number;
  lpRuns: number;
  lpMs: number;
  splits: number;
  components: number;
  cacheHits: number;
  enumerated: number;
  rcFixed: number;
  lpIterations: number;
  /** LP re-solves HiGHS failed (each retried once from a cleared solver). */
  lpFailures: number;
  cliquesExtended: number;
  rows: number;
}

/** Counters of the last `bnb` run in this thread (profiling and tests). */
export let lastBnbStats: BnbStats | null = null;

const PROGRESS_EVERY_MS = 250;
const EPS = 1e-6;
const MAX_CACHE_ENTRIES = 200_000;

/** Result of one (sub)search: best value found (over its columns only) and what is proven. */
interface SubResult {
  /** Best value found, −Infinity when none. */
  readonly value: number;
  /** Its columns set to 1. */
  readonly sol: readonly number[];
  /** True when `value` is the optimum of the subproblem. */
  readonly exact: boolean;
  /** Proven upper bound on the subproblem's optimum. */
  readonly ub: number;
  /** Stopped by the deadline or the signal. */
  readonly aborted: boolean;
}

/** One open node: the trail length to return to, then one branching fixing. */
interface OpenNode {
  readonly mark: number;
  readonly col: number;
  readonly val: 0 | 1;
  /** Parent's bound (integral when weights are). */
  readonly bound: number;
}

interface CacheEntry {
  readonly value: number;
  readonly sol: readonly number[];
  readonly exact: boolean;
  readonly ub: number;
}

/** The branch and bound over one problem (one persistent LP model). */
class Search {
  readonly stats: BnbStats = { nodes: 0, lpRuns: 0, lpMs: 0, splits: 0, components: 0, cacheHits: 0, enumerated: 0, rcFixed: 0, lpIterations: 0, lpFailures: 0, cliquesExtended: 0, rows: 0 };
  private readonly n: number;
  private readonly w: Float64Array;
  private readonly integral: boolean;
  /** Column → packing rows (CSR), for conflicts, propagation and components. */
  private readonly colStart: Int32Array;
  private readonly colRows: Int32Array;
  private readonly rowStart: Int32Array;
  private readonly rowItems: Int32Array;
  private readonly extra: readonly LinearRow[];
  /** Current bounds: lo[j] = up[j] means fixed. */
  private readonly lo: Uint8Array;
  private readonly up: Uint8Array;
  /** Trail of changed columns: col, old lo, old up. */
  private trail: number[] = [];
  private fixedValue = 0;
  private readonly dirty: Uint8Array;
  private dirtyList: number[] = [];
  private readonly cache = new Map<string, CacheEntry>();
  private readonly rowStamp: Int32Array;
  private readonly colStamp: Int32Array;
  private stamp = 0;
  private lastProgress = 0;
  private aborted = false;
  /** Best top-level value, for progress. */
  private topBest = -Infinity;
  private rootBound = Infinity;
  private readonly byWeight: Int32Array;

  constructor(
    private readonly highs: Highs,
    private readonly model: Model,
    problem: PackingProblem,
    private readonly settings: BnbSettings,
    private readonly deadline: number,
    private readonly started: number,
    private readonly options: BackendOptions,
  ) {
    this.n = problem.nCols;
    this.w = problem.weight;
    let integral = true;
    for (const v of problem.weight) if (!Number.isInteger(v)) integral = false;
    this.integral = integral;
    this.rowStart = problem.rowStart;
    this.rowItems = problem.rowItems;
    this.extra = problem.extraRows;
    const n = this.n;
    const counts = new Int32Array(n + 1);
    for (const c of problem.rowItems) counts[c + 1] = (counts[c + 1] as number) + 1;
    for (let j = 0; j < n; j++) counts[j + 1] = (counts[j + 1] as number) + (counts[j] as number);
    this.colStart = counts;
    this.colRows = new Int32Array(problem.rowItems.length);
    const fill = counts.slice(0, n);
    const nRows = problem.rowStart.length - 1;
    for (let r = 0; r < nRows; r++) {
      for (let k = problem.rowStart[r] as number; k < (problem.rowStart[r + 1] as number); k++) {
        const c = problem.rowItems[k] as number;
        this.colRows[fill[c] as number] = r;
        fill[c] = (fill[c] as number) + 1;
      }
    }
    this.lo = new Uint8Array(n);
    this.up = new Uint8Array(n).fill(1);
    this.dirty = new Uint8Array(n);
    this.rowStamp = new Int32Array(nRows);
    this.colStamp = new Int32Array(n);
    this.byWeight = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => (this.w[b] as number) - (this.w[a] as number) || a - b);
  }

  /** Solves the whole problem: `start` (if feasible) is the first incumbent. */
  run(start: Uint8Array | undefined): SubResult {
    let initial: { value: number; sol: number[] } | null = null;
    if (start !== undefined && start.length === this.n) {
      const sol: number[] = [];
      start.forEach((v, j) => { if (v === 1) sol.push(j); });
      if (this.feasible(sol)) initial = { value: this.valueOf(sol), sol };
    }
    if (initial === null && this.feasible([])) initial = { value: 0, sol: [] };
    if (initial !== null) this.topBest = initial.value;
    const all = Int32Array.from({ length: this.n }, (_, j) => j);
    return this.search(all, -Infinity, initial, true);
  }

  /**
   * Best packing of `cols` (all free; every other column fixed, and none conflicting with a
   * column fixed to 1). Nodes whose bound is at most max(best, target) are pruned, so the
   * result is exact when its value exceeds `target`; otherwise the optimum is ≤ `target`.
   */
  private search(cols: Int32Array, target: number, initial: { value: number; sol: readonly number[] } | null, top: boolean): SubResult {
    const entryFixed = this.fixedValue;
    let best = initial?.value ?? -Infinity;
    let bestSol: readonly number[] = initial?.sol ?? [];
    let nodesHere = 0;
    let openBound = -Infinity;
    const stack: OpenNode[] = [{ mark: this.trail.length, col: -1, val: 0, bound: Infinity }];
    const improve = (value: number, sol: readonly number[]): void => {
      if (value > best) {
        best = value;
        bestSol = sol;
        if (top) this.topBest = value;
      }
    };
    while (stack.length > 0) {
      const node = stack.pop() as OpenNode;
      if (node.bound <= Math.max(best, target)) continue;
      if (this.stop()) {
        openBound = Math.max(openBound, node.bound, maxBound(stack));
        break;
      }
      this.undo(node.mark);
      if (node.col >= 0) this.fix(node.col, node.val);
      nodesHere++;
      this.stats.nodes++;
      const lp = this.solveLp();
      if (lp === 'infeasible') continue;
      if (lp === 'stopped') {
        openBound = Math.max(openBound, node.bound, maxBound(stack));
        break;
      }
      let here = this.fixedValue - entryFixed;
      const ub = lp === 'unknown' ? node.bound : Math.min(node.bound, this.roundBound(lp.obj - entryFixed));
      if (top && node.col < 0) this.rootBound = ub + entryFixed;
      if (ub <= Math.max(best, target)) continue;
      const x = lp === 'unknown' ? null : lp.x;
      // Free columns of this search, and whether the LP is integral on them.
      let free: number[] = [];
      let fractional = false;
      for (const j of cols) {
        if (this.lo[j] !== this.up[j]) {
          free.push(j);
          const v = x === null ? 0.5 : (x[j] as number);
          if (v > EPS && v < 1 - EPS) fractional = true;
        }
      }
      if (free.length === 0 || (x !== null && !fractional)) {
        const sol = this.onesIn(cols, x);
        if (this.feasible(sol)) {
          improve(this.valueOf(sol), sol);
          continue;
        }
        if (free.length === 0) continue;
      }
      if (x !== null && lp !== 'unknown') {
        const rounded = this.round(cols, free, x);
        if (rounded !== null) improve(this.valueOf(rounded), rounded);
        if (ub <= Math.max(best, target)) continue;
        if (this.settings.reducedCost && this.fixByReducedCost(free, x, lp.dj, lp.obj - entryFixed, Math.max(best, target)) > 0) {
          free = free.filter((j) => this.lo[j] !== this.up[j]);
          here = this.fixedValue - entryFixed;
          if (free.length === 0) {
            const sol = this.onesIn(cols, null);
            if (this.feasible(sol)) improve(this.valueOf(sol), sol);
            continue;
          }
        }
      }
      // Dynamic decomposition (not at a sub-search's own root: its columns are one component).
      const every = this.settings.splitEvery;
      if (this.extra.length === 0 && every > 0 && (nodesHere - 1) % every === 0 && (top || node.col >= 0)) {
        const comps = this.components(free);
        if (comps.length >= 2) {
          this.stats.splits++;
          const split = this.solveSplit(comps, x, Math.max(best, target) - here);
          if (split === 'stopped') {
            openBound = Math.max(openBound, ub, maxBound(stack));
            break;
          }
          if (split !== null) improve(here + split.value, [...this.fixedOnesIn(cols), ...split.sol]);
          continue;
        }
      }
      const j = this.branchColumn(free, x);
      const mark = this.trail.length;
      stack.push({ mark, col: j, val: 0, bound: ub }, { mark, col: j, val: 1, bound: ub });
    }
    const stopped = openBound > -Infinity || this.aborted;
    const finiteBest = best;
    if (stopped) return { value: finiteBest, sol: bestSol, exact: false, ub: Math.max(finiteBest, target, openBound), aborted: true };
    const exact = best > target;
    return { value: finiteBest, sol: bestSol, exact, ub: exact ? best : target, aborted: false };
  }

  /**
   * The current node's free columns split into `comps`: each is solved on its own (the others
   * fixed to 0 meanwhile), smallest first, each with the target that the node can still beat
   * `threshold` (the value the free part must exceed). Null when the node cannot.
   */
  private solveSplit(comps: Int32Array[], x: Float64Array | null, threshold: number): { value: number; sol: number[] } | null | 'stopped' {
    comps.sort((a, b) => a.length - b.length);
    const ubs = comps.map((c) => {
      if (x === null) return Infinity;
      let s = 0;
      for (const j of c) s += (this.w[j] as number) * (x[j] as number);
      return this.roundBound(s);
    });
    let rest = ubs.reduce((s, v) => s + v, 0);
    let done = 0;
    const sol: number[] = [];
    for (const [i, comp] of comps.entries()) {
      rest -= ubs[i] as number;
      const t = threshold - done - rest;
      const r = this.solveComponent(comp, t);
      if (r.aborted) return 'stopped';
      if (!r.exact) return null;
      done += r.value;
      sol.push(...r.sol);
    }
    return done > threshold ? { value: done, sol } : null;
  }

  /** One component with a target: enumeration when small, else a cached sub-search. */
  private solveComponent(comp: Int32Array, target: number): SubResult {
    this.stats.components++;
    if (comp.length <= this.settings.enumerateUpTo) {
      this.stats.enumerated++;
      const { value, sol } = this.enumerate(comp);
      return { value, sol, exact: true, ub: value, aborted: false };
    }
    const key = this.settings.cache ? comp.join(',') : '';
    const cached = this.settings.cache ? this.cache.get(key) : undefined;
    if (cached !== undefined && (cached.exact || cached.ub <= target)) {
      this.stats.cacheHits++;
      return { value: cached.value, sol: cached.sol, exact: cached.exact, ub: cached.ub, aborted: false };
    }
    // Others fixed to 0 while this one is searched.
    const mark = this.trail.length;
    for (const j of this.otherFree(comp)) this.set(j, 0, 0);
    const initial = cached === undefined || cached.value === -Infinity ? null : { value: cached.value, sol: cached.sol };
    const r = this.search(comp, target, initial, false);
    this.undo(mark);
    if (!r.aborted && this.settings.cache && this.cache.size < MAX_CACHE_ENTRIES) {
      const ub = cached === undefined ? r.ub : Math.min(r.ub, cached.ub);
      this.cache.set(key, { value: r.value, sol: r.sol, exact: r.exact, ub });
    }
    return r;
  }

  /**
   * Reduced-cost fixing: a free column at 0 whose reduced cost d brings the bound to at most
   * `threshold` when forced to 1 is fixed to 0 below this node; one at 1 likewise to 1. Only
   * |d| is used (any sign convention). Returns how many were fixed.
   */
  private fixByReducedCost(free: readonly number[], x: Float64Array, dj: Float64Array, z: number, threshold: number): number {
    let fixed = 0;
    for (const j of free) {
      if (this.lo[j] === this.up[j]) continue;
      const d = Math.abs(dj[j] as number);
      if (d <= EPS) continue;
      if (this.roundBound(z - d) > threshold) continue;
      const v = x[j] as number;
      if (v <= EPS) this.set(j, 0, 0);
      else if (v >= 1 - EPS) this.fix(j, 1);
      else continue;
      fixed++;
    }
    this.stats.rcFixed += fixed;
    return fixed;
  }

  /** Free columns outside `comp` (comp is ascending). */
  private otherFree(comp: Int32Array): number[] {
    this.stamp++;
    for (const j of comp) this.colStamp[j] = this.stamp;
    const out: number[] = [];
    for (let j = 0; j < this.n; j++) if (this.lo[j] !== this.up[j] && this.colStamp[j] !== this.stamp) out.push(j);
    return out;
  }

  /** Exact maximum-weight packing of a small set of free columns (plain DFS, no LP). */
  private enumerate(comp: Int32Array): { value: number; sol: number[] } {
    const m = comp.length;
    const cols = Array.from(comp).sort((a, b) => (this.w[b] as number) - (this.w[a] as number) || a - b);
    const conflict = new Int32Array(m);
    for (let a = 0; a < m; a++) {
      this.stamp++;
      const ca = cols[a] as number;
      for (let k = this.colStart[ca] as number; k < (this.colStart[ca + 1] as number); k++) this.rowStamp[this.colRows[k] as number] = this.stamp;
      for (let b = 0; b < m; b++) {
        if (a === b) continue;
        const cb = cols[b] as number;
        for (let k = this.colStart[cb] as number; k < (this.colStart[cb + 1] as number); k++) {
          if (this.rowStamp[this.colRows[k] as number] === this.stamp) {
            conflict[a] = (conflict[a] as number) | (1 << b);
            break;
          }
        }
      }
    }
    const wt = cols.map((c) => Math.max(0, this.w[c] as number));
    let bestV = 0;
    let bestMask = 0;
    const dfs = (i: number, blocked: number, mask: number, v: number): void => {
      if (v > bestV) {
        bestV = v;
        bestMask = mask;
      }
      if (i === m) return;
      let bound = v;
      for (let k = i; k < m; k++) if ((blocked & (1 << k)) === 0) bound += wt[k] as number;
      if (bound <= bestV) return;
      if ((blocked & (1 << i)) === 0 && (wt[i] as number) > 0) dfs(i + 1, blocked | (conflict[i] as number), mask | (1 << i), v + (wt[i] as number));
      dfs(i + 1, blocked, mask, v);
    };
    dfs(0, 0, 0, 0);
    const sol = cols.filter((_, i) => (bestMask & (1 << i)) !== 0);
    return { value: bestV, sol };
  }

  /** Connected components of the conflict graph on `free` (each ascending). */
  private components(free: readonly number[]): Int32Array[] {
    this.stamp++;
    const s = this.stamp;
    // Mark free columns with s; visited ones get −s.
    for (const j of free) this.colStamp[j] = s;
    const comps: Int32Array[] = [];
    const queue: number[] = [];
    for (const j of free) {
      if (this.colStamp[j] !== s) continue;
      this.colStamp[j] = -s;
      queue.length = 0;
      queue.push(j);
      for (let q = 0; q < queue.length; q++) {
        const c = queue[q] as number;
        for (let k = this.colStart[c] as number; k < (this.colStart[c + 1] as number); k++) {
          const r = this.colRows[k] as number;
          if (this.rowStamp[r] === s) continue;
          this.rowStamp[r] = s;
          for (let t = this.rowStart[r] as number; t < (this.rowStart[r + 1] as number); t++) {
            const d = this.rowItems[t] as number;
            if (this.colStamp[d] === s) {
              this.colStamp[d] = -s;
              queue.push(d);
            }
          }
        }
      }
      comps.push(Int32Array.from(queue).sort());
    }
    return comps;
  }

  private branchColumn(free: readonly number[], x: Float64Array | null): number {
    let best = -1;
    let score = -Infinity;
    for (const j of free) {
      const v = x === null ? 0.5 : (x[j] as number);
      if (x !== null && (v <= EPS || v >= 1 - EPS)) continue;
      const s = this.settings.branching === 'fractional' ? -Math.abs(v - 0.5) : v;
      if (s > score || (s === score && (this.w[j] as number) > (this.w[best] as number))) {
        best = j;
        score = s;
      }
    }
    if (best >= 0) return best;
    // Integral LP that failed our exact check (tolerances): branch on the heaviest free column.
    return free.reduce((a, j) => ((this.w[j] as number) > (this.w[a] as number) ? j : a), free[0] as number);
  }

  /** Greedy by LP value (then weight) over the free columns, on top of the fixed ones; null if infeasible. */
  private round(cols: Int32Array, free: readonly number[], x: Float64Array): number[] | null {
    const positive = free.filter((j) => (x[j] as number) > EPS).sort((a, b) => (x[b] as number) - (x[a] as number) || (this.w[b] as number) - (this.w[a] as number) || a - b);
    this.stamp++;
    const s = this.stamp;
    const sol = this.fixedOnesIn(cols);
    for (const j of sol) this.take(j, s);
    const tryTake = (j: number): void => {
      if (this.lo[j] === this.up[j] || (this.w[j] as number) <= 0) return;
      for (let k = this.colStart[j] as number; k < (this.colStart[j + 1] as number); k++) if (this.rowStamp[this.colRows[k] as number] === s) return;
      if (this.colStamp[j] === s) return;
      this.take(j, s);
      sol.push(j);
    };
    for (const j of positive) tryTake(j);
    if (this.extra.length === 0) {
      // Complete over this search's free columns by weight.
      for (const j of this.byWeight) if (this.colStamp[j] !== s && this.inCols(j, cols)) tryTake(j);
    }
    return this.extraFeasible(sol) ? sol : null;
  }

  private inCols(j: number, cols: Int32Array): boolean {
    if (cols.length === this.n) return true;
    let lo = 0;
    let hi = cols.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = cols[mid] as number;
      if (v === j) return true;
      if (v < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  private take(j: number, s: number): void {
    this.colStamp[j] = s;
    for (let k = this.colStart[j] as number; k < (this.colStart[j + 1] as number); k++) this.rowStamp[this.colRows[k] as number] = s;
  }

  private fixedOnesIn(cols: Int32Array): number[] {
    const out: number[] = [];
    for (const j of cols) if (this.lo[j] === 1) out.push(j);
    return out;
  }

  /** Columns of `cols` at 1: fixed ones and (when x is given) those the LP sets to 1. */
  private onesIn(cols: Int32Array, x: Float64Array | null): number[] {
    const out: number[] = [];
    for (const j of cols) if (this.lo[j] === 1 || (this.lo[j] !== this.up[j] && x !== null && (x[j] as number) >= 1 - EPS)) out.push(j);
    return out;
  }

  private valueOf(sol: readonly number[]): number {
    let v = 0;
    for (const j of sol) v += this.w[j] as number;
    return v;
  }

  /** Packing rows and extra rows hold for the columns in `sol` (the only ones at 1, with the global fixings outside). */
  private feasible(sol: readonly number[]): boolean {
    this.stamp++;
    const s = this.stamp;
    for (const j of sol) {
      if (this.colStamp[j] === s) return false;
      for (let k = this.colStart[j] as number; k < (this.colStart[j + 1] as number); k++) {
        const r = this.colRows[k] as number;
        if (this.rowStamp[r] === s) return false;
        this.rowStamp[r] = s;
      }
      this.colStamp[j] = s;
    }
    return this.extraFeasible(sol);
  }

  /** Extra rows hold for exactly these columns at 1 (used only when there are no decompositions, i.e. `sol` is global). */
  private extraFeasible(sol: readonly number[]): boolean {
    if (this.extra.length === 0) return true;
    const x = new Uint8Array(this.n);
    for (const j of sol) x[j] = 1;
    for (const r of this.extra) {
      let sum = 0;
      for (let k = 0; k < r.indices.length; k++) if (x[r.indices[k] as number] === 1) sum += r.values[k] as number;
      if (sum < r.lower - 1e-9 || sum > r.upper + 1e-9) return false;
    }
    return true;
  }

  /** Largest integer (integral weights) or value (else) the subproblem can still reach, with LP tolerances. */
  private roundBound(v: number): number {
    const widened = v + EPS + Math.abs(v) * 1e-9;
    return this.integral ? Math.floor(widened) : widened;
  }

  private stop(): boolean {
    if (this.aborted) return true;
    const now = performance.now();
    if (now >= this.deadline || this.options.signal?.aborted === true) {
      this.aborted = true;
      return true;
    }
    if (this.options.onProgress !== undefined && now - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = now;
      this.options.onProgress({ elapsedMs: now - this.started, primal: Number.isFinite(this.topBest) ? this.topBest : null, dual: Number.isFinite(this.rootBound) ? this.rootBound : null });
    }
    return false;
  }

  /** Fixes column j to val; fixing to 1 fixes every free conflicting column to 0. */
  private fix(j: number, val: 0 | 1): void {
    this.set(j, val, val);
    if (val === 0) return;
    for (let k = this.colStart[j] as number; k < (this.colStart[j + 1] as number); k++) {
      const r = this.colRows[k] as number;
      for (let t = this.rowStart[r] as number; t < (this.rowStart[r + 1] as number); t++) {
        const d = this.rowItems[t] as number;
        if (d !== j && this.up[d] === 1) this.set(d, this.lo[d] as number, 0);
      }
    }
  }

  private set(j: number, lo: number, up: number): void {
    const oldLo = this.lo[j] as number;
    const oldUp = this.up[j] as number;
    if (oldLo === lo && oldUp === up) return;
    if (lo > up) throw new Error(`bnb: contradictory bounds on column ${j}`);
    this.trail.push(j, oldLo, oldUp);
    this.apply(j, lo, up);
  }

  private apply(j: number, lo: number, up: number): void {
    if (this.lo[j] === 1) this.fixedValue -= this.w[j] as number;
    this.lo[j] = lo;
    this.up[j] = up;
    if (lo === 1) this.fixedValue += this.w[j] as number;
    if (this.dirty[j] === 0) {
      this.dirty[j] = 1;
      this.dirtyList.push(j);
    }
  }

  private undo(mark: number): void {
    const t = this.trail;
    while (t.length > mark) {
      const up = t.pop() as number;
      const lo = t.pop() as number;
      const j = t.pop() as number;
      this.apply(j, lo, up);
    }
  }

  /** Re-solves the LP after pushing the changed bounds to HiGHS. */
  /**
   * One LP re-solve. HiGHS can fail a warm re-solve after many bound changes (seen on
   * rollup-market 300 × 6,000: "run failed with HiGHS status -1" after 20 s); the model is then
   * solved once more from a cleared solver state, and a second failure leaves the node's LP unknown.
   */
  private runLp(): number {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return this.model.run().modelStatus;
      } catch (error) {
        // A native failure of the solve itself (HighsError, operation 'run'); anything else is a bug.
        if ((error as { operation?: unknown } | null)?.operation !== 'run') throw error;
        this.stats.lpFailures++;
        this.model.clearSolver();
      }
    }
    return -1;
  }

  private solveLp(): { obj: number; x: Float64Array; dj: Float64Array } | 'infeasible' | 'unknown' | 'stopped' {
    if (this.dirtyList.length > 0) {
      const idx = Int32Array.from(this.dirtyList).sort();
      const lo = Float64Array.from(idx, (j) => this.lo[j] as number);
      const up = Float64Array.from(idx, (j) => this.up[j] as number);
      for (const j of idx) this.dirty[j] = 0;
      this.dirtyList = [];
      this.model.changeColsBounds({ kind: 'set', indices: idx }, lo, up);
    }
    const left = (this.deadline - performance.now()) / 1000;
    if (left <= 0) {
      this.aborted = true;
      return 'stopped';
    }
    this.model.zeroAllClocks();
    this.model.options.set({ time_limit: Math.max(0.01, left) });
    const t0 = performance.now();
    const status = this.runLp();
    this.stats.lpRuns++;
    this.stats.lpMs += performance.now() - t0;
    this.stats.lpIterations += Number(this.model.info.get('simplex_iteration_count'));
    const ms = this.highs.constants.modelStatus;
    if (status === ms.infeasible) return 'infeasible';
    if (status !== ms.optimal) {
      if (status === ms.timeLimit || performance.now() >= this.deadline) {
        this.aborted = true;
        return 'stopped';
      }
      return 'unknown';
    }
    const solution = this.model.getSolution();
    return { obj: this.model.getObjectiveValue(), x: solution.colValue, dj: solution.colDual };
  }
}

function maxBound(stack: readonly OpenNode[]): number {
  let m = -Infinity;
  for (const s of stack) if (s.bound > m) m = s.bound;
  return m;
}

/** Reads `bnb_*` tuning keys over the defaults (unknown values are ignored). */
export function bnbSettings(tuning: BackendOptions['tuning']): BnbSettings {
  const t = tuning ?? {};
  const branching = t['bnb_branching'];
  const num = (key: string, fallback: number): number => {
    const v = t[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = t[key];
    return typeof v === 'boolean' ? v : fallback;
  };
  return {
    branching: branching === 'dive' || branching === 'fractional' ? branching : BNB_DEFAULTS.branching,
    splitEvery: num('bnb_split_every', BNB_DEFAULTS.splitEvery),
    cliques: bool('bnb_cliques', BNB_DEFAULTS.cliques),
    enumerateUpTo: Math.min(24, num('bnb_enumerate', BNB_DEFAULTS.enumerateUpTo)),
    cache: bool('bnb_cache', BNB_DEFAULTS.cache),
    reducedCost: bool('bnb_reduced_cost', BNB_DEFAULTS.reducedCost),
  };
}

/** Solves a packing problem by {@link Search}. */
export async function solveBnb(problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
  const started = performance.now();
  const highs = await loadHighs();
  const settings = bnbSettings(options.tuning);
  const deadline = started + Math.max(0.01, options.timeLimitSec) * 1000;
  let rows = { start: problem.rowStart, items: problem.rowItems };
  let extended = 0;
  if (settings.cliques) {
    const c = strengthenCliques(problem.nCols, rows, problem.weight);
    rows = c;
    extended = c.extended;
  }
  const lpProblem: PackingProblem = { ...problem, rowStart: rows.start, rowItems: rows.items };
  const model = highs.createModel(toHighsModel(highs, lpProblem, false));
  try {
    model.options.set({ output_flag: false, presolve: 'off', solver: 'simplex', simplex_strategy: 1 });
    // Conflicts, propagation and components use the original rows (the same conflict graph, fewer entries).
    const search = new Search(highs, model, problem, settings, deadline, started, options);
    search.stats.cliquesExtended = extended;
    search.stats.rows = rows.start.length - 1;
    const r = search.run(options.start);
    lastBnbStats = search.stats;
    const elapsedMs = performance.now() - started;
    const x = r.value === -Infinity ? null : Uint8Array.from({ length: problem.nCols }, () => 0);
    if (x !== null) for (const j of r.sol) x[j] = 1;
    if (!r.aborted) {
      if (x === null) return { status: 'infeasible', x: null, dualBound: null, elapsedMs };
      return { status: 'optimal', x, dualBound: r.value, elapsedMs };
    }
    // Stopped before the root LP: Σ positive weights still bounds every packing.
    let trivial = 0;
    for (const v of problem.weight) if (v > 0) trivial += v;
    const dualBound = Math.min(r.ub, trivial);
    return { status: x === null ? 'no-solution' : 'feasible', x, dualBound, elapsedMs };
  } finally {
    model.dispose();
  }
}

/** The `bnb` backend: {@link solveBnb}; its LP relaxation is HiGHS's. */
export const bnbBackend: MipBackend = {
  name: 'bnb',
  solve: solveBnb,
  relax: (problem, options) => (highsBackend.relax as NonNullable<MipBackend['relax']>)(problem, options),
};
