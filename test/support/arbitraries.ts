/** fast-check arbitraries for instances used across the test suite. */
import fc from 'fast-check';
import { createInstance } from '../../src/model/instance.js';
import type { Instance } from '../../src/model/types.js';

/** Shape of generated instances. */
export interface InstanceShape {
  readonly maxRollups: number;
  readonly minBids?: number;
  readonly maxBids: number;
  /** Amounts are drawn in [0, maxAmount]; reserves in [0, maxAmount / 4]. */
  readonly minAmount?: bigint;
  readonly maxAmount: bigint;
  /** Give some bids one of three exclusive group keys. */
  readonly groups?: boolean;
  /** Multiply each amount by its bundle size (fewer dominated bids: harder instances). */
  readonly priceBySize?: boolean;
  /** Largest bundle. Default 5. */
  readonly maxBundle?: number;
}

/** Random valid instances (ids r0.., b0..; a few exclusive keys). */
export function instanceArb(shape: InstanceShape): fc.Arbitrary<Instance> {
  const minAmount = shape.minAmount ?? 0n;
  return fc.integer({ min: 1, max: shape.maxRollups }).chain((nRollups) => {
    const rollup = fc.bigInt({ min: 0n, max: shape.maxAmount / 4n });
    const bundle = fc.uniqueArray(fc.integer({ min: 0, max: nRollups - 1 }), { minLength: 1, maxLength: Math.min(nRollups, shape.maxBundle ?? 5) });
    const group = shape.groups === true ? fc.option(fc.constantFrom('g0', 'g1', 'g2'), { freq: 3 }) : fc.constant(null);
    const bid = fc.record({ bundle, amount: fc.bigInt({ min: minAmount, max: shape.maxAmount }), group });
    return fc.record({
      reserves: fc.array(fc.oneof(fc.constant(0n), rollup), { minLength: nRollups, maxLength: nRollups }),
      bids: fc.array(bid, { minLength: shape.minBids ?? 0, maxLength: shape.maxBids }),
    }).map(({ reserves, bids }) => createInstance({
      rollups: reserves.map((reserve, i) => ({ id: `r${i}`, reserve })),
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

/** Seed for property tests: FC_SEED from the environment, else a fixed one (printed on failure). */
export const PROPERTY_SEED = Number(process.env['FC_SEED'] ?? 20261124);

/**
 * Near ties at wei scale: a singleton bid per rollup and bundle bids priced at the sum of their
 * members' singletons plus a delta of −3..3 wei, with optional reserves: allocations whose
 * values differ by a few wei out of 10^24.
 */
export function nearTieArb(maxRollups: number, maxBundles: number): fc.Arbitrary<Instance> {
  return fc.integer({ min: 2, max: maxRollups }).chain((n) => fc.record({
    singles: fc.array(fc.bigInt({ min: 10n ** 18n, max: 10n ** 24n }), { minLength: n, maxLength: n }),
    reserves: fc.array(fc.option(fc.bigInt({ min: 0n, max: 10n ** 18n }), { freq: 2 }), { minLength: n, maxLength: n }),
    bundles: fc.array(fc.record({
      members: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: n }),
      delta: fc.bigInt({ min: -3n, max: 3n }),
    }), { minLength: 1, maxLength: maxBundles }),
  })).map(({ singles, reserves, bundles }) => createInstance({
    rollups: singles.map((_, i) => ({ id: `r${i}`, reserve: reserves[i] ?? 0n })),
    bids: [
      ...singles.map((amount, i) => ({ id: `s${i}`, bidder: `s${i}`, bundle: [`r${i}`], amount })),
      ...bundles.map((b, k) => {
        const sum = b.members.reduce((acc, i) => acc + (singles[i] as bigint), 0n);
        return { id: `x${k}`, bidder: `x${k}`, bundle: b.members.map((i) => `r${i}`), amount: sum + b.delta };
      }),
    ],
  }));
}
