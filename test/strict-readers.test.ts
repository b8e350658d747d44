/**
 * One class of defect, every reader: a key the reader does not know (a misspelling of a known
 * key, or anything else) inserted into any closed object of a valid input is bad input (exit 2,
 * the key and its path named), never silently ignored. Allocation JSON's root stays open.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateToJson } from '../src/formats/certificate.js';
import { instanceToJson } from '../src/formats/json.js';
import { generateInstance } from '../src/generators/index.js';
import { parseRoundJson } from '../src/mechanism/round-json.js';
import { InputError } from '../src/model/errors.js';
import { closestKey } from '../src/model/keys.js';
import { CONFIG_KEYS, parseNodeConfig } from '../src/node/config.js';
import { configObject } from './node/fixtures.js';
import { lpCertificate } from '../src/solver/certificate.js';
import { solve } from '../src/solver/solve.js';
import { runCli } from './support/cli.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-strict-'));
afterAll(() => undefined);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every object inside a JSON value, with its path as the readers print it. */
function objects(value: Json, path = ''): { path: string; object: { [key: string]: Json } }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objects(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const here = [{ path, object: value }];
  return here.concat(Object.entries(value).flatMap(([k, v]) => objects(v, path === '' ? k : `${path}.${k}`)));
}

/** One edit of a key: drop, swap, change or add a character, or change case. */
const misspelling = (key: string): fc.Arbitrary<string> =>
  fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: Math.max(0, key.length - 1) }), fc.constantFrom('a', 'e', 'r', 's', 'x', '_')).map(([kind, i, c]) => {
    switch (kind) {
      case 0: return key.slice(0, i) + key.slice(i + 1);
      case 1: return i + 1 < key.length ? key.slice(0, i) + (key[i + 1] ?? '') + (key[i] ?? '') + key.slice(i + 2) : `${key}${c}`;
      case 2: return key.slice(0, i) + c + key.slice(i + 1);
      case 3: return key.slice(0, i) + c + key.slice(i);
      default: return key.toUpperCase();
    }
  });

/** Any other key: short words, spaces and punctuation included. */
const otherKey = fc.stringMatching(/^[A-Za-z0-9_ .-]{1,12}$/);

/** A valid input with one unknown key inserted into one of its objects (chosen by `pick`). */
function withUnknownKey(valid: Json, known: (path: string, object: { [key: string]: Json }) => readonly string[] | null) {
  const sites = objects(valid).filter((s) => known(s.path, s.object) !== null);
  return fc.record({ site: fc.nat({ max: sites.length - 1 }), misspell: fc.boolean(), pick: fc.nat(), other: otherKey })
    .chain(({ site, misspell, pick, other }) => {
      const s = sites[site] as (typeof sites)[number];
      const keys = known(s.path, s.object) as readonly string[];
      const base = keys[pick % keys.length] ?? 'x';
      return (misspell && keys.length > 0 ? misspelling(base) : fc.constant(other)).map((key) => ({ s, key, keys }));
    })
    .filter(({ s, key, keys }) => key !== '' && !keys.includes(key) && !(key in s.object))
    .map(({ s, key, keys }) => {
      const copy = structuredClone(valid);
      const target = objects(copy).find((o) => o.path === s.path)?.object as { [key: string]: Json };
      target[key] = '1';
      return { text: JSON.stringify(copy, null, 2), key, path: s.path, suggestion: closestKey(key, keys) };
    });
}

/** The CLI rejected the input: exit 2, one line naming the key (and the suggestion if close). */
function expectRejected(run: { code: number; stdout: string; stderr: string }, key: string, suggestion: string | undefined): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(JSON.stringify(key));
  if (suggestion !== undefined) expect(run.stderr).toContain(`did you mean ${JSON.stringify(suggestion)}?`);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const instance = generateInstance('rollup-market', { rollups: 6, bids: 14, seed: 3 });
const instanceText = instanceToJson(instance);
const instanceFile = join(dir, 'instance.json');
writeFileSync(instanceFile, instanceText);
const allocationFile = join(dir, 'allocation.json');
const INSTANCE_KNOWN = (path: string): readonly string[] =>
  path === '' ? ['rollups', 'bids', 'decimals'] : path.startsWith('rollups') ? ['id', 'reserve'] : ['id', 'bidder', 'bundle', 'amount', 'exclusive'];

