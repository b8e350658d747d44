/** Seeded instance generators: CATS families, Sandholm's legacy ones, bidder-interest, rollup market. */
import { UsageError } from '../model/errors.js';
import type { Instance } from '../model/types.js';
import { ARBITRARY, BIDDER_INTEREST, gridCompat, interestInstance, randomCompat } from './interest.js';
import { legacyInstance } from './legacy.js';
import { matchingInstance } from './matching.js';
import { pathsInstance } from './paths.js';
import { rollupMarketInstance } from './rollup-market.js';
import { schedulingInstance } from './scheduling.js';

/** Family names accepted by {@link generateInstance} and `generate --family`. */
export const GENERATOR_FAMILIES = [
  'arbitrary', 'regions', 'paths', 'matching', 'scheduling',
  'random', 'weighted-random', 'uniform', 'decay',
  'bidder-interest', 'rollup-market',
] as const;

/** A generator family name. */
export type GeneratorFamily = (typeof GENERATOR_FAMILIES)[number];

/** Size and seed of a generated instance. */
export interface GenerateOptions {
  /** Number of rollups (goods), ≥ 1. */
  readonly rollups: number;
  /** Number of bids, ≥ 1; the instance has exactly this many. */
  readonly bids: number;
  /** PRNG seed (non-negative safe integer). Default 0. Same seed, same instance. */
  readonly seed?: number;
  /** rollup-market only: the slot whose MEV and bids are drawn (the market itself is fixed by the seed). Default 0. */
  readonly slot?: number;
}

/**
 * Generates an instance of `family`. CATS-style and bidder-interest prices have 4 decimals,
 * Sandholm's 6; rollup-market amounts are wei with reserves. Deterministic in (family, options).
 * @param family - one of {@link GENERATOR_FAMILIES} (a compile error otherwise; checked at run time too).
 * @throws UsageError on an unknown family or a size that is not a positive integer.
 */
export function generateInstance(family: GeneratorFamily, options: GenerateOptions): Instance {
  const { rollups: n, bids: m } = options;
  const seed = options.seed ?? 0;
  const count = (name: string, v: number, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`generate: ${name} must be an integer ≥ ${min}, got ${String(v)}`);
  };
  count('rollups', n, 1);
  count('bids', m, 1);
  count('seed', seed, 0);
  count('slot', options.slot ?? 0, 0);
  const f: GeneratorFamily = family;
  switch (f) {
    case 'arbitrary':
      return interestInstance(n, m, seed, ARBITRARY, randomCompat);
    case 'bidder-interest':
      return interestInstance(n, m, seed, BIDDER_INTEREST, randomCompat);
    case 'regions':
      return interestInstance(n, m, seed, ARBITRARY, (salt) => gridCompat(n, salt));
    case 'paths':
      return pathsInstance(n, m, seed);
    case 'matching':
      return matchingInstance(n, m, seed);
    case 'scheduling':
      return schedulingInstance(n, m, seed);
    case 'random':
    case 'weighted-random':
    case 'uniform':
    case 'decay':
      return legacyInstance(f, n, m, seed);
    case 'rollup-market':
      return rollupMarketInstance(n, m, seed, options.slot ?? 0);
    default:
      // Reachable from untyped callers (JavaScript, parsed options).
      throw new UsageError(`unknown generator family ${JSON.stringify(family as unknown)}: expected one of ${GENERATOR_FAMILIES.join(', ')}`);
  }
}
