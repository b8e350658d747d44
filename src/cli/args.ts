/** Option parsers for commander that reject bad values with one clear line. */
import { InvalidArgumentError } from 'commander';

/** Positive number of seconds. */
export function parseSeconds(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got ${JSON.stringify(value)}`);
  return v;
}

/** Non-negative safe integer. */
export function parseNat(value: string): number {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`expected a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Positive safe integer. */
export function parsePositive(value: string): number {
  const v = parseNat(value);
  if (v === 0) throw new InvalidArgumentError('expected a positive integer, got "0"');
  return v;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  };
}

/** Comma-separated list of values each parsed by `item`. */
export function listOf<T>(item: (value: string) => T): (value: string) => T[] {
  return (value: string): T[] => value.split(',').map((v) => v.trim()).filter((v) => v !== '').map(item);
}
