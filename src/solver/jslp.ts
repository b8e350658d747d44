/**
 * javascript-lp-solver backend: a dense-tableau branch and bound, fine for small components
 * only. It can run far past its own `timeout` and never says it timed out, so it runs in a
 * worker thread killed at a hard deadline (see backend-worker.ts), and solves that took the
 * whole timeout are reported as `feasible`, not `optimal`. Its simplex may also accept a
 * non-optimal degenerate vertex; the worker guards against that (see backend-worker.ts).
 */
import type { Model, SolveResult } from 'javascript-lp-solver';
import { BackendError } from '../model/errors.js';
import { resolvePackage, roundColumns, solveInWorker, type SolverAnswer, type SolverRow } from './backend-worker.js';
import type { BackendOptions, BackendResult, MipBackend, PackingProblem } from './problem.js';

/** Largest problem (columns) the jslp backend accepts: beyond it the dense tableau is hopeless. */
export const JSLP_MAX_COLUMNS = 300;

/** Builds the javascript-lp-solver model: maximise `obj`, binary columns `x0..`, rows `r0..`. */
export function toJslpModel(p: PackingProblem, rows: readonly SolverRow[], timeoutMs: number, tuning?: BackendOptions['tuning']): Model {
  const variables: Record<string, Record<string, number>> = {};
  const binaries: Record<string, boolean> = {};
  for (let j = 0; j < p.nCols; j++) {
    variables[`x${j}`] = { obj: p.weight[j] as number };
    binaries[`x${j}`] = true;
  }
  const constraints: Model['constraints'] = {};
  rows.forEach((r, i) => {
    const bound = { ...(Number.isFinite(r.lower) ? { min: r.lower } : {}), ...(Number.isFinite(r.upper) ? { max: r.upper } : {}) };
    if (bound.min === undefined && bound.max === undefined) return; // free row: no constraint
    constraints[`r${i}`] = bound;
    r.cols.forEach((c, k) => { (variables[`x${c}`] as Record<string, number>)[`r${i}`] = r.coefs[k] as number; });
  });
  return {
    optimize: 'obj',
    opType: 'max',
    constraints,
    variables,
    binaries,
    // timeout 0 would mean "none" to the solver: keep at least 1 ms.
    // exitOnCycles would turn a detected cycle into a false "infeasible" node.
    options: { tolerance: 0, exitOnCycles: false, ...tuning, timeout: Math.max(1, Math.floor(timeoutMs)) },
  };
}

/**
 * Maps a javascript-lp-solver result to an answer. `proven` says the search ran to completion:
 * it ended before the timeout and every LP was solved to optimality (see backend-worker.ts).
 * Integral → optimal (proven) or feasible; no integral solution → infeasible (proven) or none.
 */
export function interpretJslp(out: SolveResult, proven: boolean, nCols: number): SolverAnswer {
  if (out.feasible && out.isIntegral === true) {
    const x = roundColumns(nCols, (j) => {
      const v = out[`x${j}`];
      return typeof v === 'number' ? v : undefined;
    });
    return proven ? { status: 'optimal', x, dualBound: out.result } : { status: 'feasible', x, dualBound: null };
  }
  return proven ? { status: 'infeasible', x: null, dualBound: null } : null;
}

/** javascript-lp-solver: exact (tolerance 0) up to {@link JSLP_MAX_COLUMNS} columns. */
export const jslpBackend: MipBackend = {
  name: 'jslp',
  maxColumns: JSLP_MAX_COLUMNS,
  async solve(problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
    if (problem.nCols > JSLP_MAX_COLUMNS) {
      throw new BackendError(`jslp backend accepts at most ${JSLP_MAX_COLUMNS} columns (received ${problem.nCols}): use the highs backend`, { rule: `at most ${JSLP_MAX_COLUMNS} columns`, received: String(problem.nCols) });
    }
    const url = resolvePackage('javascript-lp-solver', 'reinstall the dependencies (npm install)');
    const timeoutMs = options.timeLimitSec * 1000;
    // A positive tolerance (through tuning) stops the search early: no proof then.
    const exact = Number(options.tuning?.['tolerance'] ?? 0) === 0;
    return solveInWorker<[SolveResult, boolean]>({
      kind: 'jslp',
      input: (rows) => ({ url, model: toJslpModel(problem, rows, timeoutMs, options.tuning) }),
      // The solver stops silently at its timeout: only a run that ended before it is complete.
      interpret: ([out, lpsOptimal], solveMs) => interpretJslp(out, exact && lpsOptimal && solveMs < timeoutMs, problem.nCols),
    }, problem, options);
  },
};
