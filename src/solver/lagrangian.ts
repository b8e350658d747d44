/**
 * Lagrangian relaxation of winner determination: the rollup rows are priced (multipliers
 * y_r ≥ 0), the exclusive groups stay as cliques ("at most one bid per group"), so for fixed
 * prices the relaxed problem is solved by taking every ungrouped bid of positive reduced cost
 * and the best such bid of each group. The multipliers are improved by a deflected
 * subgradient method with Polyak steps (floats, for speed); the bound that is returned is then
 * recomputed exactly in bigint from integer prices, and comes with the prices themselves, which
 * are a valid LP-dual certificate (verify/certificate.ts): rollup prices y_r (above the reserve)
 * and group prices q_g = max(0, max_{b∈g} rc_b), after raising one rollup price of every
 * ungrouped bid whose reduced cost is still positive.
 */
import type { Market } from '../model/market.js';

/** Options of {@link lagrangianBound}; all optional. */
export interface LagrangianOptions {
  /** `performance.now()` time after which no iteration starts. Default: none. */
  readonly deadline?: number;
  /** Subgradient iterations at most. Default {@link LAGRANGIAN_ITERATIONS}. */
  readonly maxIterations?: number;
  /** A known packing's gain (the Polyak target); default 0. */
  readonly lower?: bigint;
  /** Stop once (bound − lower) ≤ this fraction of the bound. Default 1e-7. */
  readonly relativeGap?: number;
  readonly signal?: AbortSignal;
}

/** Iterations without a better bound before the step factor halves, and the deflection weight. */
const STALL_HALVING = 10;
const DEFLECTION = 0.5;
/** Weight of the newest relaxed solution in the primal average. */
const PRIMAL_WEIGHT = 0.1;

/** Default iteration cap of {@link lagrangianBound}. */
export const LAGRANGIAN_ITERATIONS = 3_000;

/** An exact upper bound on the gain of a component, with its certificate prices. */
export interface LagrangianBound {
  /** Σ rollup prices + Σ group prices: no packing of the component gains more. */
  readonly bound: bigint;
  /** Price above reserve of each rollup (global index → price; rollups outside the component absent). */
  readonly rollupPrices: ReadonlyMap<number, bigint>;
  /** Price of each exclusive group of the component (global group index → price > 0). */
  readonly groupPrices: ReadonlyMap<number, bigint>;
  /**
   * Per local bid j (`bids[j]`): exact slack q_{g(j)} − rc_j (ungrouped: −rc_j) ≥ 0 under these
   * prices. Any packing that contains bid j gains at most `bound − slack[j]`.
   */
  readonly slack: readonly bigint[];
  readonly iterations: number;
  /**
   * Per local bid: an exponential average of the relaxed solutions (as in the Volume
   * algorithm), an estimate of the LP values that can guide a greedy (see `orderByLp`).
   */
  readonly primal: Float64Array;
}

/**
 * Lagrangian upper bound on the gain of the bids `bids` (one component; gains > 0). Runs until
 * the deadline, the iteration cap, a small enough gap, or the step size vanishes. Always
 * returns a valid bound (at worst that of the starting prices, max_b gain_b/|b| per rollup).
 */
