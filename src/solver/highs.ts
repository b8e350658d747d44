/** HiGHS (wasm) backend through the persistent model API. */
import highsModule, { type Highs, type InitOptions, type ModelData, type UserSolutionCallbackEvent } from 'highs';
import { foundWriter, incumbentReader } from './shared-incumbent.js';
import type { BackendOptions, BackendResult, LpRelaxation, MipBackend, PackingProblem } from './problem.js';

// The package ships CommonJS typings for an ESM build: its default export is the loader.
const highsLoader = highsModule as unknown as (options?: InitOptions) => Promise<Highs>;

let runtime: Promise<Highs> | undefined;

/** The process-wide HiGHS runtime (loaded once, lazily). */
export function loadHighs(): Promise<Highs> {
  runtime ??= highsLoader();
  return runtime;
}

const PROGRESS_EVERY_MS = 250;

/**
 * Process-wide counters of the HiGHS runs made in this thread (not in worker threads), for
 * profiling (`npm run bench:profile`): MIP runs, their branch-and-bound nodes and simplex
 * iterations (HiGHS's own `mip_node_count` and `simplex_iteration_count`), LP relaxations, and
 * packings offered to running MIPs ({@link BackendOptions.shared}) and accepted by HiGHS.
 */
export const highsCounters = { mipRuns: 0, mipMs: 0, nodes: 0, lpIterations: 0, lpRuns: 0, lpMs: 0, offered: 0, accepted: 0 };

/** Adds a finished model's node and iteration counts to {@link highsCounters}. */
function countRun(model: { readonly info: { get(name: string): number | bigint } }, mip: boolean, ms: number): void {
  const read = (name: string): number => {
    try {
      return Number(model.info.get(name));
    } catch {
      return 0;
    }
  };
  if (mip) {
    highsCounters.mipRuns++;
    highsCounters.mipMs += ms;
    highsCounters.nodes += Math.max(0, read('mip_node_count'));
  } else {
    highsCounters.lpRuns++;
    highsCounters.lpMs += ms;
  }
  highsCounters.lpIterations += Math.max(0, read('simplex_iteration_count')) + Math.max(0, read('ipm_iteration_count'));
}

/** Largest LP (columns) solved by simplex; above it the interior-point method is faster (docs/DESIGN.md §5). */
export const SIMPLEX_MAX_COLUMNS = 2_000;

/**
 * HiGHS options we set besides `mip_rel_gap = 0`. HiGHS's own presolve is off: our presolve
 * already removes what it would find, and on the CATS corpus its MIP runs faster without it
 * (measured, see BENCHMARKS.md).
 */
export const HIGHS_DEFAULTS: Readonly<Record<string, string | number | boolean>> = {
  presolve: 'off',
};

/** Builds HiGHS model data (CSR rows: packing rows, then extra rows). */
export function toHighsModel(highs: Highs, p: PackingProblem, integer: boolean): ModelData {
  const nPack = p.rowStart.length - 1;
  const nRows = nPack + p.extraRows.length;
  let nnz = p.rowItems.length;
  for (const r of p.extraRows) nnz += r.indices.length;
  const starts = new Int32Array(nRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const rowLower = new Float64Array(nRows).fill(-highs.infinity);
  const rowUpper = new Float64Array(nRows).fill(1);
  indices.set(p.rowItems);
  values.fill(1, 0, p.rowItems.length);
  starts.set(p.rowStart);
  let k = p.rowItems.length;
  p.extraRows.forEach((r, i) => {
    indices.set(r.indices, k);
    values.set(r.values, k);
    k += r.indices.length;
    starts[nPack + i + 1] = k;
    rowLower[nPack + i] = Number.isFinite(r.lower) ? r.lower : -highs.infinity;
    rowUpper[nPack + i] = Number.isFinite(r.upper) ? r.upper : highs.infinity;
  });
  return {
    numCols: p.nCols,
    numRows: nRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: p.weight,
    colLower: new Float64Array(p.nCols),
    colUpper: new Float64Array(p.nCols).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows: nRows, numCols: p.nCols, starts, indices, values },
    ...(integer ? { integrality: new Int32Array(p.nCols).fill(highs.constants.variableType.integer) } : {}),
  };
}

