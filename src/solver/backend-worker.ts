/**
 * Worker-thread plumbing shared by the glpk.js and javascript-lp-solver backends. Both solvers
 * run synchronously (blocking the event loop) and may overshoot their own time limits, so each
 * solve runs in a `worker_threads` Worker that is terminated at a hard wall-clock deadline.
 *
 * The worker is an `eval` script in plain JavaScript, so it runs unchanged from the compiled
 * `dist/` and from the TypeScript sources under vitest (no `.ts` file is ever loaded by the
 * worker). The solver package is resolved here, from this module's location, and the worker
 * imports it by absolute URL. One idle worker is kept (unref'd) so repeated solves skip the
 * spawn and the wasm compilation; a worker that timed out, was aborted or failed is discarded.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BackendError } from '../model/errors.js';
import type { BackendOptions, BackendResult, PackingProblem } from './problem.js';

/** Solver jobs the worker understands. */
export type WorkerJobKind = 'glpk' | 'jslp';

/** Outcome of a worker job: finished (with the solver's own solve time) or stopped by us. */
type WorkerOutcome<T> =
  | { readonly kind: 'done'; readonly output: T; readonly solveMs: number }
  | { readonly kind: 'stopped'; readonly reason: 'timeout' | 'abort' };

/**
 * Runs in the worker (CommonJS eval context). `glpk`: `input = { url, lp, options }`, calls
 * `(await GLPK()).solve(lp, options)`; `jslp`: `input = { url, model }`, calls `Solve(model)`
 * and returns `[result, proofOk]`. Loaded modules and the GLPK instance are cached.
 *
 * javascript-lp-solver's primal simplex gives up on degenerate vertices (after ~500 stalled
 * pivots it switches to Bland's rule, then accepts the current vertex as optimal even with an
 * improving column left), which on packing LPs prunes the optimum: a 150-column problem came
 * back "optimal" at 19936 while HiGHS proves 21177. The guard below wraps `Tableau#phase2`:
 * while an improving column remains it resumes the simplex (a few times), and if one still
 * remains, or the internals are not as expected, the run is marked unproven (`proofOk` false).
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const modules = new Map();
const load = (url) => { if (!modules.has(url)) modules.set(url, import(url)); return modules.get(url); };
const glpks = new Map();
const PHASE2_RESUMES = 20;
let proofOk = true;
const improvable = (t) => {
  if (t.feasible !== true || t.bounded === false) return false;
  const m = t.matrix;
  for (let c = 1; c < t.width; c++) {
    const free = t.unrestrictedVars !== undefined && t.unrestrictedVars[t.varIndexByCol[c]] === true;
    if (m[c] > t.precision || (free && m[c] < -t.precision)) return true;
  }
  return false;
};
const guarded = new WeakSet();
const guard = (solver) => {
  const proto = solver.Tableau !== undefined ? solver.Tableau.prototype : undefined;
  if (proto === undefined || typeof proto.phase2 !== 'function' || typeof proto.dualSimplex !== 'function') return false;
  if (guarded.has(proto)) return true;
  guarded.add(proto);
  const phase2 = proto.phase2;
  proto.phase2 = function () {
    let iterations = phase2.call(this);
    if (!(this.matrix instanceof Float64Array) || typeof this.width !== 'number') proofOk = false;
    for (let k = 0; k < PHASE2_RESUMES && proofOk && improvable(this); k++) iterations += phase2.call(this);
    if (improvable(this)) proofOk = false;
    return iterations;
  };
  const dualSimplex = proto.dualSimplex;
  proto.dualSimplex = function () {
    const iterations = dualSimplex.call(this);
    if (iterations >= 10000) proofOk = false; // its iteration cap reports a false "infeasible"
    return iterations;
  };
  return true;
};
const jobs = {
  async glpk({ url, lp, options }) {
    if (!glpks.has(url)) glpks.set(url, load(url).then((m) => m.default()));
    const glpk = await glpks.get(url);
    const t = performance.now();
    return [glpk.solve(lp, options), performance.now() - t];
  },
  async jslp({ url, model }) {
    const m = await load(url);
    const solver = m.default !== undefined ? m.default : m;
    proofOk = guard(solver);
    const t = performance.now();
    const result = solver.Solve(model);
    const messages = solver.lastSolvedModel != null ? solver.lastSolvedModel.messages : undefined;
    if (Array.isArray(messages) && messages.length > 0) proofOk = false; // cycle exits
    return [[result, proofOk], performance.now() - t];
  },
};
parentPort.on('message', async ({ kind, input }) => {
  try {
    const [output, solveMs] = await jobs[kind](input);
    parentPort.postMessage({ ok: true, output, solveMs });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
`;

type Reply = { readonly ok: true; readonly output: unknown; readonly solveMs: number } | { readonly ok: false; readonly error: string };

/** Idle workers kept for reuse (at most {@link MAX_IDLE}). */
const idle: Worker[] = [];
const MAX_IDLE = 1;

function spawn(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  // A failure while idle just drops the worker (no unhandled 'error' event).
  worker.on('error', () => { drop(worker); });
  worker.on('exit', () => { drop(worker); });
  return worker;
}

function drop(worker: Worker): void {
  const i = idle.indexOf(worker);
  if (i >= 0) idle.splice(i, 1);
}

/** Terminates the idle workers (they are unref'd, so this is only needed for tidy shutdowns). */
export async function terminateBackendWorkers(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(all.map((w) => w.terminate()));
}

