/** The node's solver thread: runs `solve(auto)` on the jobs the market sends, one at a time. */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { createInstance } from '../model/instance.js';
import { solve } from '../solver/solve.js';
import type { SolveAnswer, SolveJob } from './solver-protocol.js';

/** Nice value of the solver thread (Linux: per thread). */
export const SOLVER_NICE = 10;

/** Solves one job; never throws (errors become answers). */
export async function runJob(job: SolveJob): Promise<SolveAnswer> {
  try {
    const instance = createInstance(job.instance);
    const r = await solve(instance, { method: 'auto', timeLimit: job.timeLimitSec, incumbent: { winners: job.incumbent } });
    return { id: job.id, ok: true, winners: r.winners, value: r.value.toString(), bound: r.bound === null ? null : r.bound.toString(), status: r.status, elapsedMs: r.elapsedMs };
  } catch (error) {
    return { id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (port !== null) {
  // Linux nice values are per thread: this lowers only the solver thread, so on a machine with
  // few cores the API thread (signature checks, commits) wins the CPU over the solver.
  try {
    setPriority(0, SOLVER_NICE);
  } catch {
    // not permitted here: run at normal priority
  }
  port.on('message', (job: SolveJob) => {
    void runJob(job).then((answer) => port.postMessage(answer));
  });
}
