/**
 * The float model handed to MIP backends: maximise Σ weight·x over binary x, subject to set
 * packing rows (Σ x ≤ 1 over each row's columns) and optional extra linear rows (cuts).
 * Backends never see money: weights are exact integers (or rounded ones) chosen by the caller,
 * who re-checks every answer in bigint.
 */
import type { SharedIncumbentView } from './shared-incumbent.js';

/** A general linear row `lower ≤ Σ values·x[indices] ≤ upper` (use ±Infinity for no bound). */
export interface LinearRow {
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly lower: number;
  readonly upper: number;
}

/** Weighted set packing over binary columns. */
export interface PackingProblem {
  readonly nCols: number;
  /** Objective coefficient of each column (maximised). */
  readonly weight: Float64Array;
  /** Packing rows: row i is `rowItems[rowStart[i] .. rowStart[i+1])`, Σ x ≤ 1. */
  readonly rowStart: Int32Array;
  readonly rowItems: Int32Array;
  /** Further rows (band and no-good cuts of the exact refinement). */
  readonly extraRows: readonly LinearRow[];
}

/** Progress reported by a backend while it runs. Objective values are in the problem's scale. */
export interface BackendProgress {
  readonly elapsedMs: number;
  /** Best feasible objective so far, if any. */
  readonly primal: number | null;
  /** Best proven upper bound so far, if any. */
  readonly dual: number | null;
}

/** Options of one backend run. */
export interface BackendOptions {
  /** Wall-clock limit in seconds (> 0). */
  readonly timeLimitSec: number;
  /** A feasible 0/1 start (e.g. greedy), same length as the columns. */
  readonly start?: Uint8Array;
  /** Called from inside the solve, at most every few hundred ms. */
  readonly onProgress?: (progress: BackendProgress) => void;
  /** Aborting stops the run; the best solution found so far is returned. */
  readonly signal?: AbortSignal;
  /** Backend-specific options passed through unchanged (e.g. HiGHS option names). */
  readonly tuning?: Readonly<Record<string, string | number | boolean>>;
  /** Exact gain of one objective unit, as a float (progress in gain units; the MIP's time sharing). */
  readonly objectiveUnit?: number;
  /**
   * Called from inside the backend's callbacks with its best and bound (objective units); it may
   * block the thread for a while (the MIP worker's time sharing, see `mip-governor.ts`).
   */
  readonly pace?: (primal: number | null, dual: number | null) => void;
  /**
   * Only solutions with objective ≥ this matter: a backend that {@link MipBackend.cutoff | supports it}
   * prunes below it natively; when no solution reaches it, the answer is `infeasible` or one
   * below it. Others ignore it. Either way the caller compares the answer with the cutoff.
   */
  readonly cutoff?: number;
  /**
   * Packings exchanged while the solve runs (see `shared-incumbent.ts`): a backend that can takes
   * each offered one as a candidate incumbent and publishes its improving solutions. Others ignore it.
   */
  readonly shared?: SharedIncumbentView;
}

/** Outcome of a backend run. Statuses are outcomes, not errors. */
export interface BackendResult {
  /** `optimal`: proven for the float model; `feasible`: stopped early with a solution. */
  readonly status: 'optimal' | 'feasible' | 'infeasible' | 'no-solution';
  /** Rounded 0/1 solution when one exists. */
  readonly x: Uint8Array | null;
  /** Proven upper bound on the float objective, when the backend provides one. */
  readonly dualBound: number | null;
  readonly elapsedMs: number;
}

/** Names of the exact backends. */
export type BackendName = 'highs' | 'glpk' | 'jslp' | 'bnb';

/** An LP relaxation's primal values and row duals (any sign convention; only |dual| is used). */
export interface LpRelaxation {
  readonly x: Float64Array;
  readonly rowDual: Float64Array;
}

/** A MIP backend behind one interface. */
export interface MipBackend {
  readonly name: BackendName;
  /** Largest problem (columns) the backend accepts, if limited. */
  readonly maxColumns?: number;
  /**
   * Objective magnitude (bits) the backend decides to the unit; larger models are rounded to a
   * coarser unit and refined exactly (default and cap: SAFE_BITS).
   */
  readonly objectiveBits?: number;
  /** True when `solve` honours {@link BackendOptions.cutoff} natively (pruning, not a constraint row). */
  readonly cutoff?: boolean;
  solve(problem: PackingProblem, options: BackendOptions): Promise<BackendResult>;
  /** Solves the LP relaxation (packing rows only), or null when it did not finish. Optional. */
  relax?(problem: PackingProblem, options: Pick<BackendOptions, 'timeLimitSec'>): Promise<LpRelaxation | null>;
}