/** Wall-clock allowance past the time limit before the worker is killed. */
export function hardLimitMs(timeLimitSec: number): number {
  const ms = Math.max(0, timeLimitSec) * 1000;
  return ms + Math.min(2000, 200 + 0.02 * ms);
}

/**
 * Runs one solver job in a worker. Resolves `stopped` when `hardMs` elapses or `signal`
 * aborts (the worker is terminated); rejects with {@link BackendError} if the worker fails.
 */
function runWorkerJob<T>(kind: WorkerJobKind, input: unknown, hardMs: number, signal?: AbortSignal): Promise<WorkerOutcome<T>> {
  if (signal?.aborted === true) return Promise.resolve({ kind: 'stopped', reason: 'abort' });
  return new Promise((resolve, reject) => {
    const worker = idle.pop() ?? spawn();
    worker.ref();
    const finish = (keep: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keep && idle.length < MAX_IDLE) {
        worker.unref();
        idle.push(worker);
      } else {
        void worker.terminate();
      }
    };
    const onMessage = (reply: Reply): void => {
      finish(reply.ok);
      if (reply.ok) resolve({ kind: 'done', output: reply.output as T, solveMs: reply.solveMs });
      else reject(new BackendError(`${kind} backend failed: ${reply.error}`));
    };
    const onError = (cause: Error): void => {
      finish(false);
      reject(new BackendError(`${kind} worker crashed: ${cause.message}`, {}, { cause }));
    };
    const onExit = (code: number): void => {
      finish(false);
      reject(new BackendError(`${kind} worker exited unexpectedly (code ${code})`));
    };
    const onAbort = (): void => {
      finish(false);
      resolve({ kind: 'stopped', reason: 'abort' });
    };
    const timer = setTimeout(() => {
      finish(false);
      resolve({ kind: 'stopped', reason: 'timeout' });
    }, Math.max(0, hardMs));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage({ kind, input });
  });
}

/**
 * File URL of an installed package entry, resolved from this module (as `import()` would from
 * here). Throws {@link BackendError} naming the package when it is not installed.
 */
export function resolvePackage(specifier: string, hint: string): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve(specifier)).href;
  } catch (cause) {
    throw new BackendError(`${specifier} is not installed: ${hint}`, { received: specifier }, { cause });
  }
}

/** A solver's answer without timing; `null` means "no answer" (the caller's start is used). */
export type SolverAnswer = Omit<BackendResult, 'elapsedMs'> | null;

/** How a backend builds its worker job and reads the worker's output. */
export interface WorkerBackend<T> {
  readonly kind: WorkerJobKind;
  /** The job input (plain data) for a problem whose rows are `rows`. */
  input(rows: readonly SolverRow[]): unknown;
  /** Maps the solver's output (and its own solve time) to an answer. */
  interpret(output: T, solveMs: number): SolverAnswer;
}

/**
 * Runs a backend's job in a worker with a hard deadline. Crossed row bounds are answered
 * `infeasible` without a solve; a stopped run or a `null` answer falls back to the caller's
 * start (rounded) as `feasible`, else `no-solution`.
 */
export async function solveInWorker<T>(backend: WorkerBackend<T>, problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
  const started = performance.now();
  const rows = problemRows(problem);
  const answer = crossedBounds(rows)
    ? { status: 'infeasible' as const, x: null, dualBound: null }
    : await runWorkerJob<T>(backend.kind, backend.input(rows), hardLimitMs(options.timeLimitSec), options.signal)
      .then((run) => (run.kind === 'done' ? backend.interpret(run.output, run.solveMs) : null));
  if (answer !== null) return { ...answer, elapsedMs: performance.now() - started };
  const x = options.start === undefined ? null : Uint8Array.from(options.start, (v) => (v > 0.5 ? 1 : 0));
  return { status: x === null ? 'no-solution' : 'feasible', x, dualBound: null, elapsedMs: performance.now() - started };
}

/** One constraint row with duplicate columns merged (solvers reject repeated indices). */
export interface SolverRow {
  readonly cols: readonly number[];
  readonly coefs: readonly number[];
  readonly lower: number;
  readonly upper: number;
}

/** All rows of a problem: packing rows (`Σ x ≤ 1`), then the extra rows. */
export function problemRows(p: PackingProblem): SolverRow[] {
  const rows: SolverRow[] = [];
  for (let i = 0; i + 1 < p.rowStart.length; i++) {
    const cols = Array.from(p.rowItems.subarray(p.rowStart[i], p.rowStart[i + 1]));
    rows.push(merged(cols, cols.map(() => 1), -Infinity, 1));
  }
  for (const r of p.extraRows) rows.push(merged(Array.from(r.indices), Array.from(r.values), r.lower, r.upper));
  return rows;
}

/** True when some row's bounds cross (`lower > upper`): no solver needs to run. */
function crossedBounds(rows: readonly SolverRow[]): boolean {
  return rows.some((r) => r.lower > r.upper);
}

function merged(cols: number[], coefs: number[], lower: number, upper: number): SolverRow {
  const sum = new Map<number, number>();
  cols.forEach((c, k) => sum.set(c, (sum.get(c) ?? 0) + (coefs[k] as number)));
  return { cols: [...sum.keys()], coefs: [...sum.values()], lower, upper };
}

/** Rounds a solver's variable values (`name(j)` → value, missing = 0) to a 0/1 vector. */
export function roundColumns(nCols: number, value: (j: number) => number | undefined): Uint8Array {
  return Uint8Array.from({ length: nCols }, (_, j) => ((value(j) ?? 0) > 0.5 ? 1 : 0));
}
