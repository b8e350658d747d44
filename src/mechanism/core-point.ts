/**
 * The bidder-optimal core point nearest to VCG, for a given set of core constraints
 * (Day & Cramton's quadratic rule), in increments over the VCG payments:
 *
 *     q ∈ [0, u]  (p = vcg + q ≤ bid value),   Σ_{i∈K} q_i ≥ γ_K for every constraint K,
 *
 * first the least total Σ q (an LP), then, among points of that total, the least Σ q² (a QP).
 * HiGHS solves both in floating point; the answer is then rounded to integers and repaired
 * exactly (every constraint re-checked in bigint and any deficit added), so the point returned
 * satisfies every constraint exactly. Its total may exceed the LP minimum by rounding (at most a
 * few base units per winner at wei scale).
 */
import { loadHighs } from '../solver/highs.js';

/** One core constraint in increments over VCG: Σ_{i ∈ members} q_i ≥ gap. */
export interface CoreConstraint {
  readonly members: readonly number[];
  readonly gap: bigint;
}

/** Floats are scaled so that the largest bound is about this (keeps HiGHS's tolerances relative). */
const FLOAT_RANGE = 1e6;

/**
 * Integer increments q (one per winner, each in [0, upper_i]) satisfying every constraint
 * exactly: the LP-minimal total, nearest to 0 (VCG) in Euclidean distance, rounded and repaired.
 * Constraints whose gap exceeds what their members can give are capped (every member at its
 * upper bound), so an answer always exists.
 */
export async function nearestCorePoint(upper: readonly bigint[], constraints: readonly CoreConstraint[]): Promise<bigint[]> {
  const active = constraints.filter((c) => c.gap > 0n && c.members.length > 0);
  const maxU = upper.reduce((m, u) => (u > m ? u : m), 0n);
  if (active.length === 0 || maxU === 0n) return upper.map(() => 0n);
  const scale = Number(maxU) / FLOAT_RANGE;
  const float = await solveFloat(upper.map((u) => Number(u) / scale), active.map((c) => ({ members: c.members, gap: Math.min(Number(c.gap), Number(sumAt(upper, c.members))) / scale })));
  const q = Array.from(float, (x, i) => clamp(BigInt(Math.round(Number.isFinite(x) ? x * scale : 0)), 0n, upper[i] ?? 0n));
  for (const c of active) repair(q, upper, c);
  return q;
}

/** Raises members with slack, in equal steps, until Σ_K q ≥ gap (or all are at their bound). */
function repair(q: bigint[], upper: readonly bigint[], c: CoreConstraint): void {
  let deficit = c.gap - sumAt(q, c.members);
  while (deficit > 0n) {
    const open = c.members.filter((i) => (q[i] ?? 0n) < (upper[i] ?? 0n));
    if (open.length === 0) return;
    const step = (deficit + BigInt(open.length) - 1n) / BigInt(open.length);
    for (const i of open) {
      if (deficit <= 0n) break;
      const add = min(step, deficit, (upper[i] ?? 0n) - (q[i] ?? 0n));
      q[i] = (q[i] ?? 0n) + add;
      deficit -= add;
    }
  }
}

/** LP (least total), then QP (least Σ q² at that total), both in HiGHS. */
async function solveFloat(upper: readonly number[], rows: readonly { members: readonly number[]; gap: number }[]): Promise<Float64Array> {
  const highs = await loadHighs();
  const n = upper.length;
  const starts = new Int32Array(rows.length + 2);
  const indices: number[] = [];
  rows.forEach((r, k) => {
    indices.push(...r.members);
    starts[k + 1] = indices.length;
  });
  // Last row: Σ q ≤ total (open in the LP, fixed for the QP).
  for (let i = 0; i < n; i++) indices.push(i);
  starts[rows.length + 1] = indices.length;
  const build = (total: number, quadratic: boolean): Parameters<typeof highs.createModel>[0] => ({
    numCols: n,
    numRows: rows.length + 1,
    sense: highs.constants.objectiveSense.minimize,
    colCost: quadratic ? new Float64Array(n) : new Float64Array(n).fill(1),
    colLower: new Float64Array(n),
    colUpper: Float64Array.from(upper),
    rowLower: Float64Array.from([...rows.map((r) => r.gap), -highs.infinity]),
    rowUpper: Float64Array.from([...rows.map(() => highs.infinity), total]),
    matrix: { format: 'csr', numRows: rows.length + 1, numCols: n, starts, indices: Int32Array.from(indices), values: new Float64Array(indices.length).fill(1) },
    ...(quadratic ? { hessian: { format: 'triangular' as const, dimension: n, starts: Int32Array.from({ length: n + 1 }, (_, i) => i), indices: Int32Array.from({ length: n }, (_, i) => i), values: new Float64Array(n).fill(2) } } : {}),
  });
  const run = (total: number, quadratic: boolean): Float64Array | null => {
    const model = highs.createModel(build(total, quadratic));
    try {
      model.options.set({ output_flag: false });
      const status = model.run().modelStatus;
      return status === highs.constants.modelStatus.optimal ? Float64Array.from(model.getSolution().colValue) : null;
    } finally {
      model.dispose();
    }
  };
  const lp = run(highs.infinity, false);
  if (lp === null) return Float64Array.from(upper);
  const total = lp.reduce((s, x) => s + x, 0);
  // A hair above the LP total so the QP stays feasible under HiGHS's tolerances.
  return run(total * (1 + 1e-9) + 1e-7, true) ?? lp;
}

function sumAt(xs: readonly bigint[], at: readonly number[]): bigint {
  let s = 0n;
  for (const i of at) s += xs[i] ?? 0n;
  return s;
}

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}

function min(...xs: bigint[]): bigint {
  return xs.reduce((m, x) => (x < m ? x : m));
}
