/**
 * `solve()`: winner determination for an instance. Presolve, split into components, decide each
 * exactly (small ones by exact enumeration in bigint, larger ones by a MIP backend on a
 * lossless or refined rounded model), and re-check the combined answer exactly.
 */
import { bestGreedy } from '../heuristics/greedy.js';
import { winnersToIds } from '../model/allocation.js';
import { BundleAuctionError, UsageError } from '../model/errors.js';
import { evaluateWinners } from '../model/evaluate.js';
import { compileMarket, type Market } from '../model/market.js';
import type { Allocation, Instance } from '../model/types.js';
import { getBackend } from './backends.js';
import { cheapGainBound } from './bounds.js';
import { canonicalise } from './canonical.js';
import { AUTO_RACE_MIN_COLUMNS, solveComponent, type ComponentContext, type ComponentMode, type ComponentOutcome } from './component.js';
import { ENUMERATION_LIMIT } from './enumerate.js';
import { presolve } from './presolve.js';
import type { BackendName, BackendProgress } from './problem.js';
import { racingBackend } from './race.js';

/** Solution methods. */
export type SolveMethod = 'exact' | 'heuristic' | 'auto';

/** Solve methods accepted by `--method`. */
export const SOLVE_METHODS: readonly SolveMethod[] = ['exact', 'heuristic', 'auto'];

/** Progress of a solve, reported at most a few times per second. */
export interface SolveProgress {
  readonly elapsedMs: number;
  /** Value of the best allocation known (approximate while a MIP runs). */
  readonly incumbent: bigint | null;
  /** Upper bound on the optimal value (approximate while a MIP runs). */
  readonly bound: bigint | null;
  /** Components decided so far and in all. */
  readonly componentsDone: number;
  readonly components: number;
  /**
   * The move that found the latest improvement: `greedy`, `local` (insertion), `tabu`,
   * `lns:random`, `lns:region`, `lns:rins`, `lns:relink`, `merge`, `search` or `mip`. Absent before any.
   */
  readonly move?: string;
}

/** Options of {@link solve}; all optional. */
export interface SolveOptions {
  /**
   * `exact`: MIP on every component (short local search first). `heuristic`: greedy orderings,
   * the Lagrangian bound and a greedy guided by it, insertion local search and the tabu
   * portfolio until the time limit, no MIP. `auto` (default, anytime): on components above
   * {@link AUTO_RACE_MIN_COLUMNS} bids and on wei-scale (rounded) models, the search of
   * `heuristic` races the MIP, which runs on a worker thread and, where the two share cores,
   * gets the time only while it pays (`mip-governor.ts`); smaller components get the LP, a
   * short search, then the MIP seeded with the incumbent. Components of more than
   * {@link AUTO_MIP_MAX_BIDS} bids skip the MIP.
   */
  readonly method?: SolveMethod;
  /** MIP backend. Default `highs`. */
  readonly backend?: BackendName;
  /** Wall-clock limit in seconds for the whole solve. Default {@link DEFAULT_TIME_LIMIT_SEC}. */
  readonly timeLimit?: number;
  /** Seed of the tabu portfolio. Default 0. */
  readonly seed?: number;
  /**
   * Worker threads (piscina); 1 works in this thread. Default 1. `heuristic` and `auto`: the
   * portfolio's threads; answers are reproducible for a given seed, worker count and
   * `iterations` (see `runPortfolio`). `exact`: with 2 or more, every MIP solve races that
   * many proof strategies (HiGHS, bnb, HiGHS with other seeds, bnb diving; `race.ts`), the
   * first proof wins, and the answer is made {@link SolveOptions.canonical | canonical}.
   */
  readonly workers?: number;
  /**
   * Return the canonical optimum of every component proven optimal: among its optimal
   * allocations, the one whose winners, as a 0/1 vector over the bids in canonical id order,
   * is lexicographically greatest (earlier bids preferred), over the bids presolve keeps
   * (`canonical.ts`). The answer is then the same for every worker count and backend. Default:
   * {@link canonicalByDefault}. Unproven components are left as found; so are proofs whose
   * canonicalisation runs out of time (counted in `stats.canonical`).
   */
  readonly canonical?: boolean;
  /**
   * Plateau-move budget per worker for the tabu search. With it, `heuristic` gives the same
   * answer on every run (as long as the time limit is not reached first). Default: unbounded.
   */
  readonly iterations?: number;
  /** Aborting returns the best allocation found so far. */
  readonly signal?: AbortSignal;
  /** Called with progress while the solve runs. */
  readonly onProgress?: (progress: SolveProgress) => void;
  /**
   * Components with at most this many bids are solved by exact enumeration in bigint instead of
   * the MIP backend. Default (and maximum) {@link ENUMERATION_LIMIT}; 1 sends every component
   * with two or more bids to the backend.
   */
  readonly enumerationLimit?: number;
  /** Remove dominated bids and split independent components before solving. Default true. */
  readonly presolve?: boolean;
  /** Backend options passed through unchanged, e.g. `{ presolve: 'on' }` for HiGHS. */
  readonly tuning?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Incremental re-solve: a previous allocation (e.g. before bids arrived or reserves changed)
   * to start from. Its winners that still exist and still fit are kept and completed greedily;
   * the result is never worse than that. Unknown ids are ignored.
   */
  readonly incumbent?: Allocation;
}

