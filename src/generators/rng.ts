/** Seeded randomness for the generators: pure-rand's xoroshiro128+, same seed, same stream. */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { mix32 } from '../model/hash.js';

export { hashPrefix2, hashUnit, hashUnit2, hashUnit3, hashUnitAfter, mix32 } from '../model/hash.js';

/** A small convenience layer over one pure-rand generator. */
export class Rng {
  private readonly g: RandomGenerator;

  /** `parts` (e.g. seed, slot, stream label) are mixed into one 32-bit seed. */
  constructor(...parts: readonly number[]) {
    this.g = xoroshiro128plus(mix32(...parts));
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.g);
  }

  /** Uniform float in [a, b). */
  between(a: number, b: number): number {
    return a + (b - a) * this.float();
  }

  /** Uniform integer in [a, b] (inclusive). */
  int(a: number, b: number): number {
    return uniformInt(this.g, a, b);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('pick from an empty array');
    return item;
  }

  /** An index drawn with probability proportional to `weights` (non-negative, some > 0). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] ?? 0;
    return this.weightedOfTotal(weights, total);
  }

  /** {@link weighted} when the caller has summed the weights already, in index order. */
  weightedOfTotal(weights: ArrayLike<number>, total: number): number {
    let r = this.float() * total;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] ?? 0;
      if (w <= 0) continue;
      last = i;
      r -= w;
      if (r < 0) return i;
    }
    if (last < 0) throw new RangeError('weighted choice needs a positive weight');
    return last; // float round-off: fall back to the last positive weight
  }

  /** `k` distinct integers from [0, n), in draw order (partial Fisher–Yates). */
  sample(n: number, k: number): number[] {
    if (4 * k < n) {
      // Few of many: rejection keeps this O(k) instead of O(n).
      const seen = new Set<number>();
      const picked: number[] = [];
      while (picked.length < k) {
        const i = this.int(0, n - 1);
        if (!seen.has(i)) {
          seen.add(i);
          picked.push(i);
        }
      }
      return picked;
    }
    const pool = Array.from({ length: n }, (_, i) => i);
    const out: number[] = [];
    for (let i = 0; i < Math.min(k, n); i++) {
      const j = this.int(i, n - 1);
      const a = pool[i] as number;
      const b = pool[j] as number;
      pool[i] = b;
      pool[j] = a;
      out.push(b);
    }
    return out;
  }
}
