/**
 * Property-testing kit (`bundle-auction/testing`): fast-check arbitraries for instances,
 * allocations and challenges, and the market's invariants as reusable predicates. fast-check is
 * an optional peer dependency: install it to use this entry point.
 *
 * @example Property-test your own allocator in a few lines (vitest):
 * ```ts
 * import fc from 'fast-check';
 * import { instances, invariants } from 'bundle-auction/testing';
 * import { myAllocator } from './my-allocator.js';
 *
 * it('my allocator returns feasible allocations with exact values', () => {
 *   fc.assert(fc.property(instances({ maxRollups: 8, maxBids: 20, wei: true }), (instance) => {
 *     const { winners, value } = myAllocator(instance);
 *     return invariants.feasible(instance, { winners }) && invariants.valueIs(instance, { winners }, value);
 *   }));
 * });
 * ```
 */
import fc from 'fast-check';
import { createInstance } from '../model/instance.js';
import type { Allocation, Certificate, Instance } from '../model/types.js';
import { checkCertificate } from '../verify/certificate.js';
import { checkAllocation, compareAllocations } from '../verify/check.js';

/** Shape of generated instances; every field optional. */
export interface InstanceShape {
  /** Rollups: 1..maxRollups. Default 6. */
  readonly maxRollups?: number;
  /** Bids: minBids..maxBids. Defaults 0 and 12. */
  readonly minBids?: number;
  readonly maxBids?: number;
  /** Largest bundle. Default 5. */
  readonly maxBundle?: number;
  /** Amounts in [minAmount, maxAmount] base units. Defaults 0 and 1000, or 10^18..10^24 with `wei`. */
  readonly minAmount?: bigint;
  readonly maxAmount?: bigint;
  /** Wei-scale amounts (10^18..10^24) unless min/max are given. Default false. */
  readonly wei?: boolean;
  /**
   * Give most bids one of two exclusive group keys (`g0` twice as often as `g1`), so groups often
   * decide the optimum. Default true.
   */
  readonly groups?: boolean;
  /**
   * Reserves: three rollups in five get one, low (in [0, maxAmount/4]) or high (up to maxAmount),
   * so reserves often decide which bids win. Default true.
   */
  readonly reserves?: boolean;
  /** Multiply each amount by its bundle size (fewer dominated bids). Default false. */
  readonly priceBySize?: boolean;
}

/**
 * Random valid instances (rollups `r0..`, bids `b0..`, bidders `bidder0..2`, groups `g0`, `g1`).
 * Shaped so the rare cases are common: one-rollup and empty instances are a few percent, and in
 * the default shape exclusive groups change the optimum in about 14 % of instances and reserves
 * in about 33 % (measured by brute force over 1000 samples; `test/testing-kit.test.ts` counts).
 */
export function instances(shape: InstanceShape = {}): fc.Arbitrary<Instance> {
  const wei = shape.wei === true;
  const minAmount = shape.minAmount ?? (wei ? 10n ** 18n : 0n);
  const maxAmount = shape.maxAmount ?? (wei ? 10n ** 24n : 1000n);
  const maxBundle = shape.maxBundle ?? 5;
  return rollupCount(shape.maxRollups ?? 6).chain((nRollups) => {
    const reserve = shape.reserves === false
      ? fc.constant(0n)
      : fc.oneof(
        { weight: 2, arbitrary: fc.constant(0n) },
        { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: maxAmount / 4n }) },
        { weight: 1, arbitrary: fc.bigInt({ min: maxAmount / 4n, max: maxAmount }) },
      );
    const bundle = fc.uniqueArray(fc.integer({ min: 0, max: nRollups - 1 }), { minLength: 1, maxLength: Math.min(nRollups, maxBundle) });
    const group = shape.groups === false ? fc.constant(null) : fc.option(fc.constantFrom('g0', 'g0', 'g1'), { freq: 4 });
    const bid = fc.record({ bundle, amount: fc.bigInt({ min: minAmount, max: maxAmount }), group });
    return fc.record({
      reserves: fc.array(reserve, { minLength: nRollups, maxLength: nRollups }),
      bids: bidCount(shape.minBids ?? 0, shape.maxBids ?? 12).chain((n) => fc.array(bid, { minLength: n, maxLength: n })),
    }).map(({ reserves, bids }) => createInstance({
      rollups: reserves.map((r, i) => ({ id: `r${i}`, reserve: r })),
      bids: bids.map((b, i) => ({
        id: `b${i}`,
        bidder: `bidder${i % 3}`,
        bundle: b.bundle.map((r) => `r${r}`),
        amount: shape.priceBySize === true ? b.amount * BigInt(b.bundle.length) : b.amount,
        ...(b.group === null ? {} : { exclusive: b.group }),
      })),
    }));
  });
}

/** 1..max rollups, with one rollup a rare case (about 1 in 16) rather than one in `max`. */
function rollupCount(max: number): fc.Arbitrary<number> {
  return max <= 1 ? fc.constant(1) : fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 15, arbitrary: fc.integer({ min: 2, max }) });
}

/** min..max bids; when 0 is allowed, an empty market is a rare case (about 1 in 31). */
function bidCount(min: number, max: number): fc.Arbitrary<number> {
  if (min > 0 || max === 0) return fc.integer({ min, max });
  return fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 30, arbitrary: fc.integer({ min: Math.min(1, max), max }) });
}

