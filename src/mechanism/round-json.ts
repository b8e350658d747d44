/**
 * Lottery round JSON (the `lottery` CLI's ROUND.json) and the round result's JSON, whose
 * canonical form the result digest commits to.
 */
import { parseJsonText, quotingNumbersAsWritten } from '../formats/json.js';
import { InputError, describeValue } from '../model/errors.js';
import { rejectUnknownKeys } from '../model/keys.js';
import { LookalikeIds } from '../model/lookalike.js';
import { canonicalJson, sha256Hex } from '../model/digest.js';
import { parseAmount } from '../model/money.js';
import { DEFAULT_PAYOUT_RULE, PAYOUT_RULES } from './payouts.js';
import { checkPricingRule, PRICING_KEYS, rejectUnknownPricingKeys } from './pricing.js';
import type { PayoutRule, PricingRule, Round, RoundResult, RoundRollup, Ticket } from './types.js';

/** Keys of the round JSON objects; any other key is an error. */
export const ROUND_KEYS = {
  root: ['rollups', 'tickets', 'price', 'cap', 'burnBps', 'payoutRule', 'pricing'],
  rollup: ['id', 'reserve'],
  ticket: ['id', 'holder', 'bundle', 'amount'],
  ...PRICING_KEYS,
} as const satisfies Record<string, readonly string[]>;

/**
 * Parses a round JSON text:
 * `{ "rollups": [{"id","reserve"}], "tickets": [{"id","holder","bundle":[…],"amount"}], "price",
 * "cap", "burnBps", "payoutRule", "pricing"? }`. Amounts are decimal strings of base units (or
 * safe integers); `reserve` defaults to 0, `holder` to the ticket id, `burnBps` to 0,
 * `payoutRule` to `DEFAULT_PAYOUT_RULE` (`"committed"`), `pricing` to `DEFAULT_PRICING`. Then checks every rule of
 * {@link validateRound}. Every object is closed: an unknown key (`"resrve"`) is an error naming
 * it and the closest known key.
 *
 * @param source - file name for error messages. Default: none.
 * @throws {InputError} naming the source, the JSON path (e.g. `tickets[3].amount`), the rule and
 *   the value received.
 */
export function parseRoundJson(text: string, source?: string): Round {
  const data = parseJsonText(text, source);
  return quotingNumbersAsWritten(text, () => roundFromData(data, source));
}

function roundFromData(data: unknown, source: string | undefined): Round {
  const fail = failer(source);
  if (!isRecord(data)) return fail('(root)', 'round must be an object with "rollups", "tickets", "price" and "cap"', data);
  const site = (path: string): { source?: string; path: string } => (source === undefined ? { path } : { source, path });
  rejectUnknownKeys(data, ROUND_KEYS.root, site(''));
  const rollups = arrayAt(data, 'rollups', fail).map((r: unknown, i): RoundRollup => {
    if (!isRecord(r)) return fail(`rollups[${i}]`, 'must be an object {"id", "reserve"}', r);
    rejectUnknownKeys(r, ROUND_KEYS.rollup, site(`rollups[${i}]`));
    return { id: stringAt(r, 'id', `rollups[${i}].id`, fail), reserve: r['reserve'] === undefined ? 0n : parseAmount(r['reserve'], site(`rollups[${i}].reserve`)) };
  });
  const tickets = arrayAt(data, 'tickets', fail).map((t: unknown, i): Ticket => {
    const path = `tickets[${i}]`;
    if (!isRecord(t)) return fail(path, 'must be an object {"id", "holder", "bundle", "amount"}', t);
    rejectUnknownKeys(t, ROUND_KEYS.ticket, site(path));
    const id = stringAt(t, 'id', `${path}.id`, fail);
    const holder = t['holder'] === undefined ? id : stringAt(t, 'holder', `${path}.holder`, fail);
    const bundle = t['bundle'];
    if (!Array.isArray(bundle)) return fail(`${path}.bundle`, 'must be an array of rollup ids', bundle);
    bundle.forEach((m: unknown, j) => { if (typeof m !== 'string') fail(`${path}.bundle[${j}]`, 'must be a rollup id string', m); });
    if (t['amount'] === undefined) return fail(`${path}.amount`, 'is required');
    return { id, holder, bundle: bundle as string[], amount: parseAmount(t['amount'], site(`${path}.amount`)) };
  });
  if (data['price'] === undefined) return fail('price', 'is required (the ticket price per rollup, base units)');
  const price = parseAmount(data['price'], site('price'));
  const cap = data['cap'];
  if (typeof cap !== 'number') return fail('cap', 'must be a positive integer (tickets per sale)', cap);
  const burnBps = data['burnBps'] ?? 0;
  if (typeof burnBps !== 'number') return fail('burnBps', 'must be an integer from 0 to 10000', burnBps);
  const payoutRule = data['payoutRule'] ?? DEFAULT_PAYOUT_RULE;
  const pricing = data['pricing'];
  rejectUnknownPricingKeys(pricing, site('pricing'));
  const round: Round = {
    rollups, tickets, price, cap, burnBps, payoutRule: payoutRule as PayoutRule,
    ...(pricing === undefined ? {} : { pricing: pricing as PricingRule }),
  };
  validateRound(round, source);
  return round;
}

