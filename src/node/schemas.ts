/** JSON schemas of the request bodies and parameters (DESIGN.md §7); every object is closed. */
import { NodeError } from './errors.js';

/** Base units: digits, no sign, exponent, fraction or leading zero; at most 78 digits (uint256). */
export const AMOUNT = { type: 'string', pattern: '^(0|[1-9][0-9]{0,77})$' } as const;
/** A uint64 counter as a JSON integer or a decimal string (range checked in code). */
export const UINT64 = { type: ['integer', 'string'], pattern: '^(0|[1-9][0-9]{0,19})$', minimum: 0 } as const;
/** A slot: a non-negative safe integer. */
export const SLOT = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
export const ADDRESS = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const;
export const SIGNATURE = { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$' } as const;
export const BYTES32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const;
export const ROLLUP_ID = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const BUNDLE = { type: 'array', items: ROLLUP_ID, minItems: 1, maxItems: 4096, uniqueItems: true } as const;

/** `:slot` path parameter. */
export const SLOT_PARAMS = {
  type: 'object', additionalProperties: false, required: ['slot'],
  properties: { slot: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } },
} as const;

export const BID_BODY = {
  type: 'object', additionalProperties: false, required: ['bid', 'bidder', 'signature'],
  properties: {
    bid: {
      type: 'object', additionalProperties: false, required: ['slot', 'bundle', 'amount', 'nonce'],
      properties: { slot: SLOT, bundle: BUNDLE, amount: AMOUNT, exclusive: { type: 'string', maxLength: 64 }, nonce: UINT64 },
    },
    bidder: ADDRESS,
    signature: SIGNATURE,
  },
} as const;

export const TICKET_BODY = {
  type: 'object', additionalProperties: false, required: ['ticket', 'holder', 'signature'],
  properties: {
    ticket: {
      type: 'object', additionalProperties: false, required: ['slot', 'bundle', 'amount', 'nonce'],
      properties: { slot: SLOT, bundle: BUNDLE, amount: AMOUNT, nonce: UINT64 },
    },
    holder: ADDRESS,
    signature: SIGNATURE,
  },
} as const;

export const UPDATE_BODY = {
  type: 'object', additionalProperties: false, required: ['update', 'signature'],
  properties: {
    update: {
      type: 'object', additionalProperties: false, required: ['rollup', 'fromSlot', 'reserve', 'optIn', 'nonce'],
      properties: { rollup: ROLLUP_ID, fromSlot: SLOT, reserve: AMOUNT, optIn: { type: 'boolean' }, nonce: UINT64 },
    },
    signature: SIGNATURE,
  },
} as const;

export const CHALLENGE_BODY = {
  type: 'object', additionalProperties: false, required: ['winners'],
  properties: { winners: { type: 'array', items: { type: 'string', maxLength: 256 }, maxItems: 100_000 }, submitter: { type: 'string', maxLength: 128 } },
} as const;

export const BEACON_BODY = {
  type: 'object', additionalProperties: false, required: ['value', 'signature'],
  properties: { value: BYTES32, signature: SIGNATURE },
} as const;

export const SCHEDULE_QUERY = {
  type: 'object', additionalProperties: false, required: ['from', 'to'],
  properties: { from: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' }, to: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } },
} as const;

/** Parses a uint64 given as integer or string (the schema checked its shape). */
export function uint64(v: number | string, field: string): bigint {
  const n = BigInt(v);
  if (n < 0n || n > 2n ** 64n - 1n) throw new NodeError(400, 'bad_request', `${field}: must be a uint64 (at most 2^64 − 1; received ${v})`, field);
  return n;
}

/** A uint256 amount from its decimal string (the schema allows 78 digits; above 2^256 − 1 is refused). */
export function uint256(v: string, field: string): bigint {
  const n = BigInt(v);
  if (n >= 2n ** 256n) throw new NodeError(400, 'bad_amount', `${field}: must be a uint256 (at most 2^256 − 1; received ${v})`, field);
  return n;
}

/** `GET /v1/events` query: an optional slot filter. */
export const EVENTS_QUERY = {
  type: 'object', additionalProperties: false,
  properties: { slot: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } },
} as const;