/** HiGHS: exact MIP with `mip_rel_gap = 0`, warm-started from the caller's incumbent. */
export const highsBackend: MipBackend = {
  name: 'highs',
  cutoff: true,
  async solve(problem: PackingProblem, options: BackendOptions): Promise<BackendResult> {
    const highs = await loadHighs();
    const started = performance.now();
    const model = highs.createModel(toHighsModel(highs, problem, true));
    try {
      model.options.set({
        output_flag: false,
        mip_rel_gap: 0,
        ...HIGHS_DEFAULTS,
        ...options.tuning,
        // HiGHS's objective bound is in its minimising sense: −cutoff for our maximisation.
        ...(options.cutoff === undefined ? {} : { objective_bound: -options.cutoff }),
        time_limit: Math.max(0.01, options.timeLimitSec),
      });
      if (options.start !== undefined) model.setSolution({ colValue: Float64Array.from(options.start) });
      const ct = highs.constants.callbackType;
      let lastReport = 0;
      let best: Float64Array | null = null;
      let primal: number | null = null;
      let dual: number | null = null;
      const offered = options.shared === undefined ? null : incumbentReader(options.shared);
      const publish = options.shared === undefined ? null : foundWriter(options.shared);
      const report = (): void => {
        const now = performance.now();
        if (options.onProgress === undefined || now - lastReport < PROGRESS_EVERY_MS) return;
        lastReport = now;
        options.onProgress({ elapsedMs: now - started, primal, dual });
      };
      const run = model.run({
        [ct.mipImprovingSolution]: (e) => {
          if (e.data.mip_solution !== undefined) {
            best = e.data.mip_solution;
            publish?.(best);
          }
          primal = e.data.objective_function_value ?? primal;
          options.pace?.(primal, dual);
        },
        ...(offered === null ? {} : {
          [ct.mipUserSolution]: (e: UserSolutionCallbackEvent) => {
            const x = offered();
            if (x === null) return;
            highsCounters.offered++;
            if (e.setSolution(x).status !== -1) highsCounters.accepted++;
          },
        }),
        [ct.mipInterrupt]: (e) => {
          primal = finite(e.data.mip_primal_bound) ?? primal;
          dual = finite(e.data.mip_dual_bound) ?? dual;
          report();
          options.pace?.(primal, dual);
          if (options.signal?.aborted === true) e.interrupt();
        },
      });
      const ms = highs.constants.modelStatus;
      const status = run.modelStatus;
      const hasPrimal = model.info.get('primal_solution_status') === highs.constants.solutionStatus.feasible;
      const colValue = hasPrimal ? model.getSolution().colValue : best;
      const x = colValue === null ? null : Uint8Array.from(colValue, (v) => (v > 0.5 ? 1 : 0));
      const dualBound = finite(Number(model.info.get('mip_dual_bound')));
      const elapsedMs = performance.now() - started;
      countRun(model, true, elapsedMs);
      if (status === ms.optimal) return { status: 'optimal', x, dualBound, elapsedMs };
      if (status === ms.infeasible) return { status: 'infeasible', x: null, dualBound: null, elapsedMs };
      return { status: x === null ? 'no-solution' : 'feasible', x, dualBound, elapsedMs };
    } finally {
      model.dispose();
    }
  },

  async relax(problem: PackingProblem, options: Pick<BackendOptions, 'timeLimitSec'>): Promise<LpRelaxation | null> {
    const lp = await solveLp(problem, options.timeLimitSec);
    return lp.optimal ? lp : null;
  },
};

/**
 * Solves the LP relaxation of a packing problem (simplex, or interior point above
 * {@link SIMPLEX_MAX_COLUMNS} columns). `optimal` is false when HiGHS stopped early; the values
 * are then whatever it had.
 */
export async function solveLp(problem: PackingProblem, timeLimitSec: number): Promise<LpRelaxation & { readonly optimal: boolean }> {
  const highs = await loadHighs();
  const started = performance.now();
  const model = highs.createModel(toHighsModel(highs, problem, false));
  try {
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.01, timeLimitSec),
      ...(problem.nCols > SIMPLEX_MAX_COLUMNS ? { solver: 'ipm' } : {}),
    });
    const optimal = model.run().modelStatus === highs.constants.modelStatus.optimal;
    countRun(model, false, performance.now() - started);
    const solution = model.getSolution();
    return { optimal, x: Float64Array.from(solution.colValue), rowDual: Float64Array.from(solution.rowDual) };
  } finally {
    model.dispose();
  }
}

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) && Math.abs(v) < 1e300 ? v : null;
}
