/** Ticket price update between lottery rounds (docs/DESIGN.md §1: sold out → raise, far below cap → lower). */
import { UsageError, describeValue } from '../model/errors.js';
import { rejectUnknownKeys, type ObjectSite } from '../model/keys.js';
import { ceilDiv } from '../model/money.js';
import type { PricingRule } from './types.js';

/** Default rule: +12.5% when sold out (≥ cap), −12.5% when fewer than 50% of the cap were sold. */
export const DEFAULT_PRICING: PricingRule = { kind: 'multiplicative', raiseBps: 1250, lowerBps: 1250, lowerBelowBps: 5000 };

/** EIP-1559-style default: target 50% of the cap, at most ±12.5% per round (denominator 8). */
export const DEFAULT_EIP1559_PRICING: PricingRule = { kind: 'eip1559', targetBps: 5000, denominator: 8 };

const BPS = 10_000n;

/**
 * The ticket price of the next round, exact in integers.
 *
 * - `multiplicative`: sold ≥ cap → ⌈price·(10⁴ + raiseBps)/10⁴⌉; sold·10⁴ < lowerBelowBps·cap →
 *   ⌊price·(10⁴ − lowerBps)/10⁴⌋; otherwise unchanged.
 * - `eip1559`: with target = targetBps·cap/10⁴, price + price·(sold − target)/(target·denominator),
 *   rounded up when above target (and at least +1) and down when below.
 *
 * A positive price never falls below 1 (so it can rise again); a price of 0 stays 0 (free
 * tickets: pricing is off).
 *
 * @param sold - tickets sold this round (≥ 0).
 * @param cap - the round's cap K (≥ 1).
 * @throws {UsageError} on a negative price or sold count, a cap below 1, or rule parameters out
 *   of range (see {@link checkPricingRule}).
 */
export function nextPrice(price: bigint, sold: number, cap: number, rule: PricingRule = DEFAULT_PRICING): bigint {
  if (price < 0n) throw new UsageError(`price must not be negative (received ${price})`);
  if (!Number.isSafeInteger(sold) || sold < 0) throw new UsageError(`sold must be a non-negative integer (received ${describeValue(sold)})`);
  if (!Number.isSafeInteger(cap) || cap < 1) throw new UsageError(`cap must be a positive integer (received ${describeValue(cap)})`);
  const problem = checkPricingRule(rule);
  if (problem !== null) throw new UsageError(`pricing.${problem.field} ${problem.rule} (received ${describeValue(problem.received)})`);
  if (price === 0n) return 0n;
  const s = BigInt(sold);
  const k = BigInt(cap);
  let next: bigint;
  if (rule.kind === 'multiplicative') {
    if (s >= k) next = ceilDiv(price * (BPS + BigInt(rule.raiseBps)), BPS);
    else if (s * BPS < BigInt(rule.lowerBelowBps) * k) next = (price * (BPS - BigInt(rule.lowerBps))) / BPS;
    else next = price;
  } else {
    // target = targetBps·cap/10⁴, so (sold − target)/target = (sold·10⁴ − targetBps·cap)/(targetBps·cap).
    const targetScaled = BigInt(rule.targetBps) * k;
    const excess = s * BPS - targetScaled;
    const denominator = targetScaled * BigInt(rule.denominator);
    if (excess > 0n) next = price + maxBig(1n, ceilDiv(price * excess, denominator));
    else next = price - ceilDiv(price * -excess, denominator);
  }
  return maxBig(1n, next);
}

/** Keys of a pricing rule object, per kind; any other key is an error. */
export const PRICING_KEYS = {
  multiplicative: ['kind', 'raiseBps', 'lowerBps', 'lowerBelowBps'],
  eip1559: ['kind', 'targetBps', 'denominator'],
} as const satisfies Record<PricingRule['kind'], readonly string[]>;

/**
 * Rejects a key a pricing rule of its kind does not have (an `InputError` naming `site.path`.key,
 * with a "did you mean"). A value that is not an object of a known kind is left to
 * {@link checkPricingRule}.
 */
export function rejectUnknownPricingKeys(rule: unknown, site: ObjectSite): void {
  if (typeof rule !== 'object' || rule === null) return;
  const kind = (rule as Record<string, unknown>)['kind'];
  if (kind === 'multiplicative' || kind === 'eip1559') rejectUnknownKeys(rule, PRICING_KEYS[kind], site);
}

/**
 * Checks a pricing rule's parameters: basis points integers in 0–10000 (`lowerBps` < 10000 so a
 * price can recover; `targetBps` ≥ 1), `denominator` a positive integer. Returns the first
 * problem or null.
 */
export function checkPricingRule(rule: unknown): { field: string; rule: string; received: unknown } | null {
  if (typeof rule !== 'object' || rule === null) return { field: 'kind', rule: 'pricing must be an object', received: rule };
  const r = rule as Record<string, unknown>;
  const int = (field: string, min: number, max: number): { field: string; rule: string; received: unknown } | null => {
    const v = r[field];
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : { field, rule: `must be an integer from ${min} to ${max}`, received: v };
  };
  if (r['kind'] === 'multiplicative') return int('raiseBps', 0, 10_000) ?? int('lowerBps', 0, 9_999) ?? int('lowerBelowBps', 0, 10_000);
  if (r['kind'] === 'eip1559') return int('targetBps', 1, 10_000) ?? int('denominator', 1, 1_000_000);
  return { field: 'kind', rule: 'must be "multiplicative" or "eip1559"', received: r['kind'] };
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
