/**
 * Sweeps: the simulation over many markets (seeds) and a grid of parameters, run in parallel on
 * piscina worker threads, reported as means with 95 % confidence intervals per grid point.
 * Metrics are floats (ETH, shares): statistics, not money; every run's money is exact inside.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { BackendError, UsageError } from '../model/errors.js';
import { PAYMENT_RULES } from '../mechanism/payments.js';
import { PAYOUT_RULES } from '../mechanism/payouts.js';
import type { RunMetrics } from './run-metrics.js';
import type { SimulationOptions } from './types.js';
import { estimate, type Estimate } from './stats.js';
import { TICKET_MODELS } from './tickets.js';

/** Parameters a sweep can vary, and the simulation option each sets. */
export const SWEEP_AXES = {
  shill: 'shillMarkupBps',
  burn: 'burnBps',
  payout: 'payoutRule',
  payment: 'paymentRule',
  builders: 'bidders',
  refusers: 'refuserShareBps',
  cap: 'cap',
  tickets: 'ticketModel',
  shade: 'shadeBps',
  window: 'lotteryWindow',
} as const satisfies Record<string, keyof SimulationOptions>;

/** A sweep axis name. */
export type SweepAxis = keyof typeof SWEEP_AXES;

/** One axis and its values (numbers for numeric axes, names for rules and models). */
export interface SweepAxisValues {
  readonly axis: SweepAxis;
  readonly values: readonly (number | string)[];
}

/** A sweep: base options, seeds 1..`seeds`, and the grid (cartesian product of the axes). */
export interface SweepSpec {
  /** Options common to every run (`onProgress` is ignored). */
  readonly base: Omit<SimulationOptions, 'onProgress' | 'seed'>;
  /** Markets per grid point: seeds 1..seeds. */
  readonly seeds: number;
  readonly axes: readonly SweepAxisValues[];
}


/** One grid point: its axis values and each metric's estimate over the seeds. */
export interface SweepPoint {
  readonly params: Readonly<Record<string, number | string>>;
  readonly metrics: Readonly<Record<string, Estimate>>;
}

/** Result of {@link runSweep}. */
export interface SweepResult {
  readonly spec: SweepSpec;
  readonly runs: number;
  readonly points: readonly SweepPoint[];
  readonly elapsedMs: number;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Worker threads; 1 runs in this thread. Default 1. */
  readonly workers?: number;
  /** Called after each run: done, total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The grid points of a spec (cartesian product, first axis slowest), as option overrides. */
export function sweepGrid(spec: SweepSpec): Record<string, number | string>[] {
  checkSpec(spec);
  let grid: Record<string, number | string>[] = [{}];
  for (const { axis, values } of spec.axes) grid = grid.flatMap((p) => values.map((v) => ({ ...p, [axis]: v })));
  return grid;
}

/** Simulation options of one run: base, the point's axis values, the seed. */
export function runOptions(spec: SweepSpec, point: Readonly<Record<string, number | string>>, seed: number): SimulationOptions {
  const options: Record<string, unknown> = { ...spec.base, seed };
  for (const [axis, value] of Object.entries(point)) options[SWEEP_AXES[axis as SweepAxis]] = value;
  return options as SimulationOptions;
}

/**
 * Runs every grid point on seeds 1..`spec.seeds` (on `workers` threads) and estimates each
 * metric per point. Deterministic: the same spec gives the same numbers, whatever the workers.
 */
export async function runSweep(spec: SweepSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const grid = sweepGrid(spec);
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new UsageError(`workers must be a positive integer (received ${String(workers)})`);
  const jobs = grid.flatMap((point, p) => Array.from({ length: spec.seeds }, (_, s) => ({ p, options: runOptions(spec, point, s + 1) })));
  const results: RunMetrics[] = new Array<RunMetrics>(jobs.length);
  let done = 0;
  const finished = (i: number, m: RunMetrics): void => {
    results[i] = m;
    options.onProgress?.(++done, jobs.length);
  };
  if (workers === 1) {
    const { simulateRun } = await import('./sweep-worker.js');
    for (const [i, job] of jobs.entries()) finished(i, await simulateRun({ options: job.options }));
  } else {
    const pool = new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
    try {
      await Promise.all(jobs.map(async (job, i) => finished(i, await pool.run({ options: job.options }, { name: 'simulateRun' }) as RunMetrics)));
    } finally {
      await pool.destroy();
    }
  }
  const points = grid.map((params, p) => {
    const mine = results.filter((_, i) => jobs[i]?.p === p);
    const names = [...new Set(mine.flatMap((m) => Object.keys(m)))].sort();
    return { params, metrics: Object.fromEntries(names.map((n) => [n, estimate(mine.flatMap((m) => (m[n] === undefined ? [] : [m[n]])))])) };
  });
  return { spec, runs: jobs.length, points, elapsedMs: Math.round(performance.now() - started) };
}

function checkSpec(spec: SweepSpec): void {
  if (!Number.isSafeInteger(spec.seeds) || spec.seeds < 1) throw new UsageError(`sweep: seeds must be a positive integer, got ${String(spec.seeds)}`);
  const seen = new Set<string>();
  for (const { axis, values } of spec.axes) {
    if (!(axis in SWEEP_AXES)) throw new UsageError(`sweep: unknown axis ${JSON.stringify(axis)}: expected one of ${Object.keys(SWEEP_AXES).join(', ')}`);
    if (seen.has(axis)) throw new UsageError(`sweep: axis ${axis} given twice`);
    seen.add(axis);
    if (values.length === 0) throw new UsageError(`sweep: axis ${axis} has no values`);
    const names = axis === 'payout' ? PAYOUT_RULES : axis === 'payment' ? PAYMENT_RULES : axis === 'tickets' ? TICKET_MODELS : null;
    for (const v of values) {
      const min = axis === 'window' ? 1 : 0;
      if (names === null ? typeof v !== 'number' || !Number.isSafeInteger(v) || v < min : !(names as readonly unknown[]).includes(v)) {
        throw new UsageError(`sweep: ${axis} value ${JSON.stringify(v)} is not ${names === null ? (min === 1 ? 'a positive integer' : 'a non-negative integer') : `one of ${names.join(', ')}`}`);
      }
    }
  }
}

/** The compiled worker module: next to this file in dist/, or in dist/ when running from src/. */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/simulation/sweep-worker.js', here) : new URL('./sweep-worker.js', here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new BackendError(`sweep worker not found at ${path}: run npm run build`);
  return path;
}
