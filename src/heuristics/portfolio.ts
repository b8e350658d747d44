/**
 * Parallel portfolio of tabu and large-neighbourhood searches on piscina workers. Work proceeds
 * in epochs: in epoch e, worker w runs a tabu search (seed mix(seed, e, w), one of
 * {@link PORTFOLIO_SAMPLES}) or an LNS (lns.ts, {@link LNS_MOVES_PER_STEP} moves of budget per
 * step) from the current lineage's best packing; at the end of the epoch the best answer (exact
 * gain, then lowest worker index) becomes the lineage's best (and the overall best when higher).
 * A lineage's epoch 0 runs tabu, epoch 1 LNS, later epochs the kind with the higher recent gain
 * per unit of work (milliseconds; epochs under an iteration budget), every fourth epoch the other
 * one. Epochs grow from {@link EPOCH_FIRST} to {@link EPOCH_MAX} moves.
 *
 * Lineages: the main lineage (the first, later each from the population's best) ends when it
 * stops improving: {@link LINEAGE_STALL_EPOCHS} epochs without improving its own best under an
 * iteration budget, {@link LINEAGE_SHARE} of the run's time on the clock (both doubled for each
 * merge round that did not pay). A fresh lineage (from the initial packing, with new seeds) ends
 * after as many stalled epochs once it has improved, or at that age. The best of a lineage that
 * ends joins a population of distinct packings, which merges every pair not merged before by
 * exact crossover (merge.ts; a child of two independent lineages is often better than both).
 * Fresh and main lineages alternate, each with its own elites. There is no stop on a stall: the
 * run ends at the deadline, the budget, abort, or when the best reaches `bound`.
 *
 * Determinism: for a given seed, worker count and `iterations` budget the answer is identical
 * run to run. A different worker count runs different searches (other seeds per epoch), so the
 * answer may differ. Under a deadline alone, the answer is the best of the work done by then,
 * which depends on machine speed.
 *
 * Failures: a worker that throws, exits or overruns the deadline (hangs) is aborted and
 * replaced by piscina; its epoch answer is lost, the shared best never is.
 */
import { randomUUID } from 'node:crypto';
import { mix32 } from '../model/hash.js';
import { ConflictMarks, gainOf } from './greedy.js';
import { shareIndex, type PortfolioFault, type PortfolioTask, type PortfolioTaskResult, type SearchKind } from './portfolio-protocol.js';
import { runSearch } from './portfolio-search.js';
import { SubProblemBuilder } from './lns-packing.js';
import { MERGE_SUB_MIP_SEC, Population } from './merge.js';
import type { PackingIndex } from './tabu.js';
import { absorbPoolErrors } from './pool-errors.js';
import { workerFile } from './worker-file.js';

/** Candidates sampled per plateau move, by strategy (worker and epoch pick one in turn). */
export const PORTFOLIO_SAMPLES: readonly number[] = [24, 48, 32];

/** Plateau moves in the first epoch; each epoch doubles it up to {@link EPOCH_MAX}. */
export const EPOCH_FIRST = 2_000;
export const EPOCH_MAX = 64_000;

/**
 * Longest epoch (ms) of a clocked run (no `iterations`): epochs end in time for the best to be
 * shared, reported and handed over (`outside`), and for the other search kind to get turns,
 * however slow an LNS step has grown (sub-MIPs of hundreds of free bids take 10–300 ms).
 */
export const EPOCH_MAX_MS = 2_000;

/** Tabu-move budget that one enumeration-sized LNS step counts for (an LNS epoch of B moves has B / this steps of work, at least 8; a larger sub-problem counts for several, see `LnsOptions.maxSteps`). */
export const LNS_MOVES_PER_STEP = 50;

/** Best packings handed to LNS epochs for path relinking and restarts. */
export const PORTFOLIO_ELITES = 4;

/**
 * Epochs in a row without improving its own best after which a search lineage ends: its best
 * joins the population, is merged with the others (merge.ts), and a new lineage starts from
 * the initial packing with new seeds.
 */