export function lagrangianBound(market: Market, bids: Int32Array, options: LagrangianOptions = {}): LagrangianBound {
  const n = bids.length;
  // Local rollup and group numbering, and the CSR of the component.
  const localOf = new Int32Array(market.nRollups).fill(-1);
  const groupOf = new Int32Array(market.nGroups).fill(-1);
  const rollupIds: number[] = [];
  const groupIds: number[] = [];
  const start = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) start[j + 1] = (start[j] as number) + (market.bundleStart[(bids[j] as number) + 1] as number) - (market.bundleStart[bids[j] as number] as number);
  const item = new Int32Array(start[n] as number);
  const groupLocal = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    const b = bids[j] as number;
    let at = start[j] as number;
    for (let k = market.bundleStart[b] as number; k < (market.bundleStart[b + 1] as number); k++) {
      const r = market.bundleItems[k] as number;
      if ((localOf[r] as number) < 0) {
        localOf[r] = rollupIds.length;
        rollupIds.push(r);
      }
      item[at++] = localOf[r] as number;
    }
    const g = market.group[b] as number;
    if (g >= 0) {
      if ((groupOf[g] as number) < 0) {
        groupOf[g] = groupIds.length;
        groupIds.push(g);
      }
      groupLocal[j] = groupOf[g] as number;
    }
  }
  const m = rollupIds.length;
  const nG = groupIds.length;
  const gain = Float64Array.from(bids, (b) => Number(market.gain[b] as bigint));

  // Start: y_r = max over bids on r of gain/|bundle| (a feasible dual without groups).
  const y = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const share = (gain[j] as number) / ((start[j + 1] as number) - (start[j] as number));
    for (let k = start[j] as number; k < (start[j + 1] as number); k++) if (share > (y[item[k] as number] as number)) y[item[k] as number] = share;
  }
  const best = Float64Array.from(y);
  let bestL = Infinity;
  const lower = Number(options.lower ?? 0n);
  const relGap = options.relativeGap ?? 1e-7;
  const maxIterations = options.maxIterations ?? LAGRANGIAN_ITERATIONS;
  const deadline = options.deadline ?? Infinity;
  const rc = new Float64Array(n);
  const groupBest = new Int32Array(nG);
  const sub = new Float64Array(m);
  const dir = new Float64Array(m);
  const primal = new Float64Array(n);
  const picked = new Uint8Array(n);
  let lambda = 1;
  let sinceBest = 0;
  let iterations = 0;
  /** Marks bid j as chosen in the subgradient; returns its reduced cost. */
  const chosen = (j: number): number => {
    picked[j] = 1;
    for (let k = start[j] as number; k < (start[j + 1] as number); k++) sub[item[k] as number] = (sub[item[k] as number] as number) - 1;
    return rc[j] as number;
  };
  for (; iterations < maxIterations; iterations++) {
    if ((iterations & 7) === 0 && (performance.now() > deadline || options.signal?.aborted === true)) break;
    // Relaxed solution for prices y: L = Σy + Σ_{chosen} rc; subgradient 1 − Σ_{chosen ∋ r} 1.
    let L = 0;
    for (let r = 0; r < m; r++) L += y[r] as number;
    sub.fill(1);
    picked.fill(0);
    groupBest.fill(-1);
    for (let j = 0; j < n; j++) {
      let v = gain[j] as number;
      for (let k = start[j] as number; k < (start[j + 1] as number); k++) v -= y[item[k] as number] as number;
      rc[j] = v;
      if (v <= 0) continue;
      const g = groupLocal[j] as number;
      if (g < 0) L += chosen(j);
      else if ((groupBest[g] as number) < 0 || v > (rc[groupBest[g] as number] as number)) groupBest[g] = j;
    }
    for (let g = 0; g < nG; g++) if ((groupBest[g] as number) >= 0) L += chosen(groupBest[g] as number);
    const alpha = iterations === 0 ? 1 : PRIMAL_WEIGHT;
    for (let j = 0; j < n; j++) primal[j] = (1 - alpha) * (primal[j] as number) + alpha * (picked[j] as number);
    if (L < bestL) {
      bestL = L;
      best.set(y);
      sinceBest = 0;
    } else if (++sinceBest >= STALL_HALVING) {
      lambda /= 2;
      sinceBest = 0;
    }
    if (lambda < 1e-6 || bestL - lower <= relGap * bestL) break;
    // Deflected subgradient direction, projected on the active bounds y_r = 0.
    let norm = 0;
    for (let r = 0; r < m; r++) {
      let d = (sub[r] as number) + DEFLECTION * (dir[r] as number);
      if ((y[r] as number) <= 0 && d > 0) d = 0;
      dir[r] = d;
      norm += d * d;
    }
    if (norm === 0) break; // the relaxed solution packs every priced rollup: optimal prices
    const step = (lambda * Math.max(L - lower, 1e-9 * Math.abs(L))) / norm;
    for (let r = 0; r < m; r++) {
      const v = (y[r] as number) - step * (dir[r] as number);
      y[r] = v > 0 ? v : 0;
    }
  }
  return exactBound(market, bids, start, item, groupLocal, rollupIds, groupIds, best, iterations, primal);
}

/** The certificate of integer prices ⌈y⌉, repaired so every bid is covered, and its exact bound. */
function exactBound(market: Market, bids: Int32Array, start: Int32Array, item: Int32Array, groupLocal: Int32Array, rollupIds: readonly number[], groupIds: readonly number[], y: Float64Array, iterations: number, primal: Float64Array): LagrangianBound {
  const n = bids.length;
  const price = Array.from(y, (v) => (v > 0 ? BigInt(Math.ceil(v)) : 0n));
  const rcOf = (j: number): bigint => {
    let v = market.gain[bids[j] as number] as bigint;
    for (let k = start[j] as number; k < (start[j + 1] as number); k++) v -= price[item[k] as number] as bigint;
    return v;
  };
  // Ungrouped bids must be covered by rollup prices alone: raise the first rollup's price.
  for (let j = 0; j < n; j++) {
    if ((groupLocal[j] as number) >= 0) continue;
    const v = rcOf(j);
    if (v > 0n) price[item[start[j] as number] as number] = (price[item[start[j] as number] as number] as bigint) + v;
  }
  const rc = Array.from({ length: n }, (_, j) => rcOf(j));
  const q = new Array<bigint>(groupIds.length).fill(0n);
  for (let j = 0; j < n; j++) {
    const g = groupLocal[j] as number;
    if (g >= 0 && (rc[j] as bigint) > (q[g] as bigint)) q[g] = rc[j] as bigint;
  }
  let bound = 0n;
  const rollupPrices = new Map<number, bigint>();
  rollupIds.forEach((r, l) => {
    rollupPrices.set(r, price[l] as bigint);
    bound += price[l] as bigint;
  });
  const groupPrices = new Map<number, bigint>();
  groupIds.forEach((g, l) => {
    if ((q[l] as bigint) > 0n) groupPrices.set(g, q[l] as bigint);
    bound += q[l] as bigint;
  });
  const slack = rc.map((v, j) => {
    const g = groupLocal[j] as number;
    return (g >= 0 ? (q[g] as bigint) : 0n) - v;
  });
  return { bound, rollupPrices, groupPrices, slack, iterations, primal };
}

/**
 * Reduced-cost fixing with a Lagrangian certificate: local indices of the bids that may still
 * be in a packing gaining more than `incumbent` (bound − slack > incumbent), ascending.
 */
export function keepAbove(lagrangian: LagrangianBound, incumbent: bigint): number[] {
  const keep: number[] = [];
  lagrangian.slack.forEach((s, j) => { if (lagrangian.bound - s > incumbent) keep.push(j); });
  return keep;
}
