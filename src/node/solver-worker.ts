/** The node's solver thread: runs `solve(auto)` on the jobs the market sends, one at a time. */
import { parentPort } from 'node:worker_threads';
import { createInstance } from '../model/instance.js';
import { solve } from '../solver/solve.js';
import type { SolveAnswer, SolveJob } from './solver-protocol.js';

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
  port.on('message', (job: SolveJob) => {
    void runJob(job).then((answer) => port.postMessage(answer));
  });
}
