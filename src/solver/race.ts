/**
 * Proof races (issue 13 item 3): a MIP backend whose every solve runs several strategies at
 * once on piscina worker threads (HiGHS, our `bnb`, HiGHS with other random seeds, bnb diving)
 * and returns the first proof, stopping the others. Which strategy wins depends on the
 * machine, so the witness it returns does too: the caller makes the answer canonical
 * (canonical.ts). The LP relaxation stays with the base backend, in this thread.
 */
import type { Piscina } from 'piscina';
import { absorbPoolErrors } from '../heuristics/pool-errors.js';
import { workerFile } from '../heuristics/worker-file.js';
import type { MipTask } from './mip-worker.js';
import type { BackendOptions, BackendResult, MipBackend, PackingProblem } from './problem.js';

/** One way to prove a packing problem: a backend and the options it gets on top of the caller's. */
export interface RaceStrategy {
  readonly name: string;
  readonly backend: 'highs' | 'bnb';
  readonly tuning: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Counters of the races run in this process (tests and benchmarks): races, strategies started,
 * the wins of each strategy, solves where no strategy proved within the time, and the longest
 * time (ms) a losing strategy took to stop after the flag was raised.
 */
export const raceCounters: { races: number; started: number; unproven: number; wins: Record<string, number>; maxStopMs: number } = { races: 0, started: 0, unproven: 0, wins: {}, maxStopMs: 0 };

/** bnb variants a race adds after the plain backends (measured alternatives of BENCHMARKS.md §13.1). */
const BNB_VARIANTS: readonly Record<string, string | number | boolean>[] = [{ bnb_branching: 'dive' }, { bnb_split_every: 0 }, { bnb_split_every: 8 }, { bnb_reduced_cost: false }];

/**
 * The strategies of an n-way race on `base` (`highs` or `bnb`): the base backend first, then
 * the other one, then variants alternating: HiGHS with `random_seed` 1, 2, … and the bnb
 * variants ({@link BNB_VARIANTS}; HiGHS seeds only once those are used up).
 */
export function raceStrategies(base: 'highs' | 'bnb', n: number): RaceStrategy[] {
  const other = base === 'highs' ? 'bnb' : 'highs';
  const out: RaceStrategy[] = [strategy(base, {}), strategy(other, {})];
  let seed = 1;
  let variant = 0;
  while (out.length < n) {
    const bnbTurn = (out.length % 2 === 0) === (base === 'bnb');
    if (bnbTurn && variant < BNB_VARIANTS.length) out.push(strategy('bnb', BNB_VARIANTS[variant++] as Record<string, string | number | boolean>));
    else out.push(strategy('highs', { random_seed: seed++ }));
  }
  return out.slice(0, n);
}

function strategy(backend: 'highs' | 'bnb', tuning: Record<string, string | number | boolean>): RaceStrategy {
  const extra = Object.entries(tuning).map(([k, v]) => `${k}=${String(v)}`).join(',');
  return { name: extra === '' ? backend : `${backend}:${extra}`, backend, tuning };
}

/** A racing backend and how to release its threads. */
export interface RacingBackend {
  readonly backend: MipBackend;
  /** Terminates the worker threads (call once the solve is over). */
  close(): Promise<void>;
}

/**
 * Wraps `base` (`highs` or `bnb`; any other backend is returned as it is) so that each solve
 * races `workers` strategies ({@link raceStrategies}). Tuning keys starting `bnb_` go to bnb
 * strategies, the others to HiGHS ones. The answer: the first proof (`optimal` or
 * `infeasible`); without one by the time limit, the best packing any strategy found and the
 * smallest dual bound any reported (each is a valid bound).
 */
export function racingBackend(base: MipBackend, workers: number): RacingBackend {
  if ((base.name !== 'highs' && base.name !== 'bnb') || workers < 2) return { backend: base, close: () => Promise.resolve() };
  const strategies = raceStrategies(base.name, workers);
  let pool: Promise<Piscina> | null = null;
  // Strategies still running (losers stopping), and their stop flags: closing waits for them
  // (destroying the pool under a task in flight crashes piscina).
  const inflight = new Set<Promise<unknown>>();
  const flags = new Set<Int32Array>();
  const getPool = (): Promise<Piscina> => (pool ??= import('piscina').then(({ Piscina }) => absorbPoolErrors(new Piscina({
    filename: workerFile(import.meta.url, 'solver/mip-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 60_000,
  }))));
  const backend: MipBackend = {
    name: base.name,
    ...(base.maxColumns === undefined ? {} : { maxColumns: base.maxColumns }),
    ...(base.objectiveBits === undefined ? {} : { objectiveBits: base.objectiveBits }),
    // bnb ignores a cutoff and returns a packing below it, which the caller's comparison handles.
    ...(base.cutoff === undefined ? {} : { cutoff: base.cutoff }),
    async solve(problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
      return race(await getPool(), strategies, problem, options, inflight, flags);
    },
    ...(base.relax === undefined ? {} : { relax: base.relax.bind(base) }),
  };
  return {
    backend,
    async close() {
      const p = pool;
      pool = null;
      for (const f of flags) Atomics.store(f, 0, 1);
      await Promise.all([...inflight]);
      await (await p)?.destroy();
    },
  };
}

/** Runs one race (see {@link racingBackend}). */
async function race(pool: Piscina, strategies: readonly RaceStrategy[], problem: PackingProblem, options: BackendOptions, inflight: Set<Promise<unknown>>, flags: Set<Int32Array>): Promise<BackendResult> {
  const started = performance.now();
  const deadlineAt = performance.timeOrigin + started + options.timeLimitSec * 1000;
  const stop = new SharedArrayBuffer(4);
  const plain: PackingProblem = { nCols: problem.nCols, weight: problem.weight, rowStart: problem.rowStart, rowItems: problem.rowItems, extraRows: problem.extraRows };
  raceCounters.races++;
  // Losers and aborted solves stop cooperatively through the shared flag (the worker's next
  // progress check, ~250 ms): terminating a piscina worker whose answer is in flight crashes
  // piscina ("Unexpected message from Worker"), and a kept worker keeps its compiled wasm.
  const flag = new Int32Array(stop);
  flags.add(flag);
  const raise = (): void => { Atomics.store(flag, 0, 1); };
  if (options.signal?.aborted === true) raise();
  options.signal?.addEventListener('abort', raise, { once: true });
  const runs = strategies.map((s, i) => {
    raceCounters.started++;
    const tuning = { ...ownTuning(options.tuning, s.backend), ...s.tuning };
    const task: MipTask = {
      kind: 'solve', backend: s.backend, problem: plain, deadlineAt, stop,
      ...(options.start === undefined ? {} : { start: options.start }),
      ...(Object.keys(tuning).length === 0 ? {} : { tuning }),
      ...(options.cutoff === undefined ? {} : { cutoff: options.cutoff }),
    };
    const run = (pool.run(task) as Promise<BackendResult>).then(
      (r) => ({ index: i, result: r }),
      () => ({ index: i, result: null }),
    );
    inflight.add(run);
    void run.then(() => inflight.delete(run));
    return run;
  });
  void Promise.all(runs).then(() => flags.delete(flag));
  const results: (BackendResult | null)[] = strategies.map(() => null);
  const pending = new Set(runs.map((_, i) => i));
  let winner: number | null = null;
  while (pending.size > 0 && winner === null) {
    const { index, result } = await Promise.race([...pending].map((i) => runs[i] as Promise<{ index: number; result: BackendResult | null }>));
    pending.delete(index);
    results[index] = result;
    if (result !== null && (result.status === 'optimal' || result.status === 'infeasible')) winner = index;
  }
  options.signal?.removeEventListener('abort', raise);
  if (pending.size > 0) {
    raise();
    const raised = performance.now();
    void Promise.all([...pending].map((i) => runs[i])).then(() => { raceCounters.maxStopMs = Math.max(raceCounters.maxStopMs, performance.now() - raised); });
  }
  const elapsedMs = performance.now() - started;
  if (winner !== null) {
    const name = (strategies[winner] as RaceStrategy).name;
    raceCounters.wins[name] = (raceCounters.wins[name] ?? 0) + 1;
    return { ...(results[winner] as BackendResult), elapsedMs };
  }
  raceCounters.unproven++;
  return bestUnproven(problem, results, elapsedMs);
}

/** The caller's tuning keys meant for one backend (`bnb_*` for bnb, the rest for HiGHS). */
function ownTuning(tuning: BackendOptions['tuning'], backend: 'highs' | 'bnb'): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(tuning ?? {})) if (k.startsWith('bnb_') === (backend === 'bnb')) out[k] = v;
  return out;
}

/** Without a proof: the packing of highest weight and the smallest dual bound of all answers. */
function bestUnproven(problem: PackingProblem, results: readonly (BackendResult | null)[], elapsedMs: number): BackendResult {
  let x: Uint8Array | null = null;
  let best = -Infinity;
  let dualBound: number | null = null;
  for (const r of results) {
    if (r === null) continue;
    if (r.dualBound !== null && (dualBound === null || r.dualBound < dualBound)) dualBound = r.dualBound;
    if (r.x === null) continue;
    let w = 0;
    r.x.forEach((v, j) => { if (v === 1) w += problem.weight[j] as number; });
    if (w > best) {
      best = w;
      x = r.x;
    }
  }
  return { status: x === null ? 'no-solution' : 'feasible', x, dualBound, elapsedMs };
}
