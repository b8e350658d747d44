import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/model/errors.js';
import { closestKey, editDistance, rejectUnknownKeys } from '../src/model/keys.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

/** Plain Levenshtein with adjacent swaps, by full table: the reference for editDistance. */
function referenceDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('unknown keys', () => {
  it('names the key, its path and the closest known key', () => {
    const error = (() => {
      try {
        rejectUnknownKeys({ id: 'a', resrve: '100' }, ['id', 'reserve'], { source: 'm.json', path: 'rollups[0]' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).shortMessage).toBe('m.json: rollups[0].resrve: unknown key "resrve"; did you mean "reserve"?');
  });

  it('lists the known keys when nothing is close, and quotes keys that are not identifiers', () => {
    expect(() => rejectUnknownKeys({ 'zzz top': 1 }, ['rollups', 'bids'], { path: '(root)' })).toThrow('["zzz top"]: unknown key "zzz top"; known keys: "rollups", "bids"');
  });

  it('accepts objects with known keys only', () => {
    expect(() => rejectUnknownKeys({ id: 'a' }, ['id', 'reserve'], { path: '' })).not.toThrow();
  });

  it('suggests a known key after one typo of any kind, and a case-only mismatch', () => {
    expect(closestKey('exclusve', ['id', 'bidder', 'bundle', 'amount', 'exclusive'])).toBe('exclusive');
    expect(closestKey('amuont', ['amount'])).toBe('amount');
    expect(closestKey('Reserve', ['reserve'])).toBe('reserve');
    expect(closestKey('colour', ['id', 'bundle'])).toBeUndefined();
  });

  it('editDistance equals the full-table reference', () => {
    fc.assert(fc.property(fc.string({ maxLength: 9 }), fc.string({ maxLength: 9 }), (a, b) => editDistance(a, b) === referenceDistance(a, b)), { seed: PROPERTY_SEED, numRuns: 2000 });
  });
});
