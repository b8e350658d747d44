/** Stable integer hashing for seeds: the same parts give the same value on every platform. */

/** 32-bit integer mix of several integers (murmur3-style finaliser), stable across platforms. */
export function mix32(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold the high bits of values above 2^32 in, so large seeds stay distinct.
    const lo = p >>> 0;
    const hi = Math.floor(p / 2 ** 32) >>> 0;
    for (const w of [lo, hi]) {
      h = Math.imul(h ^ w, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h | 0;
}

/** A uniform float in [0, 1) from a hash of the given integers (no stream state). */
export function hashUnit(...parts: readonly number[]): number {
  return (mix32(...parts) >>> 0) / 2 ** 32;
}

/** One word of {@link mix32}'s loop. */
function mixWord(h: number, w: number): number {
  h = Math.imul(h ^ w, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One part (low then high 32 bits) of {@link mix32}'s loop. */
function mixPart(h: number, p: number): number {
  return mixWord(mixWord(h, p >>> 0), Math.floor(p / 2 ** 32) >>> 0);
}

/** `hashUnit(a, b)` without the rest-parameter array: the same value, for hot loops. */
export function hashUnit2(a: number, b: number): number {
  return ((mixPart(mixPart(0x9e3779b9, a), b) | 0) >>> 0) / 2 ** 32;
}

/** `hashUnit(a, b, c)` without the rest-parameter array: the same value, for hot loops. */
export function hashUnit3(a: number, b: number, c: number): number {
  return ((mixPart(mixPart(mixPart(0x9e3779b9, a), b), c) | 0) >>> 0) / 2 ** 32;
}

/** The state {@link hashUnit3} reaches after its first two parts: `hashUnitAfter(hashPrefix2(a, b), c) === hashUnit3(a, b, c)`. */
export function hashPrefix2(a: number, b: number): number {
  return mixPart(mixPart(0x9e3779b9, a), b);
}

/** {@link hashUnit3} from a {@link hashPrefix2} state and the last part (one third of the work). */
export function hashUnitAfter(prefix: number, c: number): number {
  return ((mixPart(prefix, c) | 0) >>> 0) / 2 ** 32;
}
