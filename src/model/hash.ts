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