/** Default time limit (seconds). */
export const DEFAULT_TIME_LIMIT_SEC = 60;

/** In `auto`, components with more bids than this skip the MIP (greedy + local search). */
export const AUTO_MIP_MAX_BIDS = 50_000;

/** Statistics of a solve. */
export interface SolveStats {
  readonly bids: number;
  readonly removedNonPositive: number;
  readonly removedDominated: number;
  readonly components: number;
  readonly largestComponent: number;
  /** Components decided by each mode. */
  readonly modes: Readonly<Partial<Record<ComponentMode, number>>>;
  readonly mipSolves: number;
  readonly mipMs: number;
  /** With {@link SolveOptions.canonical}: components made canonical, and those left as found (time). */
  readonly canonical?: { readonly components: number; readonly failed: number };
}

/** Whether {@link SolveOptions.canonical} is on when not given: for `exact` with more than one worker. */
export function canonicalByDefault(method: SolveMethod, workers: number): boolean {
  return method === 'exact' && workers > 1;
}

/** Result of {@link solve}. Amounts are exact base units. */
export interface SolveResult {
  /** `optimal` only when proven for the exact amounts; otherwise `feasible`. */
  readonly status: 'optimal' | 'feasible';
  /** Σ winning amounts + Σ reserves of unsold rollups. */
  readonly value: bigint;
  /** Σ winning amounts. */
  readonly revenue: bigint;
  /** Winning bid ids in canonical order. */
  readonly winners: readonly string[];
  /** Winning bid indices (into `instance.bids`), ascending. */
  readonly winnerIndices: readonly number[];
  /** Proven upper bound on the optimal value (equal to `value` when optimal). */
  readonly bound: bigint | null;
  /** e.g. `exact/highs`, `heuristic/local-search`. */
  readonly method: string;
  readonly elapsedMs: number;
  readonly stats: SolveStats;
}

/**
 * Solves winner determination. Never throws for hard instances: on the time limit or abort it
 * returns the best allocation found with status `feasible` and a proven bound. Throws
 * {@link UsageError} for invalid options.
 */
