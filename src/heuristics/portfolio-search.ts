/** One portfolio search (tabu or LNS), the same in this thread and on a worker (see portfolio.ts). */
import { lnsSearch } from './lns.js';
import type { SearchKind } from './portfolio-protocol.js';
import { tabuSearch, type PackingIndex } from './tabu.js';

/** What one worker runs in one epoch. */
export interface SearchTask {
  readonly kind: SearchKind;
  readonly seed: number;
  /** Tabu: candidates per plateau move. */
  readonly sample: number;
  /** Tabu: plateau moves; LNS: steps. */
  readonly budget: number;
  readonly deadline: number;
  /** Count LNS work in steps (iteration-budgeted, reproducible runs). */
  readonly deterministic: boolean;
  readonly lp?: Float64Array;
  readonly elites?: readonly (readonly number[])[];
  /** LNS: sub-problem size to start from (where the previous LNS epoch's adaptation ended). */
  readonly startFree?: number;
  readonly signal?: AbortSignal;
  /** See `TabuOptions.pause` (in-thread searches only: a function does not cross threads). */
  readonly pause?: () => boolean;
}

/** One search's answer; `free` is the LNS size its adaptation ended at. */
export interface SearchAnswer {
  readonly winners: number[];
  readonly move: string | null;
  readonly free?: number;
}

/** Runs one search from `start`; the caller re-checks the answer exactly. */
export async function runSearch(index: PackingIndex, candidates: ArrayLike<number>, start: readonly number[], t: SearchTask): Promise<SearchAnswer> {
  const signal = { ...(t.signal === undefined ? {} : { signal: t.signal }), ...(t.pause === undefined ? {} : { pause: t.pause }) };
  if (t.kind === 'tabu') {
    const r = tabuSearch(index, candidates, start, { seed: t.seed, sample: t.sample, maxIterations: t.budget, deadline: t.deadline, ...signal });
    return { winners: r.winners, move: 'tabu' };
  }
  const r = await lnsSearch(index, candidates, start, {
    seed: t.seed, maxSteps: t.budget, deadline: t.deadline, deterministic: t.deterministic, ...signal,
    ...(t.lp === undefined ? {} : { lp: t.lp }), ...(t.elites === undefined ? {} : { elites: t.elites }),
    ...(t.startFree === undefined ? {} : { startFree: t.startFree }),
  });
  return { winners: r.winners, move: r.move === null ? null : `lns:${r.move}`, free: r.free };
}
