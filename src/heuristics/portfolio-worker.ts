/** Piscina worker of the portfolio: runs one tabu-search epoch per task (see portfolio.ts). */
import type { PortfolioTask, PortfolioTaskResult } from './portfolio-protocol.js';
import { readIndex } from './portfolio-protocol.js';
import { tabuSearch, type PackingIndex } from './tabu.js';

let cache: { token: string; index: PackingIndex; candidates: Int32Array } | null = null;

/** Runs one task; the caller re-checks the answer exactly. */
export default function runTask(task: PortfolioTask): PortfolioTaskResult | Promise<PortfolioTaskResult> {
  if (task.fault === 'throw') throw new Error('injected worker failure');
  if (task.fault === 'exit') process.exit(1);
  if (task.fault === 'hang') return new Promise<PortfolioTaskResult>(() => { for (;;) { /* spin until terminated */ } });
  if (cache === null || cache.token !== task.index.token) cache = { token: task.index.token, ...readIndex(task.index) };
  const r = tabuSearch(cache.index, cache.candidates, Array.from(task.start), {
    seed: task.seed, sample: task.sample, maxIterations: task.iterations, deadline: performance.now() + task.remainingMs,
  });
  return { winners: Int32Array.from(r.winners), iterations: r.iterations };
}
