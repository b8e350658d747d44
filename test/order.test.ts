/**
 * Canonical id order: the allocation-free comparator equals, in sign, the chunk-by-regex
 * definition it replaced (kept here as the reference), on ids made of digit runs with leading
 * zeros, letters, punctuation and non-ASCII code units; and it is a total order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIds, sortIds } from '../src/model/order.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

/** The reference: split into /(\d+|\D+)/ chunks and compare them (the original definition). */
function referenceCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ca = a.match(/(\d+|\D+)/g) ?? [];
  const cb = b.match(/(\d+|\D+)/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const xd = /^\d/.test(x);
    const yd = /^\d/.test(y);
    if (xd && yd) {
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      continue;
    }
    if (xd !== yd) return xd ? -1 : 1;
    return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : 1;
}

const unit = fc.constantFrom('0', '0', '1', '2', '9', '10', 'a', 'b', 'z', 'B', '-', '/', '_', 'é', '\u{1F980}', '٣');
const id = fc.array(unit, { maxLength: 8 }).map((parts) => parts.join(''));
/** Two ids, a quarter of them equal up to a leading zero added to one digit run. */
const pair = fc.oneof(
  { arbitrary: fc.tuple(id, id), weight: 3 },
  { arbitrary: fc.tuple(id, fc.nat()).map(([a, k]): [string, string] => {
    const runs = [...a.matchAll(/\d+/g)];
    const run = runs[k % Math.max(1, runs.length)];
    return [a, run === undefined ? `${a}0` : `${a.slice(0, run.index)}0${a.slice(run.index)}`];
  }), weight: 1 },
);

describe('canonical id order', () => {
  it('agrees in sign with the regex definition on every pair', () => {
    let numericTies = 0;
    fc.assert(fc.property(pair, ([a, b]) => {
      const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);
      expect(sign(compareIds(a, b))).toBe(sign(referenceCompare(a, b)));
      expect(sign(compareIds(b, a))).toBe(-sign(compareIds(a, b)) || 0);
      if (a !== b && a.replace(/(^|\D)0+(?=\d)/g, '$1') === b.replace(/(^|\D)0+(?=\d)/g, '$1')) numericTies++;
    }), { seed: PROPERTY_SEED, numRuns: 20_000 });
    // Guard: ids equal up to leading zeros (the tie broken by code units) were compared.
    expect(numericTies).toBeGreaterThan(20);
  });

  it('sorts into a total order: every adjacent pair ascending, same result from any input order', () => {
    fc.assert(fc.property(fc.array(id, { maxLength: 40 }), (ids) => {
      const sorted = sortIds(ids);
      for (let i = 1; i < sorted.length; i++) expect(compareIds(sorted[i - 1] as string, sorted[i] as string)).toBeLessThanOrEqual(0);
      expect(sortIds([...ids].reverse())).toEqual(sorted);
    }), { seed: PROPERTY_SEED, numRuns: 500 });
  });

  it('orders the usual ids naturally', () => {
    expect(sortIds(['b10', 'b2', 'b1', 'a', 'b01', 'b', 'r0', '10', '9'])).toEqual(['9', '10', 'a', 'b', 'b01', 'b1', 'b2', 'b10', 'r0']);
  });
});
