import { describe, expect, it } from 'vitest';
import { instanceToJson, parseInstanceJson } from '../src/formats/json.js';
import { GENERATOR_FAMILIES, generateInstance, type GenerateOptions } from '../src/generators/index.js';
import { ARBITRARY, BIDDER_INTEREST, DENSE_MAX_GOODS, gridCompat, interestInstance, randomCompat } from '../src/generators/interest.js';
import { PATHS_DENSE_MAX_GOODS, pathsInstance } from '../src/generators/paths.js';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';
import { UsageError } from '../src/model/errors.js';
import { solve } from '../src/solver/solve.js';
import { bruteForceValue } from './support/oracle.js';

const XOR_FAMILIES = new Set(['arbitrary', 'regions', 'paths', 'matching', 'scheduling', 'bidder-interest', 'rollup-market']);

describe('generators', () => {
  for (const family of GENERATOR_FAMILIES) {
    describe(family, () => {
      it('gives exactly the requested size, valid and reproducible from the seed', () => {
        for (const [rollups, bids] of [[1, 1], [3, 7], [40, 200]] as const) {
          const a = generateInstance(family, { rollups, bids, seed: 11 });
          expect(a.rollups.length).toBe(rollups);
          expect(a.bids.length).toBe(bids);
          const text = instanceToJson(a);
          // Same seed, same bytes; the JSON re-validates to the same instance.
          expect(instanceToJson(generateInstance(family, { rollups, bids, seed: 11 }))).toBe(text);
          expect(instanceToJson(parseInstanceJson(text))).toBe(text);
        }
        const other = instanceToJson(generateInstance(family, { rollups: 40, bids: 200, seed: 12 }));
        expect(other).not.toBe(instanceToJson(generateInstance(family, { rollups: 40, bids: 200, seed: 11 })));
      });

      it('uses XOR groups exactly when the family has substitutes', () => {
        const inst = generateInstance(family, { rollups: 40, bids: 300, seed: 3 });
        const grouped = inst.bids.filter((b) => b.exclusive !== undefined).length;
        if (XOR_FAMILIES.has(family)) expect(grouped).toBeGreaterThan(0);
        else expect(grouped).toBe(0);
        // Every group key is shared by at least two bids (singleton groups are dropped).
        const size = new Map<string, number>();
        for (const b of inst.bids) if (b.exclusive !== undefined) size.set(b.exclusive, (size.get(b.exclusive) ?? 0) + 1);
        for (const n of size.values()) expect(n).toBeGreaterThanOrEqual(2);
      });

      it('small instances solve to the exhaustive optimum', async () => {
        for (const seed of [1, 2, 3]) {
          const inst = generateInstance(family, { rollups: 6, bids: 11, seed });
          const result = await solve(inst, { method: 'exact' });
          expect(result.status).toBe('optimal');
          expect(result.value).toBe(bruteForceValue(inst));
        }
      });
    });
  }

  it('rollup-market: wei amounts with sub-gwei tails, reserves, fixed market across slots', () => {
    const s0 = generateInstance('rollup-market', { rollups: 30, bids: 200, seed: 5, slot: 0 });
    const s1 = generateInstance('rollup-market', { rollups: 30, bids: 200, seed: 5, slot: 1 });
    expect(s0.decimals).toBe(0);
    expect(s0.bids.some((b) => b.amount % 1_000_000_000n !== 0n)).toBe(true);
    expect(s0.bids.some((b) => b.amount > 10n ** 15n)).toBe(true);
    const reserves = s0.rollups.map((r) => r.reserve);
    expect(reserves.some((r) => r === 0n)).toBe(true);
    expect(reserves.some((r) => r > 0n)).toBe(true);
    // The market (ids, reserves) is the seed's; the slot changes MEV and bids.
    expect(s1.rollups).toEqual(s0.rollups);
    expect(instanceToJson(s1)).not.toBe(instanceToJson(s0));
    // Builders refuse some rollups: no builder bids on every rollup.
    const touched = new Map<string, Set<string>>();
    for (const b of s0.bids) for (const r of b.bundle) (touched.get(b.bidder) ?? touched.set(b.bidder, new Set()).get(b.bidder))?.add(r);
    expect([...touched.values()].every((set) => set.size < s0.rollups.length)).toBe(true);
  });

  it('builds, without re-validating, exactly the instance createInstance validates, for every family', () => {
    for (const family of GENERATOR_FAMILIES) {
      for (const [rollups, bids, seed] of [[6, 20, 1], [40, 120, 2]] as const) {
        const generated = generateInstance(family, { rollups, bids, seed });
        expect(createInstance(generated)).toEqual(generated);
      }
    }
  });

  it('rejects unknown families and bad sizes with a usage error naming the choices', () => {
    const untyped = generateInstance as (family: string, options: GenerateOptions) => Instance;
    expect(() => untyped('nope', { rollups: 5, bids: 5 })).toThrow(UsageError);
    expect(() => untyped('nope', { rollups: 5, bids: 5 })).toThrow(/expected one of arbitrary, regions/);
    expect(() => generateInstance('decay', { rollups: 0, bids: 5 })).toThrow(/rollups must be an integer ≥ 1, got 0/);
    expect(() => generateInstance('decay', { rollups: 5, bids: 2.5 })).toThrow(/bids must be an integer/);
    expect(() => generateInstance('decay', { rollups: 5, bids: 5, seed: -1 })).toThrow(/seed/);
  });
});

