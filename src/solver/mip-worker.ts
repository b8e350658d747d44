/** Piscina worker: one HiGHS (or bnb) solve, or a HiGHS LP relaxation, off the main thread (see threaded.ts, race.ts). */
import { highsBackend } from './highs.js';
import { releaseSearch, wantMainThread, workerPacer } from './mip-governor.js';
import type { BackendOptions, BackendResult, LpRelaxation, MipBackend, PackingProblem } from './problem.js';
import type { SharedIncumbentView } from './shared-incumbent.js';

/** A job for the worker: the problem and the options that cross threads (no callbacks). */
export type MipTask =
  | {
    readonly kind: 'solve'; readonly problem: PackingProblem; readonly deadlineAt: number; readonly start?: Uint8Array;
    readonly tuning?: Readonly<Record<string, string | number | boolean>>;
    readonly cutoff?: number;
    /** Packings the search offers while the MIP runs (see `shared-incumbent.ts`). */
    readonly shared?: SharedIncumbentView;
    /** Time sharing with the search (see `mip-governor.ts`). */
    readonly governor?: { readonly buffer: SharedArrayBuffer; readonly searchThreads: number; readonly unit: number };
    /** Which backend solves (default `highs`; `bnb` for the proof races of race.ts). */
    readonly backend?: 'highs' | 'bnb';
    /**
     * A shared Int32 flag: once non-zero the solve stops at its next progress check and returns
     * what it has (a race another strategy won, race.ts; an abort, threaded.ts). The worker survives.
     */
    readonly stop?: SharedArrayBuffer;
  }
  | { readonly kind: 'relax'; readonly problem: PackingProblem; readonly deadlineAt: number };

/**
 * Runs one task. `deadlineAt` is absolute (`performance.timeOrigin + performance.now()` in ms),
 * so the time this worker took to start counts against the limit.
 */
export default async function runTask(task: MipTask): Promise<BackendResult | LpRelaxation | null> {
  const timeLimitSec = Math.max(0.01, (task.deadlineAt - (performance.timeOrigin + performance.now())) / 1000);
  if (task.kind === 'relax') return (await highsBackend.relax?.(task.problem, { timeLimitSec })) ?? null;
  const backend: MipBackend = task.backend === 'bnb' ? (await import('./bnb.js')).bnbBackend : highsBackend;
  try {
    return await backend.solve(task.problem, {
      timeLimitSec,
      ...(task.start === undefined ? {} : { start: task.start }),
      ...(task.tuning === undefined ? {} : { tuning: task.tuning }),
      ...(task.cutoff === undefined ? {} : { cutoff: task.cutoff }),
      ...(task.shared === undefined ? {} : { shared: task.shared }),
      ...pacing(task),
    });
  } finally {
    // A solve that returns inside the MIP's own part of a period must not leave the search
    // asleep, and its result waits for the search's thread (see mip-governor.ts).
    if (task.governor !== undefined) {
      releaseSearch(task.governor.buffer);
      wantMainThread(task.governor.buffer);
    }
  }
}

/**
 * The stop flag's signal and the governor's pacer, together: a governed solve (threaded.ts) can
 * be stopped too, checked after each pacing step (which may have slept).
 */
function pacing(task: MipTask & { readonly kind: 'solve' }): Pick<BackendOptions, 'signal' | 'onProgress' | 'pace'> {
  const governed = task.governor === undefined ? undefined : workerPacer(task.governor.buffer, task.governor.searchThreads, task.governor.unit, task.deadlineAt);
  if (task.stop === undefined) return governed === undefined ? {} : { pace: governed };
  const stop = stopping(task.stop);
  if (governed === undefined) return stop;
  const poll = stop.pace;
  return { ...stop, pace: (primal, dual) => { governed(primal, dual); poll?.(primal, dual); } };
}

/**
 * A signal raised from the shared flag, polled where the backends report progress (bnb: every
 * ~250 ms) and at each of HiGHS's callbacks (`pace`, unthrottled; after the governor's, see {@link pacing}).
 */
function stopping(buffer: SharedArrayBuffer): Pick<BackendOptions, 'signal' | 'onProgress' | 'pace'> {
  const flag = new Int32Array(buffer);
  const controller = new AbortController();
  const poll = (): void => { if (Atomics.load(flag, 0) !== 0 && !controller.signal.aborted) controller.abort(); };
  poll();
  return { signal: controller.signal, onProgress: poll, pace: poll };
}