/**
 * Random allocations of an instance: mostly subsets of its bid ids, sometimes with a repeated
 * id or a stranger (`"ghost"`, a case-changed id), so both valid and invalid ones occur.
 */
export function allocations(instance: Instance, maxWinners = 6): fc.Arbitrary<Allocation> {
  const ids = instance.bids.map((b) => b.id);
  const strangers = ['ghost', ...ids.slice(0, 2).map((id) => id.toUpperCase())];
  const id = ids.length === 0
    ? fc.constantFrom(...strangers)
    : fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constantFrom(...strangers) });
  return fc.array(id, { maxLength: maxWinners }).map((winners) => ({ winners }));
}

/** An instance with an incumbent and a challenger allocation. */
export function challenges(shape: InstanceShape = {}): fc.Arbitrary<{ instance: Instance; incumbent: Allocation; challenger: Allocation }> {
  return instances(shape).chain((instance) =>
    fc.record({ instance: fc.constant(instance), incumbent: allocations(instance), challenger: allocations(instance) }));
}

/** Options of {@link nearTies}. */
export interface NearTieOptions {
  /** Put about half of the bids (singletons and bundles) in exclusive group `g0` or `g1`. Default true. */
  readonly groups?: boolean;
  /**
   * Reserves on three rollups in five: most a few wei (−3..3) from the rollup's singleton bid, so
   * they decide near ties too; the rest low (≤ 10^18). Default true.
   */
  readonly reserves?: boolean;
}

/**
 * Near ties at wei scale: a singleton bid per rollup and bundle bids priced at the sum of their
 * members' singletons plus a delta of −3..3 wei, with exclusive groups and reserves a few wei
 * from the singletons: allocations whose values differ by a few wei out of 10^24, where groups
 * and reserves decide the optimum often (about 16 % and 33 % of instances).
 */
export function nearTies(maxRollups = 7, maxBundles = 8, options: NearTieOptions = {}): fc.Arbitrary<Instance> {
  const group = options.groups === false
    ? fc.constant(null)
    : fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('g0', 'g1') });
  const reserve = options.reserves === false
    ? fc.constant(null)
    : fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ near: fc.constant(false), value: fc.bigInt({ min: 0n, max: 10n ** 18n }) }) },
      { weight: 2, arbitrary: fc.record({ near: fc.constant(true), value: fc.bigInt({ min: -3n, max: 3n }) }) },
    );
  return fc.integer({ min: 2, max: maxRollups }).chain((n) => fc.record({
    singles: fc.array(fc.record({ amount: fc.bigInt({ min: 10n ** 18n, max: 10n ** 24n }), group }), { minLength: n, maxLength: n }),
    reserves: fc.array(reserve, { minLength: n, maxLength: n }),
    bundles: fc.array(fc.record({
      members: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: n }),
      delta: fc.bigInt({ min: -3n, max: 3n }),
      group,
    }), { minLength: 1, maxLength: maxBundles }),
  })).map(({ singles, reserves, bundles }) => {
    const single = (i: number): bigint => (singles[i] as { amount: bigint }).amount;
    return createInstance({
      rollups: singles.map((_, i) => {
        const r = reserves[i] ?? null;
        return { id: `r${i}`, reserve: r === null ? 0n : r.near ? single(i) + r.value : r.value };
      }),
      bids: [
        ...singles.map((s, i) => ({ id: `s${i}`, bidder: `s${i}`, bundle: [`r${i}`], amount: s.amount, ...(s.group === null ? {} : { exclusive: s.group }) })),
        ...bundles.map((b, k) => ({
          id: `x${k}`, bidder: `x${k}`, bundle: b.members.map((i) => `r${i}`),
          amount: b.members.reduce((acc, i) => acc + single(i), 0n) + b.delta,
          ...(b.group === null ? {} : { exclusive: b.group }),
        })),
      ],
    });
  });
}

/** The market's invariants as predicates (each returns a boolean; none throws on bad data). */
export const invariants = {
  /** Winners exist, are distinct, disjoint and use each exclusive group at most once. */
  feasible(instance: Instance, allocation: Allocation): boolean {
    return checkAllocation(instance, allocation).valid;
  },
  /** The allocation is feasible and worth exactly `value` (Σ amounts + unsold reserves). */
  valueIs(instance: Instance, allocation: Allocation, value: bigint): boolean {
    const c = checkAllocation(instance, allocation);
    return c.valid && c.value === value;
  },
  /** The challenger is feasible and strictly better than the incumbent (ties keep the incumbent). */
  challengerWins(instance: Instance, incumbent: Allocation, challenger: Allocation): boolean {
    return compareAllocations(instance, incumbent, challenger).accepted;
  },
  /** The certificate is a valid dual: it proves that no allocation is worth more than its bound. */
  certificateValid(instance: Instance, certificate: Certificate): boolean {
    return checkCertificate(instance, certificate).valid;
  },
  /** The allocation is no worse than the bound proven by a certificate (a sanity check for both). */
  withinBound(instance: Instance, allocation: Allocation, certificate: Certificate): boolean {
    const c = checkAllocation(instance, allocation);
    const b = checkCertificate(instance, certificate);
    return c.valid && b.valid && c.value <= b.bound;
  },
} as const;