export const LINEAGE_STALL_EPOCHS = 3;

/**
 * On the clock, the longest fresh lineage and the longest stretch of a main one without
 * improvement: this share of the portfolio's time, at least {@link LINEAGE_MIN_MS}. Fresh
 * lineages of 9 s at 60 s beat 6 s ones on bidder-interest 500 × 2,000 (BENCHMARKS §11,
 * "Lineages and exact crossover").
 */
export const LINEAGE_SHARE = 0.15;
export const LINEAGE_MIN_MS = 5_000;

/** Most doublings of a main lineage's stall when merges do not pay. */
export const MAX_UNPAID_DOUBLINGS = 4;

/** Most merges after one lineage (each pair is merged once; most take a few ms). */
export const MERGES_PER_LINEAGE = 64;

/** Longest merge round (ms) of a clocked run. */
export const MERGE_ROUND_MS = 3_000;

/** Fewest candidate bids for which `workers` > 1 starts a thread pool. */
export const POOL_MIN_BIDS = 500;

/** Extra time (ms) a worker gets past the deadline before it is aborted as hung. */
export const HANG_GRACE_MS = 250;

/** Options of {@link runPortfolio}. */
export interface PortfolioOptions {
  /** `performance.now()` time by which the run returns. Default: none (`iterations` required). */
  readonly deadline?: number;
  /** Plateau-move budget per worker (deterministic runs). Default: unbounded. */
  readonly iterations?: number;
  /** Default 0. */
  readonly seed?: number;
  /** Parallel searches per epoch, each on its own worker thread (see `inline`); 1 searches in this thread. Default 1. */
  readonly workers?: number;
  readonly signal?: AbortSignal;
  /** See `TabuOptions.pause`; searches in this thread only (pool workers are not paused). */
  readonly pause?: () => boolean;
  /** Stop after this many moves of budget per worker without improvement. Default: never. */
  readonly stallMoves?: number;
  /** A proven upper bound on the gain: the run stops once the best reaches it. */
  readonly bound?: bigint;
  /** LP (or Lagrangian) value per bid index, for the LNS `rins` neighbourhood. */
  readonly lp?: Float64Array;
  /**
   * Work done outside the portfolio (`auto`'s MIP side), taken at the start of every epoch: a
   * packing (re-checked; adopted when better, else kept as an elite) and LP values that guide
   * `rins` from then on.
   * Its timing depends on the machine, so deterministic callers leave it out.
   */
  readonly outside?: () => OutsideWork | null;
  /** Called with each new best exact gain, the search that found it (`tabu`, `lns:region`, …) and its winners (ascending). */
  readonly onImprove?: (gain: bigint, move: string, winners: readonly number[]) => void;
  /**
   * Run the workers' searches one after another in this thread instead of a pool (same answers
   * under an iteration budget). Default: a pool when `workers` > 1 and there are at least
   * {@link POOL_MIN_BIDS} candidates (below that, thread start-up costs more than it brings).
   */
  readonly inline?: boolean;
  /** Epochs without improvement that end a lineage. Default {@link LINEAGE_STALL_EPOCHS}. */
  readonly lineageStallEpochs?: number;
  /** Test hook: make pool worker `worker` fail in epoch `epoch`. */
  readonly faults?: readonly { readonly epoch: number; readonly worker: number; readonly kind: PortfolioFault }[];
}

/** What {@link PortfolioOptions.outside} hands over. */
export interface OutsideWork {
  readonly winners?: readonly number[];
  /** The move named in `onImprove` when `winners` is adopted. */
  readonly move?: string;
  readonly lp?: Float64Array;
}

/** Result of {@link runPortfolio}. */
export interface PortfolioResult {
  /** Best packing (ascending bid indices) and its exact gain; never worse than the start. */
  readonly winners: number[];
  readonly gain: bigint;
  readonly epochs: number;
  /** Worker tasks that failed (threw, exited, hung or returned an infeasible packing). */
  readonly failures: number;
  /** Search lineages ended (each one's best joined the population), and merges run. */
  readonly lineages: number;
  readonly merges: number;
}

