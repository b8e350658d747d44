import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInstance } from '../src/model/instance.js';
import type { Certificate, Instance } from '../src/model/types.js';
import { lpCertificate } from '../src/solver/certificate.js';
import { solve } from '../src/solver/solve.js';
import { checkCertificate } from '../src/verify/certificate.js';
import { checkAllocation, compareAllocations } from '../src/verify/check.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { bruteForceValue, recheck } from './support/oracle.js';

const tiny = instances({ maxRollups: 5, maxBids: 8, maxAmount: 10n ** 24n, groups: true });

/** Random allocations over an instance: subsets of its ids, sometimes with repeats or strangers. */
const withAllocation = tiny.chain((inst) => {
  const ids = inst.bids.map((b) => b.id);
  const id = ids.length === 0 ? fc.constant('ghost') : fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constantFrom('ghost', 'B0', 'b0 ') });
  return fc.tuple(fc.constant(inst), fc.array(id, { maxLength: 5 }), fc.array(id, { maxLength: 5 }));
});

const oracle = (inst: Instance, winners: readonly string[]): bigint | null => {
  try {
    return recheck(inst, winners).value;
  } catch {
    return null;
  }
};

describe('verifier soundness (10^4 generated cases per property)', () => {
  it('accepts exactly the feasible allocations and computes their value exactly', () => {
    fc.assert(fc.property(withAllocation, ([inst, winners]) => {
      const c = checkAllocation(inst, { winners });
      const expected = oracle(inst, winners);
      expect(c.valid).toBe(expected !== null);
      expect(c.value).toBe(expected);
      if (!c.valid) expect(c.reason).toMatch(/winners\[\d+\]/);
    }), { seed: PROPERTY_SEED, numRuns: 10_000 });
  });

  it('a challenger wins only when valid and strictly better; ties keep the incumbent', () => {
    fc.assert(fc.property(withAllocation, ([inst, incumbent, challenger]) => {
      const cmp = compareAllocations(inst, { winners: incumbent }, { winners: challenger });
      const vi = oracle(inst, incumbent);
      const vc = oracle(inst, challenger);
      const expected = vc !== null && (vi === null || vc > vi);
      expect(cmp.accepted).toBe(expected);
    }), { seed: PROPERTY_SEED, numRuns: 10_000 });
  });
});

describe('certificates', () => {
  it('LP certificates check, bound the optimum, and any price lowered past its slack is rejected', async () => {
    await fc.assert(fc.asyncProperty(tiny, fc.nat(), async (inst, pick) => {
      const { certificate, bound } = await lpCertificate(inst);
      const check = checkCertificate(inst, certificate);
      expect(check).toEqual({ valid: true, bound, reason: null });
      expect(bound >= bruteForceValue(inst)).toBe(true);
      const lowered = lowerOnePrice(inst, certificate, pick);
      expect(checkCertificate(inst, lowered).valid).toBe(false);
    }), { seed: PROPERTY_SEED, numRuns: 300 });
  });

  it('the bound is the LP optimum up to rounding on a known case', async () => {
    // Three rollups, three pair bids of 2: the LP puts 1/2 on each pair (value 3), the integer optimum is 2.
    const inst = createInstance({
      rollups: ['a', 'b', 'c'].map((id) => ({ id })),
      bids: [['a', 'b'], ['b', 'c'], ['a', 'c']].map((bundle, i) => ({ id: `p${i}`, bidder: 'x', bundle, amount: 2 })),
    });
    const { bound } = await lpCertificate(inst);
    expect(bound).toBe(3n);
    expect((await solve(inst)).value).toBe(2n);
  });

  it('rejects negative prices, prices below reserve and unknown ids with a reason', () => {
    const inst = createInstance({ rollups: [{ id: 'a', reserve: 5 }], bids: [{ id: 'b', bidder: 'x', bundle: ['a'], amount: 7 }] });
    const cert = (prices: [string, bigint][], groups: [string, bigint][] = []): Certificate => ({ rollups: new Map(prices), groups: new Map(groups) });
    expect(checkCertificate(inst, cert([['a', 7n]]))).toEqual({ valid: true, bound: 7n, reason: null });
    expect(checkCertificate(inst, cert([['a', -1n]])).reason).toMatch(/negative/);
    expect(checkCertificate(inst, cert([['a', 6n]])).reason).toMatch(/bid "b".*below its amount 7/);
    expect(checkCertificate(inst, cert([['a', 4n]])).reason).toMatch(/below its reserve 5/);
    expect(checkCertificate(inst, cert([['zz', 9n]])).reason).toMatch(/unknown rollup "zz"/);
    expect(checkCertificate(inst, cert([['a', 7n]], [['g', 1n]])).reason).toMatch(/unknown exclusive group "g"/);
  });
});

