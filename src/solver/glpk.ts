/**
 * glpk.js backend (optional dependency, GPL-3.0: never imported statically). GLPK solves
 * synchronously and its `tmlim` overshoots, so it runs in a worker thread killed at a hard
 * deadline (see backend-worker.ts). It has no warm start and no progress callback for MIPs.
 */
import { problemRows, resolvePackage, roundColumns, solveInWorker, type SolverAnswer, type SolverRow } from './backend-worker.js';
import type { BackendOptions, BackendResult, MipBackend, PackingProblem } from './problem.js';
import { GLPK_MISSING_HINT } from './backends.js';

/** GLPK constants (stable C API values; glpk.js exposes the same numbers). */
export const GLP = {
  MAX: 2,
  FR: 1, LO: 2, UP: 3, DB: 4, FX: 5,
  MSG_OFF: 0,
  UNDEF: 1, FEAS: 2, INFEAS: 3, NOFEAS: 4, OPT: 5, UNBND: 6,
} as const;

/** A linear term of the glpk.js model. */
export interface GlpkTerm {
  readonly name: string;
  readonly coef: number;
}

/** The glpk.js `LP` model (the subset this backend uses). */
export interface GlpkModel {
  readonly name: string;
  readonly objective: { readonly direction: number; readonly name: string; readonly vars: GlpkTerm[] };
  readonly subjectTo: { readonly name: string; readonly vars: GlpkTerm[]; readonly bnds: { readonly type: number; readonly lb: number; readonly ub: number } }[];
  readonly binaries: string[];
}

/** The glpk.js `Result` (the subset this backend reads). */
export interface GlpkResult {
  readonly result: { readonly status: number; readonly z: number; readonly vars: Readonly<Record<string, number>> };
}

/** GLPK bounds of `lower ≤ row ≤ upper` (±Infinity = no bound). */
export function glpkBounds(lower: number, upper: number): { type: number; lb: number; ub: number } {
  const hasLo = Number.isFinite(lower);
  const hasUp = Number.isFinite(upper);
  if (hasLo && hasUp) return { type: lower === upper ? GLP.FX : GLP.DB, lb: lower, ub: upper };
  if (hasLo) return { type: GLP.LO, lb: lower, ub: 0 };
  if (hasUp) return { type: GLP.UP, lb: 0, ub: upper };
  return { type: GLP.FR, lb: 0, ub: 0 };
}

/** Builds the glpk.js model: maximise Σ weight·x, x binary, columns `x0..`, rows `r0..`. */
export function toGlpkModel(p: PackingProblem, rows: readonly SolverRow[] = problemRows(p)): GlpkModel {
  const name = (j: number): string => `x${j}`;
  return {
    name: 'packing',
    objective: { direction: GLP.MAX, name: 'obj', vars: Array.from(p.weight, (coef, j) => ({ name: name(j), coef })) },
    subjectTo: rows.map((r, i) => ({
      name: `r${i}`,
      vars: r.cols.map((c, k) => ({ name: name(c), coef: r.coefs[k] as number })),
      bnds: glpkBounds(r.lower, r.upper),
    })),
    binaries: Array.from({ length: p.nCols }, (_, j) => name(j)),
  };
}

/**
 * GLPK's relative objective tolerance `tol_obj` (glpk.js cannot change it): branch and bound
 * prunes every node whose bound is within `tol_obj·(1 + |z|)` of the incumbent z, so GLP_OPT
 * only proves that no solution beats z by more than that slack. Measured: on 40-column problems
 * with weights near 1e10, 9 of 30 GLP_OPT answers were 10–954 units below HiGHS's optimum.
 */
export const GLPK_TOL_OBJ = 1e-7;

/** Objective bits glpk decides exactly (its pruning slack stays below half a unit). */
export const GLPK_OBJECTIVE_BITS = 22;

/**
 * Maps a glpk.js result to an answer: OPT → optimal (when the pruning slack is below half a
 * unit, weights being integers; otherwise feasible with bound z + 2·slack), FEAS → feasible,
 * NOFEAS → infeasible, anything else → no answer.
 */
export function interpretGlpk(output: GlpkResult, nCols: number): SolverAnswer {
  const { status, z, vars } = output.result;
  const x = (): Uint8Array => roundColumns(nCols, (j) => vars[`x${j}`]);
  if (status === GLP.OPT) {
    const slack = GLPK_TOL_OBJ * (1 + Math.abs(z));
    return slack < 0.5 ? { status: 'optimal', x: x(), dualBound: z } : { status: 'feasible', x: x(), dualBound: z + 2 * slack };
  }
  if (status === GLP.FEAS) return { status: 'feasible', x: x(), dualBound: null };
  if (status === GLP.NOFEAS) return { status: 'infeasible', x: null, dualBound: null };
  return null;
}

/** glpk.js: exact MIP (`mipgap 0`, GLPK presolve on), in a worker with a hard deadline. */
export const glpkBackend: MipBackend = {
  name: 'glpk',
  // 2^22 · 1e-7 ≈ 0.42 < ½: below this GLP_OPT is exact for integer weights.
  objectiveBits: GLPK_OBJECTIVE_BITS,
  async solve(problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
    const url = resolvePackage('glpk.js/node', GLPK_MISSING_HINT);
    // GLPK's own limit stops it gracefully with its incumbent; the worker deadline backs it up.
    const glpkOptions = { mipgap: 0, presol: true, msglev: GLP.MSG_OFF, ...options.tuning, tmlim: Math.max(0.001, options.timeLimitSec) };
    return solveInWorker<GlpkResult>({
      kind: 'glpk',
      input: (rows) => ({ url, lp: toGlpkModel(problem, rows), options: glpkOptions }),
      interpret: (output) => interpretGlpk(output, problem.nCols),
    }, problem, options);
  },
};