/** Improves `initial` (a feasible packing of `candidates`) with the portfolio. */
export async function runPortfolio(market: PackingIndex, candidates: ArrayLike<number>, initial: readonly number[], options: PortfolioOptions): Promise<PortfolioResult> {
  if (options.deadline === undefined && options.iterations === undefined) throw new RangeError('runPortfolio needs a deadline or iterations');
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  const deadline = options.deadline ?? Infinity;
  const allowed = new Uint8Array(market.nBids);
  for (let i = 0; i < candidates.length; i++) allowed[candidates[i] as number] = 1;
  let best = [...initial].sort((a, b) => a - b);
  let bestGain = gainOf(market, best);
  const pooled = workers > 1 && options.inline !== true && candidates.length >= POOL_MIN_BIDS;
  // piscina is imported only when a pool is used (a one-thread portfolio never loads it).
  // Epochs past their time are aborted (their workers terminated): a stray answer must not end the process.
  const pool = pooled ? absorbPoolErrors(new (await import('piscina')).Piscina({ filename: workerFile(import.meta.url, 'heuristics/portfolio-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 1000 })) : null;
  const shared = pool === null ? null : shareIndex(randomUUID(), market, candidates);
  let epochs = 0;
  let failures = 0;
  let used = 0;
  let stall = 0;
  const stallMoves = options.stallMoves ?? Infinity;
  const deterministic = options.iterations !== undefined;
  // Recent gain per unit of work of each search kind (relative gain per ms, or per epoch).
  const rate: Record<SearchKind, number> = { tabu: 0, lns: 0 };
  // The current lineage's best packings (for LNS relinking and restarts; a new lineage starts
  // with none of the old one's, so that it finds a packing of its own).
  const elites: number[][] = [best];
  const toElites = (winners: number[], at: number): void => {
    elites.splice(at, 0, winners);
    elites.length = Math.min(elites.length, PORTFOLIO_ELITES);
  };
  let lp = options.lp;
  // Where the last LNS epoch's size adaptation ended (worker 0's): the next LNS epoch starts there.
  let lnsFree: number | undefined;
  // The current lineage: epochs search from its best, not from the global best, so that a new
  // lineage (after a stall) finds a packing of its own for the population to merge.
  const start0 = [...best];
  const start0Gain = bestGain;
  let lineage = best;
  let lineageGain = bestGain;
  let lineageEpoch = 0;
  let lineageStall = 0;
  let lineages = 0;
  let merges = 0;
  const startedAt = performance.now();
  let lineageStart = startedAt;
  const lineageMaxMs = deterministic ? Infinity : Math.max(LINEAGE_MIN_MS, (deadline - startedAt) * LINEAGE_SHARE);
  // A lineage's stalls count only once it has improved on its start.
  let lineageImproved = false;
  // Main lineages (the first, then each from the population's best) run until they stall;
  // fresh ones (from the initial packing) also end at lineageMaxMs. Each merge round that does
  // not improve the overall best doubles the stall a main lineage needs (restarts that do not
  // pay give the time back to the main search).
  let mainLineage = true;
  let unpaid = 0;
  let lineageImprovedAt = startedAt;
  // Under an iteration budget, lineages end on stalled epochs. On the clock, a main lineage ends
  // after lineageMaxMs (doubled per unpaid merge round) without improving, so that a search
  // still improving every few seconds keeps the time; a fresh one also on stalled epochs or age.
  const lineageEnds = (now: number): boolean => {
    const stallEpochs = (options.lineageStallEpochs ?? LINEAGE_STALL_EPOCHS) * (mainLineage ? 2 ** unpaid : 1);
    if (deterministic) return lineageStall >= stallEpochs;
    if (mainLineage) return now - lineageImprovedAt > lineageMaxMs * 2 ** unpaid;
    return lineageStall >= stallEpochs || now - lineageStart > lineageMaxMs;
  };
  const population = new Population(market, new SubProblemBuilder(market, candidates));
  // A re-checked packing of gain g becomes the best when higher.
  const take = (winners: readonly number[], g: bigint, move: string): boolean => {
    if (g <= bestGain) return false;
    best = [...winners].sort((x, y) => x - y);
    bestGain = g;
    stall = 0;
    options.onImprove?.(g, move, best);
    return true;
  };
  const adopt = (winners: readonly number[], move: string): boolean => isPacking(market, winners, allowed) && take(winners, gainOf(market, winners), move);
  try {
    for (let e = 0; ; e++) {
      const outside = options.outside?.() ?? null;
      if (outside?.lp !== undefined) lp = outside.lp;
      if (outside?.winners !== undefined && adopt(outside.winners, outside.move ?? 'outside') && bestGain > lineageGain) {
        lineage = best;
        lineageGain = bestGain;
        toElites(best, 0);
      } else if (outside?.winners !== undefined && isPacking(market, outside.winners, allowed)) {
        // Not better, but a packing from elsewhere: an elite for relinking and restarts.
        toElites([...outside.winners].sort((x, y) => x - y), 1);
      }
      const budget = Math.min(EPOCH_FIRST * 2 ** Math.min(lineageEpoch, 20), EPOCH_MAX, (options.iterations ?? Infinity) - used);
      const remainingMs = deadline - performance.now();
      const epochMs = deterministic ? remainingMs : Math.min(remainingMs, EPOCH_MAX_MS);
      if (budget <= 0 || remainingMs <= 0 || stall >= stallMoves || options.signal?.aborted === true) break;
      if (options.bound !== undefined && bestGain >= options.bound) break;
      const kind = epochKind(lineageEpoch, rate);
      const steps = kind === 'tabu' ? budget : Math.max(8, Math.ceil(budget / LNS_MOVES_PER_STEP));
      const tasks = Array.from({ length: workers }, (_, w) => ({ seed: mix32(options.seed ?? 0, e, w), sample: PORTFOLIO_SAMPLES[(e + w) % PORTFOLIO_SAMPLES.length] as number }));
      const t0 = performance.now();
      const before = lineageGain;
      let answers: ({ winners: number[]; move: string | null; free?: number } | null)[];
      const startFree = kind === 'lns' && lnsFree !== undefined ? { startFree: lnsFree } : {};
      if (pool === null || shared === null) {
        // In this thread, one search after the other, each from the epoch's shared best and with
        // an equal share of the remaining time: with an iteration budget, the same answers as a pool.
        answers = [];
        for (const [w, t] of tasks.entries()) {
          answers.push(await runSearch(market, candidates, lineage, {
            kind, seed: t.seed, sample: t.sample, budget: steps, deadline: t0 + (epochMs * (w + 1)) / workers, deterministic,
            ...(lp === undefined ? {} : { lp }), elites, ...startFree,
            ...(options.signal === undefined ? {} : { signal: options.signal }),
            ...(options.pause === undefined ? {} : { pause: options.pause }),
          }));
        }
      } else {
        const start = Int32Array.from(lineage);
        const eliteArrays = elites.map((x) => Int32Array.from(x));
        const settled = await Promise.allSettled(tasks.map((t, w) => {
          const fault = options.faults?.find((f) => f.epoch === e && f.worker === w)?.kind;
          const task: PortfolioTask = {
            index: shared, start, kind, seed: t.seed, sample: t.sample, iterations: steps, remainingMs: epochMs, deterministic, elites: eliteArrays,
            ...(lp === undefined ? {} : { lp }), ...(fault === undefined ? {} : { fault }), ...startFree,
          };
          const timeout = AbortSignal.timeout(Math.ceil(Math.min(epochMs, 2 ** 30)) + HANG_GRACE_MS);
          const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
          return pool.run(task, { signal }) as Promise<PortfolioTaskResult>;
        }));
        answers = settled.map((s) => (s.status === 'fulfilled' ? { winners: Array.from(s.value.winners), move: s.value.move, ...(s.value.free === undefined ? {} : { free: s.value.free }) } : null));
      }
      // Let other work of this thread (e.g. a MIP racing in a worker) report between epochs.
      if (pool === null) await new Promise<void>((resolve) => { setImmediate(resolve); });
      // Exact re-check of every answer, in worker order: ties keep the earlier one.
      stall += budget;
      for (const a of answers) {
        if (a === null || !isPacking(market, a.winners, allowed)) failures++;
        else {
          const g = gainOf(market, a.winners);
          take(a.winners, g, a.move ?? kind);
          if (g > lineageGain) {
            lineage = [...a.winners].sort((x, y) => x - y);
            lineageGain = g;
            toElites(lineage, 0);
          }
        }
      }
      if (kind === 'lns') lnsFree = answers.find((a) => a?.free !== undefined)?.free ?? lnsFree;
      const work = deterministic ? 1 : Math.max(1, performance.now() - t0);
      const gained = Number(lineageGain - before) / Math.max(1, Number(lineageGain));
      rate[kind] = 0.5 * rate[kind] + 0.5 * (gained / work);
      used += budget;
      epochs++;
      lineageEpoch++;
      if (lineageGain > before) lineageImproved = true;
      lineageStall = lineageGain > before || !lineageImproved ? 0 : lineageStall + 1;
      if (lineageGain > before) lineageImprovedAt = performance.now();
      if (lineageEnds(performance.now())) {
        const bestBefore = bestGain;
        // The lineage has stalled: merge its best with the population's, then start afresh.
        population.offer(lineage);
        if (population.length > 1) {
          const round = await population.mergeRound({
            deadline: deterministic ? deadline : Math.min(deadline, performance.now() + MERGE_ROUND_MS),
            maxMerges: MERGES_PER_LINEAGE,
            subMipSec: MERGE_SUB_MIP_SEC * (deterministic ? 5 : 1),
            ...(options.signal === undefined ? {} : { signal: options.signal }),
            ...(options.pause === undefined ? {} : { pause: options.pause }),
          });
          adopt(round.best.winners, 'merge');
          unpaid = bestGain > bestBefore ? 0 : Math.min(unpaid + 1, MAX_UNPAID_DOUBLINGS);
          merges += round.merges;
        }
        lineages++;
        lineageStart = performance.now();
        lineageImprovedAt = lineageStart;
        lineageImproved = false;
        // Fresh lineages (from the initial packing) alternate with main ones that improve the
        // population's best (often a child of the last merge), as a memetic search does.
        mainLineage = lineages % 2 === 0;
        const from = mainLineage ? population.top(1)[0] : undefined;
        lineage = from ?? start0;
        lineageGain = from === undefined ? start0Gain : gainOf(market, from);
        elites.length = 0;
        elites.push(lineage);
        lineageEpoch = 0;
        lineageStall = 0;
      }
    }
  } finally {
    await pool?.destroy();
  }
  return { winners: best, gain: bestGain, epochs, failures, lineages, merges };
}

/** Tabu in epoch 0, LNS in epoch 1; then the better recent rate, every fourth epoch the other kind. */
function epochKind(e: number, rate: Readonly<Record<SearchKind, number>>): SearchKind {
  if (e < 2) return e === 0 ? 'tabu' : 'lns';
  const better: SearchKind = rate.lns >= rate.tabu ? 'lns' : 'tabu';
  return e % 4 === 3 ? (better === 'lns' ? 'tabu' : 'lns') : better;
}

/** Whether `winners` are distinct allowed bids with disjoint bundles and exclusive groups. */
function isPacking(m: PackingIndex, winners: readonly number[], allowed: Uint8Array): boolean {
  const marks = new ConflictMarks(m);
  for (const b of winners) {
    // A bid named twice conflicts with itself (bundles are never empty).
    if (!Number.isInteger(b) || b < 0 || b >= m.nBids || allowed[b] !== 1 || marks.conflicts(b)) return false;
    marks.take(b);
  }
  return true;
}

