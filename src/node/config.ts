/**
 * The node's config file (DESIGN.md §7), strictly validated: unknown keys, missing keys, bad
 * amounts, addresses and timings are {@link InputError}s naming the file, the JSON path and the
 * problem (the CLI exits 2).
 */
import secp256k1 from 'secp256k1';
import { parseJsonText } from '../formats/json.js';
import { InputError, describeValue } from '../model/errors.js';
import { rejectUnknownKeys } from '../model/keys.js';
import { parseAmount } from '../model/money.js';
import { DEFAULT_PAYOUT_RULE, PAYOUT_RULES } from '../mechanism/payouts.js';
import { PAYMENT_RULES, type PaymentRule } from '../mechanism/payments.js';
import { checkPricingRule, rejectUnknownPricingKeys } from '../mechanism/pricing.js';
import type { PayoutRule, PricingRule } from '../mechanism/types.js';
import type { SlotTiming } from './clock.js';

/** A lower-case 0x-prefixed 20-byte hex address. */
export type Address = `0x${string}`;

/** Market mode: sealed bids paying their amount, or execution tickets with a draw. */
export type MarketMode = 'auction' | 'lottery';

/** A rollup registered with the node. */
export interface NodeRollup {
  readonly id: string;
  /** The key allowed to sign this rollup's reserve and opt-in updates. */
  readonly signer: Address;
  /** Reserve from the first slot on, until a signed update changes it. */
  readonly reserve: bigint;
  readonly optIn: boolean;
}

/** Ticket sales in lottery mode. */
export interface LotteryConfig {
  /** Price P per rollup: a ticket on bundle B pays at least P·|B|. */
  readonly price: bigint;
  /** At most this many tickets per slot (K). */
  readonly cap: number;
  /** Rule for the `nextPrice` reported in each result. Default: the lottery's default. */
  readonly pricing?: PricingRule;
}

/** Per-client request rate limit (token bucket per remote address). */
export interface RateLimitConfig {
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Bucket size: requests allowed at once. */
  readonly burst: number;
}

/** A validated node config. */
export interface NodeConfig extends SlotTiming {
  /** EIP-712 domain name. */
  readonly market: string;
  /** EIP-712 domain chain id. */
  readonly chainId: number;
  readonly mode: MarketMode;
  readonly rollups: readonly NodeRollup[];
  readonly maxBidsPerBidderPerSlot: number;
  readonly burnBps: number;
  readonly payoutRule: PayoutRule;
  /** Auction mode: what winners pay (`pay-as-bid`, `vcg`, `core`; see `slot-payments.ts`). Default `pay-as-bid`. */
  readonly paymentRule: PaymentRule;
  /** Present exactly in lottery mode. */
  readonly lottery?: LotteryConfig;
  /** Who may post the beacon. */
  readonly operator: Address;
  /** The node's private key (signs results). */
  readonly nodeKey: `0x${string}`;
  /** Optional per-client rate limit on POST requests. Default: none. */
  readonly rateLimit?: RateLimitConfig;
  /** Most concurrent `GET /v1/events` streams (more get 429). Default {@link DEFAULT_MAX_EVENT_CLIENTS}. */
  readonly maxEventClients: number;
}

/** Default of {@link NodeConfig.maxEventClients}. */
export const DEFAULT_MAX_EVENT_CLIENTS = 64;

/** Environment variable holding the node key when the config has none. */
export const NODE_KEY_ENV = 'BUNDLE_AUCTION_NODE_KEY';

/** Keys of the config's root object; any other key is an error. */
export const CONFIG_KEYS = [
  'market', 'chainId', 'mode', 'genesisMs', 'slotMs', 'leadMs', 'closeMs', 'finalMs', 'rollups',
  'maxBidsPerBidderPerSlot', 'burnBps', 'payoutRule', 'paymentRule', 'lottery', 'operator', 'nodeKey', 'rateLimit',
  'maxEventClients',
] as const;

/**
 * Parses and validates a config text. `nodeKey` may be omitted when `env[NODE_KEY_ENV]` holds it.
 *
 * @param source - file name for error messages.
 * @param env - environment to read the node key from. Default `process.env`.
 * @throws {InputError} naming the source, the JSON path, the rule and the value received.
 */