/**
 * Checks a round's rules, throwing {@link InputError} (with JSON paths as in the round JSON) on
 * the first broken one: rollup and ticket ids non-empty and unique; reserves, amounts and price
 * ≥ 0; `cap` a positive integer and at most `cap` tickets; `burnBps` an integer in 0–10000;
 * `payoutRule` one of {@link PAYOUT_RULES}; `pricing` valid; every bundle non-empty, without
 * repeats, naming only the round's rollups; every ticket amount ≥ price·|bundle|.
 *
 * @param source - file name for error messages. Default: none.
 */
export function validateRound(round: Round, source?: string): void {
  const fail = failer(source);
  if (!Number.isSafeInteger(round.cap) || round.cap < 1) fail('cap', 'must be a positive integer (tickets per sale)', round.cap);
  if (!Number.isInteger(round.burnBps) || round.burnBps < 0 || round.burnBps > 10_000) fail('burnBps', 'must be an integer from 0 to 10000', round.burnBps);
  if (!PAYOUT_RULES.includes(round.payoutRule)) fail('payoutRule', `must be one of ${PAYOUT_RULES.map((r) => `"${r}"`).join(', ')}`, round.payoutRule);
  if (round.pricing !== undefined) {
    const problem = checkPricingRule(round.pricing);
    if (problem !== null) fail(`pricing.${problem.field}`, problem.rule, problem.received);
  }
  if (round.price < 0n) fail('price', 'must not be negative', round.price);
  const rollups = new Set<string>();
  const near = new LookalikeIds(() => rollups);
  round.rollups.forEach((r, i) => {
    checkId(r.id, `rollups[${i}].id`, fail);
    if (rollups.has(r.id)) fail(`rollups[${i}].id`, 'repeats the id of an earlier rollup', r.id);
    rollups.add(r.id);
    if (r.reserve < 0n) fail(`rollups[${i}].reserve`, 'must not be negative', r.reserve);
  });
  if (round.tickets.length > round.cap) fail('tickets', `must hold at most cap = ${round.cap} tickets`, `${round.tickets.length} tickets`);
  const ids = new Set<string>();
  round.tickets.forEach((t, i) => {
    const path = `tickets[${i}]`;
    checkId(t.id, `${path}.id`, fail);
    if (ids.has(t.id)) fail(`${path}.id`, 'repeats the id of an earlier ticket', t.id);
    ids.add(t.id);
    checkId(t.holder, `${path}.holder`, fail);
    if (t.bundle.length === 0) fail(`${path}.bundle`, 'must name at least one rollup', t.bundle);
    const members = new Set<string>();
    t.bundle.forEach((m, j) => {
      if (!rollups.has(m)) fail(`${path}.bundle[${j}]`, `names an unknown rollup${near.hint(m, 'rollup')}`, m);
      if (members.has(m)) fail(`${path}.bundle[${j}]`, 'repeats a rollup already in this bundle', m);
      members.add(m);
    });
    const minimum = round.price * BigInt(t.bundle.length);
    if (t.amount < 0n) fail(`${path}.amount`, 'must not be negative', t.amount);
    if (t.amount < minimum) fail(`${path}.amount`, `must be at least price × |bundle| = ${round.price} × ${t.bundle.length} = ${minimum}`, t.amount.toString());
  });
}

