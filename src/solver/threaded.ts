/**
 * A MIP backend whose solves run on a worker thread, so that the main thread can search at the
 * same time (`auto` races its local search against the MIP). HiGHS (wasm) blocks the thread it
 * runs on; glpk.js and javascript-lp-solver already run in their own workers and are used as
 * they are. Progress callbacks do not cross threads. With a {@link MipGovernor}, the MIP shares
 * the cores with the search (see `mip-governor.ts`).
 *
 * Aborting stops the solve cooperatively: a shared flag that HiGHS's callbacks read on the
 * worker (`mip-worker.ts`), after which the solve returns the best packing it has, so nothing
 * the MIP found is lost. Only a solve that has not stopped {@link ABORT_GRACE_MS} later gets
 * its worker terminated. (Terminating at once, through piscina's own `signal`, lost that
 * packing and could crash the process: a worker whose answer was already queued made piscina
 * emit "Unexpected message from Worker" with no listener; see `pool-errors.ts`.)
 */
import type { Piscina } from 'piscina';
import { absorbPoolErrors } from '../heuristics/pool-errors.js';
import { workerFile } from '../heuristics/worker-file.js';
import type { MipGovernor } from './mip-governor.js';
import type { MipTask } from './mip-worker.js';
import type { BackendOptions, BackendResult, LpRelaxation, MipBackend, PackingProblem } from './problem.js';

/**
 * After an abort, how long (ms) a solve on the worker has to stop at its next callback and
 * return before its worker is terminated (HiGHS checks every few ms; a governed MIP may sleep
 * up to its period, `GOVERNOR_PERIOD_MS`).
 */
export const ABORT_GRACE_MS = 2_000;

/** Aborted solves on worker threads in this process: how many, and how many had to be terminated. */
export const threadedCounters = { aborted: 0, terminated: 0 };

/** A backend off the main thread, and how to release its thread. */
export interface ThreadedBackend {
  readonly backend: MipBackend;
  close(): Promise<void>;
}

/** Options of {@link threadedBackend}. */
export interface ThreadedOptions {
  /** Grace (ms) an aborted solve gets before its worker is terminated (0: at once, as piscina's own abort). Default {@link ABORT_GRACE_MS}. */
  readonly abortGraceMs?: number;
}

/** Wraps `backend` (see the module comment). */
export function threadedBackend(backend: MipBackend, governor?: MipGovernor, options: ThreadedOptions = {}): ThreadedBackend {
  const graceMs = options.abortGraceMs ?? ABORT_GRACE_MS;
  if (backend.name !== 'highs') return { backend, close: () => Promise.resolve() };
  // The pool (and piscina itself) comes at the first solve: wrapping a backend costs nothing.
  let pool: Promise<Piscina> | null = null;
  const getPool = (): Promise<Piscina> => (pool ??= import('piscina').then(({ Piscina }) => absorbPoolErrors(new Piscina({
    filename: workerFile(import.meta.url, 'solver/mip-worker.js'), minThreads: 1, maxThreads: 1, idleTimeout: 1000,
  }))));
  const run = async <T>(task: MipTask): Promise<T> => (await getPool()).run(task) as Promise<T>;
  // A solve the caller can abort: the flag first, the worker's termination only after the grace period.
  const stoppable = async (task: MipTask & { readonly kind: 'solve' }, signal: AbortSignal): Promise<BackendResult> => {
    const stop = new SharedArrayBuffer(4);
    const flag = new Int32Array(stop);
    const current = getPool();
    let grace: ReturnType<typeof setTimeout> | undefined;
    const raise = (): void => {
      threadedCounters.aborted++;
      Atomics.store(flag, 0, 1);
      // Last resort: the pool goes (its in-flight task rejects); the next solve makes a new one.
      const terminate = (): void => {
        threadedCounters.terminated++;
        if (pool === current) pool = null;
        void current.then((p) => p.destroy()).catch(() => undefined);
      };
      if (graceMs <= 0) terminate();
      else grace = setTimeout(terminate, graceMs);
    };
    signal.addEventListener('abort', raise, { once: true });
    try {
      return await ((await current).run({ ...task, stop }) as Promise<BackendResult>);
    } finally {
      signal.removeEventListener('abort', raise);
      if (grace !== undefined) clearTimeout(grace);
    }
  };
  const threaded: MipBackend = {
    name: backend.name,
    ...(backend.maxColumns === undefined ? {} : { maxColumns: backend.maxColumns }),
    ...(backend.objectiveBits === undefined ? {} : { objectiveBits: backend.objectiveBits }),
    ...(backend.cutoff === undefined ? {} : { cutoff: backend.cutoff }),
    async solve(problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
      const started = performance.now();
      const task: MipTask = {
        kind: 'solve', problem: plain(problem), deadlineAt: deadlineAt(options.timeLimitSec),
        ...(options.start === undefined ? {} : { start: options.start }),
        ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
        ...(options.cutoff === undefined ? {} : { cutoff: options.cutoff }),
        ...(options.shared === undefined ? {} : { shared: options.shared }),
        ...(governor === undefined ? {} : { governor: { buffer: governor.buffer, searchThreads: governor.searchThreads, unit: options.objectiveUnit ?? 1 } }),
      };
      const signal = options.signal;
      const none = (): BackendResult => ({ status: 'no-solution', x: null, dualBound: null, elapsedMs: performance.now() - started });
      if (signal === undefined) return run<BackendResult>(task);
      // Aborted before it starts: no solve at all.
      if (signal.aborted) return none();
      try {
        // Stopped by the abort, the answer is the solve's best so far (never `optimal` unless proven).
        return await stoppable(task, signal);
      } catch (error) {
        // Terminated after the grace period: no answer from this solve.
        if (signal.aborted) return none();
        throw error;
      }
    },
    async relax(problem: PackingProblem, options: Pick<BackendOptions, 'timeLimitSec'>): Promise<LpRelaxation | null> {
      return run<LpRelaxation | null>({ kind: 'relax', problem: plain(problem), deadlineAt: deadlineAt(options.timeLimitSec) });
    },
  };
  return {
    backend: threaded,
    async close() {
      const p = pool;
      pool = null;
      await (await p)?.destroy();
    },
  };
}

/** Absolute time (ms since the epoch of `performance.timeOrigin`) a limit from now ends. */
function deadlineAt(timeLimitSec: number): number {
  return performance.timeOrigin + performance.now() + timeLimitSec * 1000;
}

/** The problem's own fields only (what structured clone copies to the worker). */
function plain(p: PackingProblem): PackingProblem {
  return { nCols: p.nCols, weight: p.weight, rowStart: p.rowStart, rowItems: p.rowItems, extraRows: p.extraRows };
}
