/** Piscina worker: one HiGHS solve (MIP or LP relaxation) off the main thread (see threaded.ts). */
import { highsBackend } from './highs.js';
import { releaseSearch, wantMainThread, workerPacer } from './mip-governor.js';
import type { BackendResult, LpRelaxation, PackingProblem } from './problem.js';
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
  }
  | { readonly kind: 'relax'; readonly problem: PackingProblem; readonly deadlineAt: number };

/**
 * Runs one task with the HiGHS backend. `deadlineAt` is absolute (`performance.timeOrigin +
 * performance.now()` in ms), so the time this worker took to start counts against the limit.
 */
export default async function runTask(task: MipTask): Promise<BackendResult | LpRelaxation | null> {
  const timeLimitSec = Math.max(0.01, (task.deadlineAt - (performance.timeOrigin + performance.now())) / 1000);
  if (task.kind === 'relax') return (await highsBackend.relax?.(task.problem, { timeLimitSec })) ?? null;
  try {
    return await highsBackend.solve(task.problem, {
      timeLimitSec,
      ...(task.start === undefined ? {} : { start: task.start }),
      ...(task.tuning === undefined ? {} : { tuning: task.tuning }),
      ...(task.cutoff === undefined ? {} : { cutoff: task.cutoff }),
      ...(task.shared === undefined ? {} : { shared: task.shared }),
      ...(task.governor === undefined ? {} : { pace: workerPacer(task.governor.buffer, task.governor.searchThreads, task.governor.unit, task.deadlineAt) }),
    });
  } finally {
    // A solve that returns inside the MIP's own part of a period must not leave the search asleep.
    if (task.governor !== undefined) {
      releaseSearch(task.governor.buffer);
      wantMainThread(task.governor.buffer);
    }
  }
}