describe('adversarial allocations', () => {
  const inst = createInstance({
    rollups: [{ id: 'r1' }, { id: 'r2' }],
    bids: [
      { id: 'b1', bidder: 'x', bundle: ['r1'], amount: 3 },
      { id: 'café', bidder: 'y', bundle: ['r2'], amount: 4 },
      { id: 'g1', bidder: 'z', bundle: ['r2'], amount: 1, exclusive: 'k' },
      { id: 'g2', bidder: 'z', bundle: ['r1'], amount: 1, exclusive: 'k' },
    ],
  });

  it('names a bid named twice', () => {
    expect(checkAllocation(inst, { winners: ['b1', 'café', 'b1'] }).reason).toBe('winners[2]: bid "b1" is named twice (first at winners[0])');
  });

  it('rejects ids differing only in case or Unicode normalisation, and says so', () => {
    expect(checkAllocation(inst, { winners: ['B1'] }).reason).toMatch(/^winners\[0\]: "B1" names no bid.*"b1" differs in case/);
    expect(checkAllocation(inst, { winners: ['cafe\u0301'] }).reason).toMatch(/names no bid.*"café" differs in case or Unicode form/);
  });

  it('names the shared rollup and the exclusive group', () => {
    expect(checkAllocation(inst, { winners: ['café', 'g1'] }).reason).toMatch(/bid "g1" shares rollup "r2" with bid "café"/);
    expect(checkAllocation(inst, { winners: ['g1', 'g2'] }).reason).toMatch(/exclusive group "k" already used by bid "g1"/);
  });

  it('handles 10^6 winners without quadratic blow-up', () => {
    const big = createInstance({
      rollups: Array.from({ length: 1000 }, (_, i) => ({ id: `r${i}` })),
      bids: Array.from({ length: 1000 }, (_, i) => ({ id: `b${i}`, bidder: 'x', bundle: [`r${i}`], amount: 1 })),
    });
    const winners = Array.from({ length: 1_000_000 }, (_, i) => `b${i % 1000}`);
    const started = performance.now();
    const c = checkAllocation(big, { winners });
    expect(c.reason).toBe('winners[1000]: bid "b0" is named twice (first at winners[0])');
    const valid = checkAllocation(big, { winners: winners.slice(0, 1000) });
    expect(valid.value).toBe(1000n);
    expect(performance.now() - started).toBeLessThan(5000); // generous: guards against O(n²) only
  });
});

/** Lowers one price by (its smallest slack + 1), which must break some constraint. */
function lowerOnePrice(inst: Instance, cert: Certificate, pick: number): Certificate {
  const items = [...cert.rollups.keys()];
  const id = items[pick % items.length] as string;
  const price = cert.rollups.get(id) ?? 0n;
  const reserve = inst.rollups.find((r) => r.id === id)?.reserve ?? 0n;
  let slack = price - reserve;
  for (const b of inst.bids) {
    if (!b.bundle.includes(id)) continue;
    let sum = b.exclusive === undefined ? 0n : (cert.groups.get(b.exclusive) ?? 0n);
    for (const r of b.bundle) sum += cert.rollups.get(r) ?? 0n;
    if (sum - b.amount < slack) slack = sum - b.amount;
  }
  return { rollups: new Map([...cert.rollups, [id, price - slack - 1n]]), groups: cert.groups };
}
