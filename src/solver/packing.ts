/** Builds the float packing model of one component (local columns ↔ global bids). */
import type { Market } from '../model/market.js';
import type { LinearRow, PackingProblem } from './problem.js';

/** A component's packing model, with the item behind each packing row. */
export interface ComponentPacking extends PackingProblem {
  /** Row i packs rollup `rowKeys[i]` (< nRollups) or exclusive group `rowKeys[i] − nRollups`. */
  readonly rowKeys: Int32Array;
}

/**
 * Packing rows of a component: one per rollup and per exclusive group that at least two of its
 * bids share (rows with a single bid are implied by x ≤ 1). Rows are in rollup order, then
 * group order, so the model is a deterministic function of the component.
 */
export function buildPacking(market: Pick<Market, 'nRollups' | 'group' | 'bundleStart' | 'bundleItems'>, bids: Int32Array, weight: Float64Array, extraRows: readonly LinearRow[] = []): ComponentPacking {
  const n = bids.length;
  const keyCount = new Map<number, number>();
  const keyOf = (b: number, emit: (key: number) => void): void => {
    for (let k = market.bundleStart[b] as number; k < (market.bundleStart[b + 1] as number); k++) emit(market.bundleItems[k] as number);
    const g = market.group[b] as number;
    if (g >= 0) emit(market.nRollups + g);
  };
  for (let j = 0; j < n; j++) keyOf(bids[j] as number, (key) => keyCount.set(key, (keyCount.get(key) ?? 0) + 1));
  const keys = [...keyCount.entries()].filter(([, c]) => c >= 2).map(([key]) => key).sort((a, b) => a - b);
  const rowOf = new Map<number, number>();
  keys.forEach((key, i) => rowOf.set(key, i));
  const rowStart = new Int32Array(keys.length + 1);
  keys.forEach((key, i) => { rowStart[i + 1] = (rowStart[i] as number) + (keyCount.get(key) as number); });
  const fill = rowStart.slice(0, keys.length);
  const rowItems = new Int32Array(rowStart[keys.length] as number);
  for (let j = 0; j < n; j++) {
    keyOf(bids[j] as number, (key) => {
      const row = rowOf.get(key);
      if (row === undefined) return;
      rowItems[fill[row] as number] = j;
      fill[row] = (fill[row] as number) + 1;
    });
  }
  return { nCols: n, weight, rowStart, rowItems, extraRows, rowKeys: Int32Array.from(keys) };
}

/** Local column indices of a set of global winners (`bids` is ascending; others are ignored). */
export function localIndices(bids: Int32Array, winners: readonly number[]): number[] {
  const out: number[] = [];
  for (const w of winners) {
    // Binary search: bids are ascending global indices.
    let lo = 0;
    let hi = bids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = bids[mid] as number;
      if (v === w) { out.push(mid); break; }
      if (v < w) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}

/** Local 0/1 vector of a set of global winners (columns in `bids` order). */
export function toLocal(bids: Int32Array, winners: readonly number[]): Uint8Array {
  const x = new Uint8Array(bids.length);
  for (const j of localIndices(bids, winners)) x[j] = 1;
  return x;
}

/** Global winners of a local 0/1 vector. */
export function toGlobal(bids: Int32Array, x: Uint8Array): number[] {
  const out: number[] = [];
  x.forEach((v, j) => { if (v === 1) out.push(bids[j] as number); });
  return out;
}