export function parseNodeConfig(text: string, source?: string, env: Readonly<Record<string, string | undefined>> = process.env): NodeConfig {
  const data = parseJsonText(text, source);
  const src = source === undefined ? {} : { source };
  const fail: Fail = (path, rule, ...value) => {
    throw new InputError({ ...src, path, rule, ...(value.length > 0 ? { received: describeValue(value[0]) } : {}) });
  };
  if (!isRecord(data)) return fail('(root)', 'config must be a JSON object', data);
  rejectUnknownKeys(data, CONFIG_KEYS, { ...src, path: '' });

  const str = (key: string): string => {
    const v = data[key];
    return typeof v === 'string' && v.length > 0 ? v : fail(key, 'must be a non-empty string', v);
  };
  const int = (key: string, min: number, max = Number.MAX_SAFE_INTEGER, fallback?: number): number => {
    const v = data[key] ?? fallback;
    if (v === undefined) return fail(key, 'is required');
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : fail(key, `must be an integer from ${min} to ${max}`, v);
  };

  const market = str('market');
  const chainId = int('chainId', 1);
  const mode = data['mode'];
  if (mode !== 'auction' && mode !== 'lottery') return fail('mode', 'must be "auction" or "lottery"', mode);
  const genesisMs = int('genesisMs', 0);
  const slotMs = int('slotMs', 1);
  const leadMs = int('leadMs', 0);
  const closeMs = int('closeMs', 0);
  const finalMs = int('finalMs', 0);
  if (!(leadMs > closeMs)) fail('closeMs', `must be below leadMs = ${leadMs}`, closeMs);
  if (!(closeMs > finalMs)) fail('finalMs', `must be below closeMs = ${closeMs}`, finalMs);
  if (genesisMs - leadMs < 0) fail('genesisMs', `must be at least leadMs = ${leadMs} (slot 0 opens at genesisMs − leadMs)`, genesisMs);

  const rawRollups = data['rollups'];
  if (!Array.isArray(rawRollups) || rawRollups.length === 0) return fail('rollups', 'must be a non-empty array of {"id", "signer", "reserve", "optIn"}', rawRollups);
  const ids = new Set<string>();
  const rollups = rawRollups.map((r: unknown, i): NodeRollup => {
    const path = `rollups[${i}]`;
    if (!isRecord(r)) return fail(path, 'must be an object {"id", "signer", "reserve", "optIn"}', r);
    rejectUnknownKeys(r, ['id', 'signer', 'reserve', 'optIn'], { ...src, path });
    const id = r['id'];
    if (typeof id !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(id)) return fail(`${path}.id`, 'must be 1–64 characters of letters, digits, ".", "_", ":" or "-"', id);
    if (ids.has(id)) fail(`${path}.id`, 'repeats the id of an earlier rollup', id);
    ids.add(id);
    const optIn = r['optIn'] ?? true;
    if (typeof optIn !== 'boolean') fail(`${path}.optIn`, 'must be true or false', optIn);
    return {
      id,
      signer: address(r['signer'], `${path}.signer`, fail),
      reserve: r['reserve'] === undefined ? 0n : parseAmount(r['reserve'], { ...src, path: `${path}.reserve` }),
      optIn: optIn as boolean,
    };
  });

  const burnBps = int('burnBps', 0, 10_000, 0);
  const payoutRule = data['payoutRule'] ?? DEFAULT_PAYOUT_RULE;
  if (typeof payoutRule !== 'string' || !PAYOUT_RULES.includes(payoutRule as PayoutRule)) fail('payoutRule', `must be one of ${PAYOUT_RULES.map((p) => `"${p}"`).join(', ')}`, payoutRule);
  const paymentRule = data['paymentRule'] ?? 'pay-as-bid';
  if (typeof paymentRule !== 'string' || !PAYMENT_RULES.includes(paymentRule as PaymentRule)) fail('paymentRule', `must be one of ${PAYMENT_RULES.map((p) => `"${p}"`).join(', ')}`, paymentRule);
  if (mode === 'lottery' && paymentRule !== 'pay-as-bid') fail('paymentRule', 'applies to auction mode only (lottery tickets pay their amounts)', paymentRule);

  let lottery: LotteryConfig | undefined;
  const rawLottery = data['lottery'];
  if (mode === 'lottery') {
    if (!isRecord(rawLottery)) return fail('lottery', 'is required in lottery mode: {"price", "cap", "pricing"?}', rawLottery);
    rejectUnknownKeys(rawLottery, ['price', 'cap', 'pricing'], { ...src, path: 'lottery' });
    if (rawLottery['price'] === undefined) fail('lottery.price', 'is required (ticket price per rollup, base units)');
    const price = parseAmount(rawLottery['price'], { ...src, path: 'lottery.price' });
    const cap = rawLottery['cap'];
    if (typeof cap !== 'number' || !Number.isSafeInteger(cap) || cap < 1) fail('lottery.cap', 'must be a positive integer (tickets per slot)', cap);
    const pricing = rawLottery['pricing'];
    if (pricing !== undefined) {
      rejectUnknownPricingKeys(pricing, { ...src, path: 'lottery.pricing' });
      const problem = checkPricingRule(pricing);
      if (problem !== null) fail(`lottery.pricing.${problem.field}`, problem.rule, problem.received);
    }
    lottery = { price, cap: cap as number, ...(pricing === undefined ? {} : { pricing: pricing as unknown as PricingRule }) };
  } else if (rawLottery !== undefined) {
    fail('lottery', 'is only allowed when mode is "lottery"', rawLottery);
  }

  let rateLimit: RateLimitConfig | undefined;
  const rawRate = data['rateLimit'];
  if (rawRate !== undefined) {
    if (!isRecord(rawRate)) return fail('rateLimit', 'must be an object {"perSecond", "burst"}', rawRate);
    rejectUnknownKeys(rawRate, ['perSecond', 'burst'], { ...src, path: 'rateLimit' });
    const perSecond = rawRate['perSecond'];
    const burst = rawRate['burst'];
    if (typeof perSecond !== 'number' || !(perSecond > 0) || !Number.isFinite(perSecond)) fail('rateLimit.perSecond', 'must be a positive number', perSecond);
    if (typeof burst !== 'number' || !Number.isSafeInteger(burst) || burst < 1) fail('rateLimit.burst', 'must be a positive integer', burst);
    rateLimit = { perSecond: perSecond as number, burst: burst as number };
  }

  const keyText = data['nodeKey'] ?? env[NODE_KEY_ENV];
  if (keyText === undefined) fail('nodeKey', `is required (or set ${NODE_KEY_ENV})`);
  if (typeof keyText !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(keyText) || !secp256k1.privateKeyVerify(Buffer.from(keyText.slice(2), 'hex'))) {
    fail('nodeKey', 'must be a 0x-prefixed 32-byte hex secp256k1 private key', typeof keyText === 'string' ? '(hidden)' : keyText);
  }

  return {
    market, chainId, mode, genesisMs, slotMs, leadMs, closeMs, finalMs, rollups,
    maxBidsPerBidderPerSlot: int('maxBidsPerBidderPerSlot', 1, 1_000_000, 16),
    burnBps, payoutRule: payoutRule as PayoutRule, paymentRule: paymentRule as PaymentRule,
    ...(lottery === undefined ? {} : { lottery }),
    operator: address(data['operator'], 'operator', fail),
    nodeKey: (keyText as string).toLowerCase() as `0x${string}`,
    ...(rateLimit === undefined ? {} : { rateLimit }),
    maxEventClients: int('maxEventClients', 0, 100_000, DEFAULT_MAX_EVENT_CLIENTS),
  };
}

/** A 0x-prefixed 20-byte hex address, lower-cased (addresses compare case-insensitively). */
function address(v: unknown, path: string, fail: Fail): Address {
  return typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v) ? (v.toLowerCase() as Address) : fail(path, 'must be a 0x-prefixed 20-byte hex address', v);
}

type Fail = (path: string, rule: string, ...value: [unknown?]) => never;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