describe('large-instance samplers draw from the same law as the dense ones', () => {
  type Sampler = 'dense' | 'lazy';
  const n = 200;
  const bids = 1500;
  const families: readonly [string, (seed: number, sampler: Sampler) => Instance][] = [
    ['arbitrary', (seed, sampler) => interestInstance(n, bids, seed, ARBITRARY, randomCompat, sampler)],
    ['bidder-interest', (seed, sampler) => interestInstance(n, bids, seed, BIDDER_INTEREST, randomCompat, sampler)],
    ['regions', (seed, sampler) => interestInstance(n, bids, seed, ARBITRARY, (salt) => gridCompat(n, salt), sampler)],
    ['paths', (seed, sampler) => pathsInstance(n, bids, seed, sampler)],
  ];
  /** Pooled over seeds: mean bundle size, mean amount per bundle member, share of bids in XOR groups. */
  function moments(make: (seed: number) => Instance): [number, number, number] {
    let size = 0;
    let amount = 0;
    let xor = 0;
    let count = 0;
    for (let seed = 1; seed <= 8; seed++) {
      for (const b of make(seed).bids) {
        size += b.bundle.length;
        amount += Number(b.amount) / b.bundle.length;
        xor += b.exclusive === undefined ? 0 : 1;
        count++;
      }
    }
    return [size / count, amount / count, xor / count];
  }

  for (const [family, make] of families) {
    it(`${family}: bundle size, price per item and XOR share agree within 8 %`, () => {
      const dense = moments((seed) => make(seed, 'dense'));
      const lazy = moments((seed) => make(seed, 'lazy'));
      for (let k = 0; k < 3; k++) expect(Math.abs((lazy[k] as number) / (dense[k] as number) - 1)).toBeLessThan(0.08);
    });
  }

  it('the lazy samplers take over above their thresholds: valid, and the same seed gives the same bytes', () => {
    for (const family of ['arbitrary', 'bidder-interest', 'regions', 'paths'] as const) {
      const rollups = (family === 'paths' ? PATHS_DENSE_MAX_GOODS : DENSE_MAX_GOODS) + 1;
      const text = instanceToJson(generateInstance(family, { rollups, bids: 300, seed: 4 }));
      expect(instanceToJson(generateInstance(family, { rollups, bids: 300, seed: 4 }))).toBe(text);
      expect(parseInstanceJson(text).bids).toHaveLength(300);
      // The same seed just below the threshold is the dense sampler's instance: a different one.
      expect(instanceToJson(generateInstance(family, { rollups: rollups - 1, bids: 300, seed: 4 }))).not.toBe(text);
    }
  });
});