export async function solve(instance: Instance, options: SolveOptions = {}): Promise<SolveResult> {
  const started = performance.now();
  const method = options.method ?? 'auto';
  if (!SOLVE_METHODS.includes(method)) throw new UsageError(`unknown method ${JSON.stringify(method)}: expected one of ${SOLVE_METHODS.join(', ')}`);
  const timeLimit = options.timeLimit ?? DEFAULT_TIME_LIMIT_SEC;
  if (typeof timeLimit !== 'number' || Number.isNaN(timeLimit) || timeLimit <= 0) {
    throw new UsageError(`time limit must be a positive number of seconds (received ${String(timeLimit)})`);
  }
  const backendName = options.backend ?? 'highs';
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new UsageError(`workers must be a positive integer (received ${String(workers)})`);
  if (options.iterations !== undefined && (!Number.isSafeInteger(options.iterations) || options.iterations < 0)) {
    throw new UsageError(`iterations must be a non-negative integer (received ${String(options.iterations)})`);
  }
  const canonical = options.canonical ?? canonicalByDefault(method, workers);
  const baseBackend = method === 'heuristic' ? null : await getBackend(backendName);
  // exact on several workers: every MIP solve is a race of proof strategies (race.ts).
  const racing = baseBackend !== null && method === 'exact' && workers > 1 ? racingBackend(baseBackend, workers) : null;
  const backend = racing?.backend ?? baseBackend;
  const market = compileMarket(instance);
  const pre = presolve(market, { reduce: options.presolve ?? true });
  const deadline = started + timeLimit * 1000;
  const components = pre.components;

  const incumbent = options.incumbent === undefined ? undefined : incumbentIndices(market, options.incumbent);
  const outcomes: ComponentOutcome[] = [];
  const tracker = new ProgressTracker(market, components, started, options.onProgress);
  let canonicalDone = 0;
  let canonicalFailed = 0;
  try {
    for (const [i, bids] of components.entries()) {
      const useMip = method === 'exact' || (method === 'auto' && bids.length <= AUTO_MIP_MAX_BIDS);
      // The component's LP duals, when its solve had an LP: canonicalisation's first bound.
      let rowDual: Float64Array | undefined;
      const ctx: ComponentContext = {
        backend: useMip ? backend : null,
        deadline,
        enumerationLimit: options.enumerationLimit ?? ENUMERATION_LIMIT,
        ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onProgress: (p, unit) => tracker.running(i, p, unit),
        onIncumbent: (gain, move) => tracker.improved(i, gain, move),
        onBound: (gain) => tracker.bounded(i, gain),
        search: method === 'exact' ? 'short' : 'anytime',
        seed: options.seed ?? 0,
        workers,
        ...(options.iterations === undefined ? {} : { iterations: options.iterations }),
        ...(incumbent === undefined ? {} : { incumbent }),
        ...(canonical ? { onRelaxation: (x: Float64Array, _w: readonly number[], y: Float64Array) => { if (x.length === bids.length) rowDual = y; } } : {}),
      };
      let outcome: ComponentOutcome = await solveComponent(market, bids, ctx, tracker.greedy[i]);
      if (canonical && outcome.proven && bids.length > 1) {
        const c = await canonicalise(market, bids, outcome, { ...ctx, backend: backend ?? await getBackend(backendName) }, rowDual);
        if (c.canonical) canonicalDone++;
        else canonicalFailed++;
        outcome = c;
      }
      outcomes.push(outcome);
      tracker.done(i, outcome);
    }
  } finally {
    await racing?.close();
  }

  const winners = outcomes.flatMap((o) => o.winners).sort((a, b) => a - b);
  const check = evaluateWinners(market, winners);
  if (!check.feasible) {
    // Every component answer is checked on its own; a failure here is a bug, never an answer.
    throw new BundleAuctionError(`internal error: combined allocation infeasible (${check.reason.kind})`);
  }
  const proven = outcomes.every((o) => o.proven) && pre.components.length === outcomes.length;
  const boundGain = outcomes.reduce((s, o) => s + o.bound, 0n);
  const modes: Partial<Record<ComponentMode, number>> = {};
  for (const o of outcomes) modes[o.mode] = (modes[o.mode] ?? 0) + 1;
  const value = check.value;
  const bound = proven ? value : maxBig(value, market.reserveTotal + boundGain);
  return {
    status: proven ? 'optimal' : 'feasible',
    value,
    revenue: check.revenue,
    winners: winnersToIds(market, winners),
    winnerIndices: winners,
    bound,
    method: method === 'heuristic' ? 'heuristic/local-search' : `${method}/${backendName}`,
    elapsedMs: Math.round(performance.now() - started),
    stats: {
      bids: market.nBids,
      removedNonPositive: pre.removedNonPositive,
      removedDominated: pre.removedDominated,
      components: components.length,
      largestComponent: components.reduce((m, c) => Math.max(m, c.length), 0),
      modes,
      mipSolves: outcomes.reduce((s, o) => s + o.mipSolves, 0),
      mipMs: Math.round(outcomes.reduce((s, o) => s + o.mipMs, 0)),
      ...(canonical ? { canonical: { components: canonicalDone, failed: canonicalFailed } } : {}),
    },
  };
}

