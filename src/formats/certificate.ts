/**
 * Certificate JSON: `{ "bound": "…", "rollups": { "<id>": "<price>" }, "groups": { "<key>": "<price>" } }`,
 * prices in the instance's own units (its `decimals`), like every amount the CLI prints.
 */
import { InputError, describeValue } from '../model/errors.js';
import { closestKey, rejectUnknownKeys } from '../model/keys.js';
import { LookalikeIds } from '../model/lookalike.js';
import { formatAmount, parseScaledDecimal } from '../model/money.js';
import type { Certificate, Instance } from '../model/types.js';
import { parseJsonText } from './json.js';

/** Writes a certificate as pretty JSON (ids in canonical order). */
export function certificateToJson(instance: Instance, cert: Certificate, bound: bigint): string {
  const prices = (entries: Iterable<[string, bigint]>): Record<string, string> =>
    Object.fromEntries([...entries].map(([id, p]) => [id, formatAmount(p, instance.decimals)]));
  const rollups = prices(instance.rollups.map((r) => [r.id, cert.rollups.get(r.id) ?? 0n]));
  const groups = prices([...cert.groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ bound: formatAmount(bound, instance.decimals), rollups, groups }, null, 2)}\n`;
}

/** Keys of a certificate object; any other key is an error. */
export const CERTIFICATE_KEYS = ['bound', 'rollups', 'groups'] as const;

/**
 * Parses certificate JSON. Prices must be non-negative decimals with at most the instance's
 * decimals; `rollups` may name only the instance's rollups and `groups` only its exclusive
 * groups; anything else (an unknown key included) is an {@link InputError} naming the field,
 * with the closest known name when one is close. The `bound` field, if any, is ignored: the
 * checker recomputes it.
 */
export function parseCertificateJson(text: string, instance: Instance, source?: string): Certificate {
  const data = parseJsonText(text, source);
  const src = source === undefined ? {} : { source };
  const fail = (path: string, rule: string, value: unknown): never => {
    throw new InputError({ ...src, path, rule, received: describeValue(value) });
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('(root)', 'certificate must be an object with "rollups" (and optional "groups") prices', data);
  const record = data as Record<string, unknown>;
  rejectUnknownKeys(record, CERTIFICATE_KEYS, { ...src, path: '' });
  const names = {
    rollups: instance.rollups.map((r) => r.id),
    groups: [...new Set(instance.bids.flatMap((b) => (b.exclusive === undefined ? [] : [b.exclusive])))],
  };
  const read = (field: 'rollups' | 'groups'): Map<string, bigint> => {
    const known = new Set(names[field]);
    const near = new LookalikeIds(() => known);
    const raw = record[field] ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(field, 'must be an object mapping ids to prices', raw);
    const out = new Map<string, bigint>();
    for (const [id, price] of Object.entries(raw as Record<string, unknown>)) {
      const path = `${field}[${JSON.stringify(id)}]`;
      if (!known.has(id)) {
        const kind = field === 'rollups' ? 'rollup' : 'exclusive group';
        const close = near.near(id) ?? closestKey(id, names[field]);
        fail(path, `names no ${kind} of the instance${close === undefined ? '' : `; did you mean ${JSON.stringify(close)}?`}`, id);
      }
      if (typeof price !== 'string' && typeof price !== 'number') fail(path, 'price must be a decimal string', price);
      const text = String(price);
      if (text.startsWith('-')) fail(path, 'price must not be negative', price);
      out.set(id, parseScaledDecimal(text, instance.decimals, { ...src, path }));
    }
    return out;
  };
  return { rollups: read('rollups'), groups: read('groups') };
}
