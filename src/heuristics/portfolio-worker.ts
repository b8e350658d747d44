/** Piscina worker of the portfolio: runs one tabu or LNS epoch per task (see portfolio.ts). */
import type { PortfolioTask, PortfolioTaskResult } from './portfolio-protocol.js';
import { readIndex } from './portfolio-protocol.js';
import { runSearch } from './portfolio-search.js';
import type { PackingIndex } from './tabu.js';

let cache: { token: string; index: PackingIndex; candidates: Int32Array } | null = null;

/** Runs one task; the caller re-checks the answer exactly. */
export default async function runTask(task: PortfolioTask): Promise<PortfolioTaskResult> {
  if (task.fault === 'throw') throw new Error('injected worker failure');
  if (task.fault === 'exit') process.exit(1);
  if (task.fault === 'hang') return new Promise<PortfolioTaskResult>(() => { for (;;) { /* spin until terminated */ } });
  if (cache === null || cache.token !== task.index.token) cache = { token: task.index.token, ...readIndex(task.index) };
  const r = await runSearch(cache.index, cache.candidates, Array.from(task.start), {
    kind: task.kind, seed: task.seed, sample: task.sample, budget: task.iterations, deadline: performance.now() + task.remainingMs,
    deterministic: task.deterministic,
    ...(task.lp === undefined ? {} : { lp: task.lp }),
    ...(task.elites === undefined ? {} : { elites: task.elites.map((e) => Array.from(e)) }),
    ...(task.startFree === undefined ? {} : { startFree: task.startFree }),
  });
  return { winners: Int32Array.from(r.winners), move: r.move, ...(r.free === undefined ? {} : { free: r.free }) };
}
