/** Piscina worker of a sweep: one simulation run, reduced to its metrics. */
import { simulate } from './run.js';
import { runMetrics, type RunMetrics } from './run-metrics.js';
import type { SimulationOptions } from './types.js';

/** Runs one simulation and returns its metrics (plain numbers, cheap to send back). */
export async function simulateRun(task: { readonly options: SimulationOptions }): Promise<RunMetrics> {
  return runMetrics(await simulate(task.options));
}