describe('every reader rejects an unknown key anywhere', () => {
  it('instance JSON: exit 2 naming the key and its path', async () => {
    const solved = await solve(instance, { method: 'exact', timeLimit: 10 });
    writeFileSync(allocationFile, JSON.stringify({ winners: solved.winners }));
    const valid = JSON.parse(instanceText) as Json;
    let misspelt = 0;
    await fc.assert(fc.asyncProperty(withUnknownKey(valid, INSTANCE_KNOWN), async ({ text, key, path, suggestion }) => {
      const file = join(dir, 'bad-instance.json');
      writeFileSync(file, text);
      const run = await runCli('verify', file, allocationFile);
      expectRejected(run, key, suggestion);
      expect(run.stderr).toContain(`${file}: ${path === '' ? '' : `${path}`}`);
      if (suggestion !== undefined) misspelt++;
    }), { seed: PROPERTY_SEED, numRuns: 60 });
    expect(misspelt).toBeGreaterThan(10);
  });

  it('lottery round JSON: exit 2, and the library throws a typed InputError', async () => {
    const valid = JSON.parse(readFileSync('examples/round.json', 'utf8')) as Json;
    (valid as { [k: string]: Json })['pricing'] = { kind: 'eip1559', targetBps: 5000, denominator: 8 };
    const known = (path: string): readonly string[] => path === '' ? ['rollups', 'tickets', 'price', 'cap', 'burnBps', 'payoutRule', 'pricing']
      : path === 'pricing' ? ['kind', 'targetBps', 'denominator'] : path.startsWith('rollups') ? ['id', 'reserve'] : ['id', 'holder', 'bundle', 'amount'];
    await fc.assert(fc.asyncProperty(withUnknownKey(valid, known), async ({ text, key, suggestion }) => {
      const file = join(dir, 'bad-round.json');
      writeFileSync(file, text);
      expectRejected(await runCli('lottery', file, '--seed', '00'), key, suggestion);
      expect(() => parseRoundJson(text, file)).toThrow(InputError);
    }), { seed: PROPERTY_SEED, numRuns: 40 });
  });

  it('node config: a typed InputError naming the key, inside lottery.pricing and rateLimit too', () => {
    const valid = configObject('lottery', { rateLimit: { perSecond: 10, burst: 20 } }) as Json;
    ((valid as { [k: string]: Json })['lottery'] as { [k: string]: Json })['pricing'] = { kind: 'multiplicative', raiseBps: 1250, lowerBps: 1250, lowerBelowBps: 5000 };
    expect(() => parseNodeConfig(JSON.stringify(valid), 'market.json', {})).not.toThrow();
    const known = (path: string): readonly string[] => path === '' ? CONFIG_KEYS : path === 'lottery' ? ['price', 'cap', 'pricing']
      : path === 'lottery.pricing' ? ['kind', 'raiseBps', 'lowerBps', 'lowerBelowBps'] : path === 'rateLimit' ? ['perSecond', 'burst'] : ['id', 'signer', 'reserve', 'optIn'];
    const sites = new Set<string>();
    fc.assert(fc.property(withUnknownKey(valid, known), ({ text, key, path, suggestion }) => {
      sites.add(path.replace(/\[\d+\]/, '[]'));
      let error: unknown;
      try { parseNodeConfig(text, 'market.json', {}); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(InputError);
      const message = (error as InputError).message;
      expect(message).toContain(`market.json: ${path}`);
      expect(message).toContain(JSON.stringify(key));
      if (suggestion !== undefined) expect(message).toContain(`did you mean ${JSON.stringify(suggestion)}?`);
    }), { seed: PROPERTY_SEED, numRuns: 80 });
    // Guard: the nested objects were reached, the pricing rule included.
    expect([...sites].sort()).toEqual(['', 'lottery', 'lottery.pricing', 'rateLimit', 'rollups[]']);
  });

  it('certificate JSON: unknown keys and unknown rollup or group ids, exit 2', async () => {
    const { certificate, bound } = await lpCertificate(instance, { timeLimit: 10 });
    const valid = JSON.parse(certificateToJson(instance, certificate, bound)) as Json;
    const groups = [...new Set(instance.bids.flatMap((b) => (b.exclusive === undefined ? [] : [b.exclusive])))];
    const known = (path: string): readonly string[] =>
      path === '' ? ['bound', 'rollups', 'groups'] : path === 'rollups' ? instance.rollups.map((r) => r.id) : groups;
    const { code } = await runCli('verify', instanceFile, allocationFile, '--certificate', writeText('cert.json', JSON.stringify(valid)));
    expect(code).toBe(0);
    await fc.assert(fc.asyncProperty(withUnknownKey(valid, known), async ({ text, key, suggestion }) => {
      const run = await runCli('verify', instanceFile, allocationFile, '--certificate', writeText('bad-cert.json', text));
      expectRejected(run, key, suggestion);
    }), { seed: PROPERTY_SEED, numRuns: 40 });
  });

  it('allocation JSON: the root is open (extra keys change nothing) but a misspelt "winners" is named', async () => {
    const base = await runCli('verify', instanceFile, allocationFile, '--json');
    expect(base.code).toBe(0);
    const winners = (JSON.parse(readFileSync(allocationFile, 'utf8')) as { winners: string[] }).winners;
    await fc.assert(fc.asyncProperty(otherKey.filter((k) => k !== 'winners'), misspelling('winners'), async (extra, typo) => {
      const open = await runCli('verify', instanceFile, writeText('open.json', JSON.stringify({ winners, [extra]: 'x' })), '--json');
      expect(open).toEqual(base);
      fc.pre(typo !== 'winners');
      const run = await runCli('verify', instanceFile, writeText('typo.json', JSON.stringify({ [typo]: winners })));
      expectRejected(run, typo, 'winners');
    }), { seed: PROPERTY_SEED, numRuns: 30 });
  });
});

function writeText(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
