/** A token bucket per client address: `burst` requests at once, refilled at `perSecond`. */
import type { RateLimitConfig } from './config.js';

/** Per-key token buckets; at most `maxKeys` tracked (oldest forgotten first). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly config: RateLimitConfig, private readonly maxKeys = 100_000) {}

  /** Takes a token for `key` at time `now` (ms); false when the bucket is empty. */
  take(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      b = { tokens: this.config.burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.config.burst, b.tokens + ((now - b.at) / 1000) * this.config.perSecond);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
