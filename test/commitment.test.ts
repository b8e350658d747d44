import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/model/digest.js';
import { InputError } from '../src/model/errors.js';
import { createInstance } from '../src/model/instance.js';
import { allocationCommitment } from '../src/verify/commitment.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

const instance = createInstance({
  rollups: [{ id: 'a', reserve: '7' }, { id: 'b' }, { id: 'c' }],
  bids: [
    { id: 'x10', bidder: 'p', bundle: ['a'], amount: '1000000000000000000000001' },
    { id: 'x2', bidder: 'q', bundle: ['b'], amount: '5' },
    { id: 'x9', bidder: 'q', bundle: ['b', 'c'], amount: '6' },
  ],
});

describe('allocation commitments', () => {
  it('canonical JSON: winners in canonical order, exact amounts, sorted keys; digest is its sha256', () => {
    const c = allocationCommitment(instance, { winners: ['x10', 'x2'] });
    expect(c.json).toBe('{"revenue":"1000000000000000000000006","value":"1000000000000000000000006","winners":["x2","x10"]}');
    expect(c.digest).toBe(sha256Hex(c.json));
    expect(c.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('same winners in any order give the same bytes; different winners a different digest', () => {
    const ids = ['x10', 'x2'];
    const reference = allocationCommitment(instance, { winners: ids }).digest;
    fc.assert(fc.property(fc.shuffledSubarray(ids, { minLength: 2, maxLength: 2 }), (order) => {
      expect(allocationCommitment(instance, { winners: order }).digest).toBe(reference);
    }), { seed: PROPERTY_SEED, numRuns: 20 });
    expect(allocationCommitment(instance, { winners: ['x10', 'x9'] }).digest).not.toBe(reference);
    expect(allocationCommitment(instance, { winners: [] }).json).toBe('{"revenue":"0","value":"7","winners":[]}');
  });

  it('refuses to commit to an invalid allocation, naming the reason', () => {
    expect(() => allocationCommitment(instance, { winners: ['x2', 'x9'] })).toThrow(InputError);
    expect(() => allocationCommitment(instance, { winners: ['x2', 'x2'] })).toThrow(/winners/);
  });
});
