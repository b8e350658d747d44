/**
 * The bid-weighted draw of a proposer among a winning bundle's tickets, from a public seed:
 * sha256-derived, unbiased (rejection sampling, no modulo bias) and reproducible by anyone.
 */
import { createHash } from 'node:crypto';
import { UsageError, describeValue } from '../model/errors.js';
import { bitLength } from '../model/money.js';
import { compareIds } from '../model/order.js';
import type { Ticket } from './types.js';

/** How a draw is recomputed, in one sentence (printed in the lottery's `draw` output). */
export const DRAW_RULE =
  'sort the bundle\'s tickets by id (canonical order) and let T = Σ amounts; for counter c = 0, 1, …: ' +
  'take sha256(seedBytes ‖ utf8(bundleKey) ‖ uint32be(c)) (several consecutive counters concatenated when T needs more than 256 bits), ' +
  'keep its first ⌈bits(T)/8⌉ bytes as a big-endian integer masked to bits(T) bits, and reject it while ≥ T; ' +
  'the drawn ticket is the first whose cumulative amount exceeds the accepted value';

/** Result of {@link drawTicket}. */
export interface DrawOutcome<T extends DrawEntry = Ticket> {
  /** The drawn ticket. */
  readonly ticket: T;
  /** Its index in the canonical (id-sorted) ticket order. */
  readonly index: number;
  /** The accepted uniform value u ∈ [0, total). */
  readonly value: bigint;
  /** T = Σ ticket amounts. */
  readonly total: bigint;
  /** Candidates rejected (≥ T) before u was accepted. */
  readonly rejections: number;
  /** sha256 blocks (counter values) used in all: counters 0 … counters − 1. */
  readonly counters: number;
}

/** What a draw needs of a ticket. */
export interface DrawEntry {
  readonly id: string;
  readonly amount: bigint;
}

/**
 * Parses a public seed given as hex (an optional `0x` prefix, an even number ≥ 2 of hex digits,
 * any case) into its bytes.
 *
 * @throws {UsageError} when the text is not such hex.
 */
export function seedBytes(seedHex: string): Buffer {
  const body = seedHex.startsWith('0x') || seedHex.startsWith('0X') ? seedHex.slice(2) : seedHex;
  if (!/^[0-9a-fA-F]+$/.test(body) || body.length % 2 !== 0) {
    throw new UsageError(`seed must be an even number of hex digits, e.g. "ab12" (received ${describeValue(seedHex)})`);
  }
  return Buffer.from(body, 'hex');
}

/**
 * Canonical key of a bundle, the draw's domain separator: the JSON array of its rollup ids in
 * canonical order, e.g. `["op-1","zk-2"]`.
 */
export function bundleKey(bundle: readonly string[]): string {
  return JSON.stringify([...bundle].sort(compareIds));
}

/**
 * A stream of unbiased uniform integers in [0, bound) derived from sha256(seed ‖ label ‖
 * uint32be(counter)), counter = 0, 1, … Each candidate takes the first ⌈bits(bound)/8⌉ bytes
 * (several consecutive sha256 blocks concatenated when more than 32 bytes are needed) as a
 * big-endian integer, masks it to bits(bound) bits, and is rejected while ≥ bound: each
 * candidate is accepted with probability > 1/2 and the result has no modulo bias.
 */
export class HashStream {
  private counter = 0;
  /** Candidates rejected so far. */
  rejections = 0;

  constructor(private readonly seed: Uint8Array, private readonly label: string) {}

  /** sha256 blocks consumed so far. */
  get counters(): number {
    return this.counter;
  }

  /** Next uniform integer in [0, bound); bound must be ≥ 1. */
  below(bound: bigint): bigint {
    if (bound < 1n) throw new UsageError(`cannot draw below ${bound}: the bound must be positive`);
    const bits = bitLength(bound);
    const bytes = Math.ceil(bits / 8);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      const blocks: Buffer[] = [];
      for (let have = 0; have < bytes; have += 32) blocks.push(this.block());
      const candidate = BigInt(`0x${Buffer.concat(blocks).subarray(0, bytes).toString('hex')}`) & mask;
      if (candidate < bound) return candidate;
      this.rejections++;
    }
  }

  private block(): Buffer {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(this.counter++);
    return createHash('sha256').update(this.seed).update(this.label, 'utf8').update(c).digest();
  }
}

/**
 * Draws one ticket of a bundle with probability proportional to its amount: tickets in
 * canonical id order, cumulative amounts, total T; u uniform in [0, T) from a
 * {@link HashStream} on (seed, bundleKey); the first ticket whose cumulative amount exceeds u
 * wins. Tickets of amount 0 are never drawn. See {@link DRAW_RULE}.
 *
 * @param seedHex - public randomness as hex (see {@link seedBytes}).
 * @param key - the bundle's key (see {@link bundleKey}): draws of different bundles are independent.
 * @throws {UsageError} on a bad seed, no tickets, or a total of 0.
 */
export function drawTicket<T extends DrawEntry = Ticket>(seedHex: string, key: string, tickets: readonly T[]): DrawOutcome<T> {
  const sorted = [...tickets].sort((a, b) => compareIds(a.id, b.id));
  const total = sorted.reduce((s, t) => s + t.amount, 0n);
  if (total <= 0n) throw new UsageError(`cannot draw on bundle ${key}: its tickets total ${total}, not a positive amount`);
  const stream = new HashStream(seedBytes(seedHex), key);
  const value = stream.below(total);
  let cumulative = 0n;
  for (const [index, ticket] of sorted.entries()) {
    cumulative += ticket.amount;
    if (cumulative > value) return { ticket, index, value, total, rejections: stream.rejections, counters: stream.counters };
  }
  throw new UsageError('internal error: draw fell past the last ticket'); // unreachable: value < total
}
