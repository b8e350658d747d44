import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lagrangianFilter } from '../src/solver/bounds.js';
import type { PackingProblem } from '../src/solver/problem.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

/** Random packing problems: ≤ 10 integer-weight columns, rows as column sets, any duals. */
const cases = fc.integer({ min: 2, max: 10 }).chain((n) => fc.record({
  weight: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: n, maxLength: n }),
  rows: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: n }), { maxLength: 8 }),
  duals: fc.array(fc.double({ min: -25, max: 25, noNaN: true }), { minLength: 8, maxLength: 8 }),
  incumbentShare: fc.double({ min: 0.7, max: 1, noNaN: true }),
}));

function problemOf(weight: readonly number[], rows: readonly (readonly number[])[]): PackingProblem {
  const rowStart = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => { rowStart[i + 1] = (rowStart[i] as number) + r.length; });
  return { nCols: weight.length, weight: Float64Array.from(weight), rowStart, rowItems: Int32Array.from(rows.flat()), extraRows: [] };
}

/** Best packing weight with column j forced in (−Infinity if none), and overall, by enumeration. */
function bestWith(p: PackingProblem, rows: readonly (readonly number[])[]): { overall: number; withColumn: number[] } {
  const withColumn = new Array<number>(p.nCols).fill(-Infinity);
  let overall = 0;
  for (let mask = 0; mask < 1 << p.nCols; mask++) {
    if (rows.some((r) => r.filter((j) => (mask >> j) & 1).length > 1)) continue;
    let w = 0;
    for (let j = 0; j < p.nCols; j++) if ((mask >> j) & 1) w += p.weight[j] as number;
    overall = Math.max(overall, w);
    for (let j = 0; j < p.nCols; j++) if ((mask >> j) & 1) withColumn[j] = Math.max(withColumn[j] as number, w);
  }
  return { overall, withColumn };
}

const DROPS = 200;

describe('lagrangianFilter (reduced-cost fixing with arbitrary duals)', () => {
  it('never drops a column of a packing that beats the incumbent, and bounds every packing', () => {
    let dropped = 0;
    fc.assert(fc.property(cases, ({ weight, rows, duals, incumbentShare }) => {
      const p = problemOf(weight, rows);
      const { overall, withColumn } = bestWith(p, rows);
      const incumbent = Math.floor(incumbentShare * overall);
      const { keep, bound } = lagrangianFilter(p, duals, incumbent);
      expect(bound).toBeGreaterThanOrEqual(overall - 1e-9);
      const kept = new Set(keep);
      for (let j = 0; j < p.nCols; j++) {
        if (kept.has(j)) continue;
        dropped++;
        expect(withColumn[j]).toBeLessThanOrEqual(incumbent);
      }
    }), { seed: PROPERTY_SEED, numRuns: 3000 });
    // The property must have exercised actual drops.
    expect(dropped).toBeGreaterThan(DROPS);
  });
});