/**
 * The result as the lottery JSON object: exactly `winners` (`bundle`, `tickets`, `paid`,
 * `proposer`: the drawn ticket's id, `proposerHolder`: its holder), `refunds`, `payouts`, `burned`, `selfSequenced`, `nextPrice`, `draw` (lottery
 * only) and `digest`. Amounts stay `bigint` here (written as decimal strings).
 */
export function roundResultObject(result: Omit<RoundResult, 'digest' | 'status'> & { readonly digest?: string }): Record<string, unknown> {
  return {
    winners: result.winners.map((w) => ({ bundle: w.bundle, tickets: w.tickets, paid: w.paid, proposer: w.proposer, proposerHolder: w.proposerHolder })),
    refunds: result.refunds.map((r) => ({ ticket: r.ticket, amount: r.amount })),
    payouts: result.payouts.map((p) => ({ rollup: p.rollup, amount: p.amount })),
    burned: result.burned,
    selfSequenced: result.selfSequenced,
    nextPrice: result.nextPrice,
    ...(result.draw === undefined ? {} : {
      draw: { seed: result.draw.seed, rule: result.draw.rule, bundles: result.draw.bundles.map((b) => ({ key: b.key, total: b.total, value: b.value, rejections: b.rejections })) },
    }),
    ...(result.paymentRule === undefined ? {} : { paymentRule: result.paymentRule }),
    ...(result.digest === undefined ? {} : { digest: result.digest }),
  };
}

/**
 * The result digest: sha256 hex of the canonical JSON (keys sorted, no whitespace, amounts as
 * decimal strings) of {@link roundResultObject} without `digest`. Anyone can recompute it from
 * the lottery's JSON output by dropping `digest` and hashing the canonical JSON of the rest.
 */
export function roundDigest(result: Omit<RoundResult, 'digest' | 'status'>): string {
  const { digest: _ignored, ...rest } = roundResultObject(result);
  return sha256Hex(canonicalJson(rest));
}

/** The lottery JSON of a result, one line (no trailing newline), amounts as decimal strings. */
export function roundResultToJson(result: RoundResult): string {
  return JSON.stringify(roundResultObject(result), (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

type Fail = (path: string, rule: string, ...value: [unknown?]) => never;

function failer(source: string | undefined): Fail {
  return (path, rule, ...value) => {
    throw new InputError({ ...(source === undefined ? {} : { source }), path, rule, ...(value.length > 0 ? { received: describeValue(value[0]) } : {}) });
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayAt(data: Record<string, unknown>, key: string, fail: Fail): unknown[] {
  const v = data[key];
  return Array.isArray(v) ? (v as unknown[]) : fail(key, 'must be an array', v);
}

function stringAt(data: Record<string, unknown>, key: string, path: string, fail: Fail): string {
  const v = data[key];
  return typeof v === 'string' ? v : fail(path, 'must be a string', v);
}

/** Ids: non-empty, at most 256 characters, no control characters, NFC (as instance ids). */
function checkId(id: string, path: string, fail: Fail): void {
  if (id.length === 0) fail(path, 'must not be empty', id);
  if (id.length > 256) fail(path, 'must be at most 256 characters', id);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) fail(path, 'must not contain control characters', id);
  if (id.normalize('NFC') !== id) fail(path, 'must be in Unicode NFC form', id);
}
