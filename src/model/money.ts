/**
 * Exact money. Amounts are non-negative `bigint`s in base units; text is parsed by strict
 * rules and never through `Number`.
 */
import { InputError, describeValue } from './errors.js';

const INTEGER = /^[0-9]+$/;
const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

/** Where a value came from, for error messages. */
export interface ValueSite {
  readonly source?: string;
  readonly path: string;
  /**
   * Whether the amount's file has a `decimals` field (instance JSON does, a round does not):
   * the hint for a fractional amount then names it. Default false.
   */
  readonly decimalsField?: boolean;
}

/**
 * A JSON number amount that is not a safe integer (≥ 2^53, or fractional). `JSON.parse` has
 * already rounded it, so readers that still have the text re-quote it as written.
 */
export class UnsafeNumberError extends InputError {
  /** The number as parsed (possibly rounded). */
  readonly value: number;
  /** Where it was. */
  readonly site: ValueSite;

  /** @param literal - the number as written in the text, when known. */
  constructor(value: number, site: ValueSite, literal?: string) {
    super({ ...siteDetails(site), rule: unsafeNumberRule(value, literal ?? describeValue(value), site), received: literal ?? describeValue(value) });
    this.value = value;
    this.site = site;
  }
}

/**
 * Parses a non-negative integer amount given as a decimal string, a safe integer number or a
 * bigint. Rejects signs, exponents, fractions, hex, whitespace and unsafe numbers (the last
 * as {@link UnsafeNumberError}).
 */
export function parseAmount(value: unknown, site: ValueSite): bigint {
  const fail = (rule: string): never => {
    throw new InputError({ ...siteDetails(site), rule, received: describeValue(value) });
  };
  if (typeof value === 'bigint') return value >= 0n ? value : fail('amount must not be negative');
  if (typeof value === 'number') {
    if (value < 0) return fail('amount must not be negative');
    if (!Number.isSafeInteger(value)) throw new UnsafeNumberError(value, site);
    return BigInt(value);
  }
  if (typeof value !== 'string') return fail('amount must be a decimal string of base units');
  if (INTEGER.test(value)) return BigInt(value);
  if (value.startsWith('-')) return fail('amount must not be negative');
  if (/^0x/i.test(value)) return fail('amount must be decimal, not hexadecimal');
  if (/[eE]/.test(value)) return fail('amount must be written out in base units, not in exponent notation');
  if (value.includes('.')) return fail(fractionRule(value, site));
  return fail('amount must be a string of decimal digits');
}

function unsafeNumberRule(value: number, written: string, site: ValueSite): string {
  if (!Number.isInteger(value)) return fractionRule(written, site);
  const as = /^[0-9]+$/.test(written) ? `the string "${written}"` : 'a string of decimal digits';
  return `a JSON number amount must be a safe integer (below 2^53): write it as ${as} of base units`;
}

/** The rule broken by a fractional amount, with the accepted way to write it. */
function fractionRule(written: string, site: ValueSite): string {
  const m = /^([0-9]*)\.([0-9]+)$/.exec(written);
  const base = m === null ? undefined : (`${m[1] ?? ''}${m[2] ?? ''}`.replace(/^0+(?=[0-9])/, ''));
  const digits = m?.[2]?.length ?? 0;
  const example = base === undefined ? '' : site.decimalsField === true
    ? `: ${written} is "${base}" with "decimals": ${digits} in the instance`
    : `: ${written} at ${digits} decimal${digits === 1 ? '' : 's'} is "${base}"`;
  return `amount must be an integer number of base units, not a fraction; write it in base units${example}`;
}

function siteDetails(site: ValueSite): { source?: string; path: string } {
  return site.source === undefined ? { path: site.path } : { source: site.source, path: site.path };
}

/**
 * Parses a non-negative decimal such as `"307.634"` into an integer scaled by `10^decimals`.
 * Throws if the text has more fractional digits than `decimals` (no rounding, ever).
 */
export function parseScaledDecimal(text: string, decimals: number, site: ValueSite): bigint {
  const m = DECIMAL.exec(text);
  if (m === null) {
    throw new InputError({ ...site, rule: 'price must be a non-negative decimal number', received: describeValue(text) });
  }
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > decimals) {
    throw new InputError({ ...site, rule: `price has more than ${decimals} decimals`, received: describeValue(text) });
  }
  return BigInt(whole + frac.padEnd(decimals, '0'));
}

/** Number of digits after the decimal point in a decimal literal (0 when none). */
export function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Formats base units with a fixed number of decimals: `formatAmount(1234n, 2) === "12.34"`. */
export function formatAmount(units: bigint, decimals = 0): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const text = `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** Greatest common divisor of two non-negative bigints. */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** ⌈a / b⌉ for b > 0, exact for negative `a` too. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b < a ? q + 1n : q;
}

/** ⌊a / b⌋ for b > 0, exact for negative `a` too. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b > a ? q - 1n : q;
}

/** Number of bits needed to write a non-negative bigint (0 for 0n). */
export function bitLength(v: bigint): number {
  return v <= 0n ? 0 : v.toString(2).length;
}
