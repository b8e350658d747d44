/** Option parsers for commander that reject bad values with one clear line. */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';

/** Positive number of seconds. */
export function parseSeconds(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got ${JSON.stringify(value)}`);
  return v;
}

/** An integer from `min` to `max`; the message names both bounds (and `why` the maximum). */
export function integerIn(min: number, max: number, why?: string): (value: string) => number {
  return (value: string): number => {
    const v = Number(value);
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}${why === undefined ? '' : ` (${why})`}, got ${JSON.stringify(value)}`);
    }
    return v;
  };
}

/** Non-negative safe integer: 0 to 2^53 − 1. */
export const parseNat = integerIn(0, Number.MAX_SAFE_INTEGER, '2^53 − 1');

/** Positive safe integer: 1 to 2^53 − 1. */
export const parsePositive = integerIn(1, Number.MAX_SAFE_INTEGER, '2^53 − 1');

/** Worker threads: 1 to the machine's available parallelism (more would only share the cores). */
export function parseWorkers(value: string): number {
  return integerIn(1, availableParallelism(), "this machine's available parallelism")(value);
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