/** Combines per-component results into whole-instance progress (throttled, O(1) per event). */
class ProgressTracker {
  /** Greedy answers per component (computed only when progress is asked for; reused by the solve). */
  readonly greedy: { winners: number[]; gain: bigint }[];
  private readonly incumbent: bigint[];
  private readonly bound: bigint[];
  private incumbentSum: bigint;
  private boundSum: bigint;
  private doneCount = 0;
  private lastEmit = -Infinity;
  private move: string | undefined;

  constructor(
    market: Market,
    private readonly components: readonly Int32Array[],
    private readonly started: number,
    private readonly onProgress: ((p: SolveProgress) => void) | undefined,
  ) {
    // Before a component is decided, its greedy gain and cheap bound stand in (only when asked).
    this.greedy = onProgress === undefined ? [] : components.map((c) => bestGreedy(market, c));
    this.incumbent = this.greedy.map((g) => g.gain);
    this.bound = onProgress === undefined ? [] : components.map((c) => cheapGainBound(market, c));
    this.incumbentSum = this.incumbent.reduce((s, v) => s + v, market.reserveTotal);
    this.boundSum = this.bound.reduce((s, v) => s + v, market.reserveTotal);
    // The greedy allocation is the first incumbent: report it at once.
    this.emit(0n, 0n, true);
  }

  running(i: number, p: BackendProgress, unit: number): void {
    if (this.onProgress === undefined) return;
    const inc = p.primal === null ? 0n : maxBig(0n, BigInt(Math.round(p.primal * unit)) - (this.incumbent[i] as bigint));
    const bnd = p.dual === null ? 0n : BigInt(Math.round(p.dual * unit)) - (this.bound[i] as bigint);
    this.emit(inc, bnd < 0n ? bnd : 0n, false);
  }

  /** The local search (`move`) found a better packing for component i. */
  improved(i: number, gain: bigint, move?: string): void {
    if (this.onProgress === undefined || gain <= (this.incumbent[i] as bigint)) return;
    if (move !== undefined) this.move = move;
    this.incumbentSum += gain - (this.incumbent[i] as bigint);
    this.incumbent[i] = gain;
    this.emit(0n, 0n, true);
  }

  /** A proven bound on component i's gain (kept only when tighter). */
  bounded(i: number, gain: bigint): void {
    if (this.onProgress === undefined || gain >= (this.bound[i] as bigint)) return;
    this.boundSum += gain - (this.bound[i] as bigint);
    this.bound[i] = gain;
    this.emit(0n, 0n, true);
  }

  done(i: number, o: ComponentOutcome): void {
    this.doneCount++;
    if (this.onProgress === undefined) return;
    // Still better than what the search reported: the MIP (or the exact enumeration) found it.
    if (o.gain > (this.incumbent[i] as bigint) && o.mode !== 'greedy') this.move = 'mip';
    this.incumbentSum += o.gain - (this.incumbent[i] as bigint);
    this.boundSum += o.bound - (this.bound[i] as bigint);
    this.incumbent[i] = o.gain;
    this.bound[i] = o.bound;
    this.emit(0n, 0n, this.doneCount === this.components.length);
  }

  private emit(incDelta: bigint, boundDelta: bigint, force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < 200) return;
    this.lastEmit = now;
    const incumbent = this.incumbentSum + incDelta;
    this.onProgress?.({
      elapsedMs: now - this.started,
      incumbent,
      bound: maxBig(this.boundSum + boundDelta, incumbent),
      componentsDone: this.doneCount,
      components: this.components.length,
      ...(this.move === undefined ? {} : { move: this.move }),
    });
  }
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Relative gap (bound − value) / bound, 0 when proven, null without a bound. */
export function relativeGap(value: bigint, bound: bigint | null): number | null {
  if (bound === null) return null;
  if (bound <= value || bound === 0n) return 0;
  // Six significant digits of the ratio, computed exactly then converted.
  return Number(((bound - value) * 1_000_000n) / bound) / 1_000_000;
}

/** Bid indices of a previous allocation's winners that exist in this instance, in its order. */
function incumbentIndices(market: Market, allocation: Allocation): Int32Array {
  const out: number[] = [];
  for (const id of allocation.winners) {
    const b = market.bidIndex.get(id);
    if (b !== undefined) out.push(b);
  }
  return Int32Array.from(out);
}
