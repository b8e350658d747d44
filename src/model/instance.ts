/** Validation and canonicalisation of instances. */
import { InputError, describeValue } from './errors.js';
import { rejectUnknownKeys } from './keys.js';
import { LookalikeIds } from './lookalike.js';
import { parseAmount } from './money.js';
import { compareIds } from './order.js';
import type { Bid, Instance, Rollup } from './types.js';

/** Amount as accepted on input: bigint, decimal string of base units, or safe integer. */
export type AmountInput = bigint | string | number;

/** A rollup as given by a user or a file, before validation. */
export interface RollupInput {
  readonly id: string;
  readonly reserve?: AmountInput;
}

/** A bid as given by a user or a file, before validation. */
export interface BidInput {
  readonly id: string;
  readonly bidder?: string;
  readonly bundle: readonly string[];
  readonly amount: AmountInput;
  readonly exclusive?: string | undefined;
}

/** An instance as given by a user or a file, before validation. */
export interface InstanceInput {
  readonly rollups: readonly RollupInput[];
  readonly bids: readonly BidInput[];
  /**
   * Display scale, 0–36 (default 0): amounts are always integers of base units, and
   * `decimals: 4` only says that 10⁴ base units print as 1 (CATS prices such as `307.634`
   * load as base units at their own number of decimals). Not a conversion of the input.
   */
  readonly decimals?: number;
}

/** Keys of the instance JSON objects (docs/DESIGN.md §2); any other key is an error. */
export const INSTANCE_KEYS = {
  root: ['rollups', 'bids', 'decimals'],
  rollup: ['id', 'reserve'],
  bid: ['id', 'bidder', 'bundle', 'amount', 'exclusive'],
} as const satisfies Record<string, readonly string[]>;

/** Options of {@link createInstance}. */
export interface CreateInstanceOptions {
  /** Name of the file (or other source) for error messages. Default: none. */
  readonly source?: string;
}

/**
 * Validates an instance and returns it in canonical form. Throws {@link InputError} naming the
 * source, the JSON path, the rule and the value received for: unknown keys (with the closest
 * known key), missing or non-string ids, repeated ids, negative/fractional/exponent amounts,
 * empty bundles, repeated bundle members, unknown rollups and malformed exclusive keys.
 * Amounts are integers of base units (see {@link InstanceInput.decimals}).
 */
export function createInstance(input: InstanceInput, options: CreateInstanceOptions = {}): Instance {
  return instanceFromData(input, options);
}

/**
 * {@link createInstance} for untyped data (parsed JSON): the same rules, every key and type
 * checked at run time.
 */
export function instanceFromData(input: unknown, options: CreateInstanceOptions = {}): Instance {
  const src = options.source === undefined ? {} : { source: options.source };
  const fail: Fail = (path, rule, ...value) => {
    throw new InputError({ ...src, path, rule, ...(value.length > 0 ? { received: describeValue(value[0]) } : {}) });
  };
  if (!isRecord(input)) return fail('(root)', 'instance must be an object with "rollups" and "bids" arrays', input);
  rejectUnknownKeys(input, INSTANCE_KEYS.root, { ...src, path: '' });
  const rawRollups = input['rollups'];
  const rawBids = input['bids'];
  if (!Array.isArray(rawRollups)) return fail('rollups', 'must be an array', rawRollups);
  if (!Array.isArray(rawBids)) return fail('bids', 'must be an array', rawBids);
  const decimals = input['decimals'] ?? 0;
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
    return fail('decimals', 'must be an integer from 0 to 36', decimals);
  }

  const rollups: Rollup[] = [];
  const rollupIds = new Set<string>();
  rawRollups.forEach((r: unknown, i: number) => {
    const path = `rollups[${i}]`;
    if (!isRecord(r)) return fail(path, 'must be an object {"id", "reserve"}', r);
    rejectUnknownKeys(r, INSTANCE_KEYS.rollup, { ...src, path });
    const id = checkId(r['id'], `${path}.id`, fail);
    if (rollupIds.has(id)) fail(`${path}.id`, 'repeats the id of an earlier rollup', id);
    rollupIds.add(id);
    const reserve = r['reserve'] === undefined ? 0n : parseAmount(r['reserve'], { ...src, path: `${path}.reserve`, decimalsField: true });
    rollups.push({ id, reserve });
  });

  const near = new LookalikeIds(() => rollupIds);
  const bids: Bid[] = [];
  const bidIds = new Set<string>();
  rawBids.forEach((b: unknown, i: number) => {
    const path = `bids[${i}]`;
    if (!isRecord(b)) return fail(path, 'must be an object {"id", "bidder", "bundle", "amount"}', b);
    rejectUnknownKeys(b, INSTANCE_KEYS.bid, { ...src, path });
    const id = checkId(b['id'], `${path}.id`, fail);
    if (bidIds.has(id)) fail(`${path}.id`, 'repeats the id of an earlier bid', id);
    bidIds.add(id);
    const bidder = b['bidder'] === undefined ? id : checkId(b['bidder'], `${path}.bidder`, fail);
    const rawBundle = b['bundle'];
    if (!Array.isArray(rawBundle)) return fail(`${path}.bundle`, 'must be an array of rollup ids', rawBundle);
    if (rawBundle.length === 0) fail(`${path}.bundle`, 'must name at least one rollup', rawBundle);
    const members = new Set<string>();
    rawBundle.forEach((m: unknown, j: number) => {
      const mpath = `${path}.bundle[${j}]`;
      if (typeof m !== 'string') return fail(mpath, 'must be a rollup id string', m);
      if (!rollupIds.has(m)) fail(mpath, `names an unknown rollup${near.hint(m, 'rollup')}`, m);
      if (members.has(m)) fail(mpath, 'repeats a rollup already in this bundle', m);
      members.add(m);
    });
    const amount = b['amount'] === undefined
      ? fail(`${path}.amount`, 'is required')
      : parseAmount(b['amount'], { ...src, path: `${path}.amount`, decimalsField: true });
    const exclusiveRaw = b['exclusive'];
    const bundle = [...members].sort(compareIds);
    if (exclusiveRaw === undefined || exclusiveRaw === null) {
      bids.push({ id, bidder, bundle, amount });
    } else {
      const exclusive = checkId(exclusiveRaw, `${path}.exclusive`, fail);
      bids.push({ id, bidder, bundle, amount, exclusive });
    }
  });

  rollups.sort((a, b) => compareIds(a.id, b.id));
  bids.sort((a, b) => compareIds(a.id, b.id));
  return { rollups, bids, decimals };
}

/** Throws an InputError; the optional third argument is the value received. */
type Fail = (path: string, rule: string, ...value: [unknown?]) => never;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Ids are non-empty strings without control characters, in Unicode NFC (no look-alike forms). */
function checkId(v: unknown, path: string, fail: Fail): string {
  if (typeof v !== 'string') return fail(path, 'must be a string', v);
  if (v.length === 0) return fail(path, 'must not be empty', v);
  if (v.length > 256) return fail(path, 'must be at most 256 characters', v);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) return fail(path, 'must not contain control characters', v);
  if (v.normalize('NFC') !== v) return fail(path, 'must be in Unicode NFC form', v);
  return v;
}
