/** Cheap exact upper bounds on the gain of a set of bids. */
import type { Market } from '../model/market.js';
import type { PackingProblem } from './problem.js';

/**
 * min(Σ positive gains, Σ_r max_{b∋r} ⌈gain_b/|b|⌉): the second is a feasible dual of the LP
 * relaxation (each bid's rollup prices sum to at least its gain), so both bound any packing.
 */
export function cheapGainBound(market: Market, bids: ArrayLike<number>): bigint {
  let total = 0n;
  const price = new Map<number, bigint>();
  for (let i = 0; i < bids.length; i++) {
    const b = bids[i] as number;
    const gain = market.gain[b] as bigint;
    if (gain <= 0n) continue;
    total += gain;
    const start = market.bundleStart[b] as number;
    const size = BigInt((market.bundleStart[b + 1] as number) - start);
    const share = (gain + size - 1n) / size;
    for (let k = start; k < (market.bundleStart[b + 1] as number); k++) {
      const r = market.bundleItems[k] as number;
      const p = price.get(r);
      if (p === undefined || share > p) price.set(r, share);
    }
  }
  let dual = 0n;
  for (const p of price.values()) dual += p;
  return dual < total ? dual : total;
}

/** Result of {@link lagrangianFilter}. */
export interface LagrangianFilter {
  /** Columns that may still be in a packing worth more than the incumbent (ascending). */
  readonly keep: number[];
  /** Upper bound on every packing's weight: Σy + Σ max(rc, 0). */
  readonly bound: number;
}

/**
 * Reduced-cost fixing that needs no optimality: with any prices y ≥ 0 on the packing rows
 * (|rowDual| is used) and rc = w − yᵀA, every packing x has w·x ≤ Σy + Σ_k max(rc_k, 0) +
 * Σ_{j∈x} min(rc_j, 0). A column whose bound with it forced in is below `incumbent + 1` can
 * only be in packings worth at most `incumbent` (weights are integers), so it is dropped. A
 * relative margin of 1e-9 covers float round-off in the sums. Extra rows are ignored (they
 * only shrink the feasible set).
 */
export function lagrangianFilter(p: PackingProblem, rowDual: ArrayLike<number>, incumbent: number): LagrangianFilter {
  const rc = Float64Array.from(p.weight);
  let bound = 0;
  for (let i = 0; i + 1 < p.rowStart.length; i++) {
    const y = Math.abs(rowDual[i] ?? 0);
    if (!Number.isFinite(y)) return { keep: Array.from({ length: p.nCols }, (_, j) => j), bound: Infinity };
    bound += y;
    for (let k = p.rowStart[i] as number; k < (p.rowStart[i + 1] as number); k++) {
      const j = p.rowItems[k] as number;
      rc[j] = (rc[j] as number) - y;
    }
  }
  for (const r of rc) bound += Math.max(r, 0);
  const threshold = incumbent + 1 - (1e-9 * (1 + Math.abs(bound)) + 1e-6);
  const keep: number[] = [];
  for (let j = 0; j < p.nCols; j++) if (bound - Math.max(rc[j] as number, 0) + (rc[j] as number) >= threshold) keep.push(j);
  return { keep, bound };
}
