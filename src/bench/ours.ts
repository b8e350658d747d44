/** Runners backed by this library's own `solve()`: `highs`, `glpk`, `jslp`, `bnb`, `heuristic`, `auto`. */
import { createInstance } from '../model/instance.js';
import type { BackendName } from '../solver/problem.js';
import { solve, type SolveMethod } from '../solver/solve.js';
import type { BenchRunner, TracePoint } from './types.js';

/** A runner backed by our own `solve()` with that method and MIP backend. */
export function solveRunner(name: string, method: SolveMethod, backend: BackendName): BenchRunner {
  return {
    name,
    available: async () => (method === 'heuristic' ? true : probeBackend(backend)),
    async run(task) {
      // The incumbent trace, as `solve --trace` records it: a point at each improvement, ms from
      // solve()'s start (instance load and process start excluded). Each value is a packing's exact
      // value (a lossless MIP's primal is an integer below 2^40 units; rounded models report no primal).
      const trace: TracePoint[] = [];
      const r = await solve(task.instance, {
        method, backend, timeLimit: task.timeLimitSec, seed: task.seed,
        onProgress: (p) => {
          const last = trace[trace.length - 1];
          if (p.incumbent !== null && (last === undefined || p.incumbent > (last.value as bigint))) trace.push({ ms: Math.round(p.elapsedMs), value: p.incumbent });
        },
      });
      return { status: r.status, winners: r.winners, bound: r.bound, solverMs: r.elapsedMs, trace };
    },
  };
}

/**
 * Checks that a MIP backend loads and solves: a two-bid instance that neither presolve nor
 * enumeration can decide, so the backend itself must run.
 */
async function probeBackend(backend: BackendName): Promise<true | string> {
  const instance = createInstance({
    rollups: [{ id: 'a', reserve: '0' }, { id: 'b', reserve: '0' }],
    bids: [
      { id: 'p', bidder: 'x', bundle: ['a', 'b'], amount: '3' },
      { id: 'q', bidder: 'y', bundle: ['a'], amount: '2' },
    ],
  });
  try {
    const r = await solve(instance, { method: 'exact', backend, timeLimit: 10, presolve: false, enumerationLimit: 1 });
    return r.winners.join(',') === 'p' ? true : `backend ${backend} answered the probe wrongly (${r.winners.join(',')})`;
  } catch (error) {
    return error instanceof Error ? ('shortMessage' in error ? String(error.shortMessage) : error.message) : String(error);
  }
}
