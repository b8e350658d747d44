/**
 * A MIP backend whose solves run on a worker thread, so that the main thread can search at the
 * same time (`auto` races its local search against the MIP). HiGHS (wasm) blocks the thread it
 * runs on; glpk.js and javascript-lp-solver already run in their own workers and are used as
 * they are. Progress callbacks do not cross threads; aborting terminates the worker. With a
 * {@link MipGovernor}, the MIP shares the cores with the search (see `mip-governor.ts`).
 */
import type { Piscina } from 'piscina';
import { workerFile } from '../heuristics/worker-file.js';
import type { MipGovernor } from './mip-governor.js';
import type { MipTask } from './mip-worker.js';
import type { BackendOptions, BackendResult, LpRelaxation, MipBackend, PackingProblem } from './problem.js';

/** A backend off the main thread, and how to release its thread. */
export interface ThreadedBackend {
  readonly backend: MipBackend;
  close(): Promise<void>;
}

/** Wraps `backend` (see the module comment). */
export function threadedBackend(backend: MipBackend, governor?: MipGovernor): ThreadedBackend {
  if (backend.name !== 'highs') return { backend, close: () => Promise.resolve() };
  // The pool (and piscina itself) comes at the first solve: wrapping a backend costs nothing.
  let pool: Promise<Piscina> | null = null;
  const run = async <T>(task: MipTask, signal?: AbortSignal): Promise<T> => {
    pool ??= import('piscina').then(({ Piscina }) => new Piscina({ filename: workerFile(import.meta.url, 'solver/mip-worker.js'), minThreads: 1, maxThreads: 1, idleTimeout: 1000 }));
    return (await pool).run(task, signal === undefined ? {} : { signal }) as Promise<T>;
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
      try {
        return await run<BackendResult>(task, options.signal);
      } catch (error) {
        // Aborted (the worker is terminated): no answer from this solve.
        if (options.signal?.aborted === true) return { status: 'no-solution', x: null, dualBound: null, elapsedMs: performance.now() - started };
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
