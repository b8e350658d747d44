import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import highsModule, { type Highs } from 'highs';
import { describe, expect, it } from 'vitest';
import {
  detectCatsDialect, instanceToCats, instanceToJson, instanceToLp, lpVariableName, parseAllocationJson, parseCats,
  parseInstanceJson, readAllocationFile, readInstanceFile, writeInstance,
} from '../src/formats/index.js';
import { InputError } from '../src/model/errors.js';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';
import { instances as instanceArb } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { bruteForceValue } from './support/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-formats-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
// The package ships CommonJS typings for an ESM build: its default export is the loader.
const highsLoader = highsModule as unknown as () => Promise<Highs>;
const corpus = (folder: string): string[] => readdirSync(join('corpus', folder)).filter((f) => f.endsWith('.txt')).sort().map((f) => join('corpus', folder, f));

/** The InputError thrown by `run`; fails the test when nothing (or something else) is thrown. */
function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/** Asserts parseCats(text) fails with a message naming the file, the position and the rule. */
function expectCatsError(text: string, position: string, ...fragments: string[]): InputError {
  const error = inputError(() => parseCats(text, 'bad.txt'));
  expect(error.message).toContain('bad.txt');
  expect(error.message).toContain(position);
  for (const f of fragments) expect(error.message).toContain(f);
  expect(error.message).not.toContain('\n');
  return error;
}

describe('CATS corpus', () => {
  it.each(corpus('cats'))('%s: 2000 bids, goods ≥ N become exclusive groups', async (path) => {
    const n = Number(readFileSync(path, 'utf8').trim().split(/\s+/)[0]);
    const instance = await readInstanceFile(path);
    expect(detectCatsDialect(readFileSync(path, 'utf8'))).toBe('cast');
    expect(instance.bids).toHaveLength(2000);
    expect(instance.rollups.map((r) => r.id)).toEqual(Array.from({ length: n }, (_, g) => String(g)));
    const grouped = instance.bids.filter((b) => b.exclusive !== undefined);
    expect(grouped.length).toBeGreaterThan(0);
    for (const b of grouped) {
      expect(b.exclusive).toMatch(/^dummy\d+$/);
      expect(Number(b.exclusive?.slice(5))).toBeGreaterThanOrEqual(n);
      expect(b.bidder).toBe(b.exclusive);
    }
    for (const b of instance.bids) for (const r of b.bundle) expect(Number(r)).toBeLessThan(n);
    expect(instance.decimals).toBeGreaterThan(0);
  });

  it('parses CAST prices exactly at the file\'s precision', async () => {
    const instance = await readInstanceFile('corpus/cats/paths_100.txt');
    expect(instance.decimals).toBe(7); // the file's longest price has 7 decimals
    const first = instance.bids.find((b) => b.id === '0');
    expect(first).toMatchObject({ amount: 6717410n, bundle: ['54'], exclusive: 'dummy100', bidder: 'dummy100' });
    expect(instance.bids.find((b) => b.id === '1999')).toMatchObject({ amount: 2355230n, bundle: ['71'], bidder: '1999' });
  });

  it.each([...corpus('lau-goh'), ...corpus('sandholm')])('%s: bid count = header M (or line count)', async (path) => {
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const header = (lines[0] as string).trim();
    const bidLines = lines.slice(1).filter((l) => l.trim() !== '').length;
    const instance = await readInstanceFile(path);
    expect(detectCatsDialect(text)).toBe('lau-goh');
    if (header === '') {
      expect(path).toContain('in401');
      expect(instance.bids).toHaveLength(bidLines);
    } else {
      const [n, m] = header.split(/\s+/).map(Number) as [number, number];
      expect(instance.bids).toHaveLength(m);
      expect(bidLines).toBe(m);
      expect(instance.rollups.length).toBeGreaterThanOrEqual(n);
    }
    expect(instance.bids.every((b) => b.exclusive === undefined && b.bidder === b.id)).toBe(true);
    expect(instance.bids.map((b) => b.id)).toEqual(Array.from({ length: instance.bids.length }, (_, i) => String(i)));
  });

  it('Lau–Goh bid ids are the 0-based order of the bid lines, rollups {0..N-1} ∪ goods used', () => {
    const instance = parseCats('\r\n3 2\r\n\r\n0.671741 1 3\r\n2 2\r\n', 'x.txt');
    expect(instance.decimals).toBe(6);
    expect(instance.rollups.map((r) => r.id)).toEqual(['0', '1', '2', '3']);
    expect(instance.bids).toEqual([
      { id: '0', bidder: '0', bundle: ['1', '3'], amount: 671741n },
      { id: '1', bidder: '1', bundle: ['2'], amount: 2000000n },
    ]);
  });

  it('a headerless Lau–Goh file (blank first line) takes N and M from its bids', () => {
    const instance = parseCats('\n5.5 7 9\n1 9\n', 'h.txt');
    expect(instance.rollups.map((r) => r.id)).toEqual(['7', '9']);
    expect(instance.bids.map((b) => b.amount)).toEqual([55n, 10n]);
  });

  it('takes decimals from the longest price: "12.5" and "3.25" give 1250n and 325n', () => {
    const instance = parseCats('%% CATS\ngoods 2\nbids 2\ndummy 0\n\n0\t12.5\t0\t#\n1\t3.25\t1\t#\n', 'mix.txt');
    expect(instance.decimals).toBe(2);
    expect(instance.bids.map((b) => b.amount)).toEqual([1250n, 325n]);
  });

  it('reads CATS v2 headers in any order, CRLF, and dummy goods as groups', () => {
    const text = '% comment\r\ndummy 1\r\nbids 3\r\ngoods 2\r\n\r\n0\t1\t0\t2\t#\r\n1\t2\t1\t2\t#\r\n2\t0.5\t0\t1\t#\r\n';
    expect(detectCatsDialect(text)).toBe('cats-v2');
    expect(parseCats(text, 'v2.txt')).toEqual({
      rollups: [{ id: '0', reserve: 0n }, { id: '1', reserve: 0n }],
      bids: [
        { id: '0', bidder: 'dummy2', bundle: ['0'], amount: 10n, exclusive: 'dummy2' },
        { id: '1', bidder: 'dummy2', bundle: ['1'], amount: 20n, exclusive: 'dummy2' },
        { id: '2', bidder: '2', bundle: ['0', '1'], amount: 5n },
      ],
      decimals: 1,
    });
  });
});

describe('CATS errors name the file, the line and the rule', () => {
  const v2 = (...bids: string[]): string => `goods 3\nbids ${bids.length}\ndummy 2\n${bids.join('\n')}\n`;

  it('non-numeric price', () => {
    expectCatsError(v2('0\t1.5\t0\t#', '1\tabc\t1\t#'), 'line 5, field 2', 'price must be a non-negative decimal', '"abc"');
    expectCatsError(v2('0\t1e5\t0\t#'), 'line 4, field 2', 'no exponent', '"1e5"');
  });
  it('negative price', () => {
    expectCatsError(v2('0\t-2.5\t0\t#'), 'line 4, field 2', 'price must not be negative', '"-2.5"');
    expectCatsError('2 1\n-1 1\n', 'line 2, field 1', 'price must not be negative');
  });
  it('bad good number', () => {
    expectCatsError(v2('0\t1\t0\tx\t#'), 'line 4, field 4', 'good must be a non-negative integer', '"x"');
    expectCatsError(v2('0\t1\t0\t5\t#'), 'line 4, field 4', 'good number must be below goods + dummy = 5', '5');
    expectCatsError('3 1\n1 2 4\n', 'line 2, field 3', 'good number must be at most N = 3');
  });
  it('repeated good in a bid', () => {
    expectCatsError(v2('0\t1\t0\t2\t0\t#'), 'line 4, field 5', 'repeats good 0 in this bid');
    expectCatsError('3 1 #\n0 1 1 1 #\n', 'line 2, field 4', 'repeats good 1 in this bid');
  });
  it('missing # (CATS v2 and CAST) and a stray # (Lau–Goh)', () => {
    expectCatsError(v2('0\t1\t0\t#', '1\t1\t1'), 'line 5', 'bid line must end with #');
    expectCatsError('3 1 #\n0 1 1\n', 'line 2', 'bid line must end with # (CAST');
    expectCatsError(v2('0\t1\t0\t#\t7'), 'line 4, field 5', 'nothing may follow the closing #');
    expectCatsError('3 1\n1 2 #\n', 'line 2, field 3', 'has no # terminator');
  });
  it('a bid with no goods', () => {
    expectCatsError(v2('0\t1\t#'), 'line 4', 'bid must name at least one good');
    expectCatsError('3 1\n1.5\n', 'line 2', 'bid must name at least one good');
    expectCatsError(v2('0\t1\t3\t#'), 'line 4', 'names only a dummy good');
  });
  it('more than one dummy good in a bid', () => {
    expectCatsError(v2('0\t1\t0\t3\t4\t#'), 'line 4, field 5', 'more than one dummy good (3 and 4)');
  });
  it('a repeated bid id', () => {
    expectCatsError(v2('0\t1\t0\t#', '00\t1\t1\t#'), 'line 5, field 1', 'repeats bid id 0 of line 4');
  });
  it('header bid count M not matching the bid lines', () => {
    expectCatsError('goods 3\nbids 3\n0\t1\t0\t#\n', 'line 2', 'header says 3 bids but the file has 1 bid line');
    expectCatsError('40 2 #\n0\t1\t0\t#\n', 'line 1', 'header says 2 bids but the file has 1 bid line');
    expectCatsError('\n\n5 1\n1 2\n1 3\n', 'line 3', 'header says 1 bid but the file has 2 bid lines');
  });
  it('an empty file', () => {
    const error = expectCatsError('\r\n% only a comment\n  \n', '', 'empty file');
    expect(error.message).toMatch(/^bad\.txt: empty file/);
  });
  it('unrecognised header, misplaced header, bad header', () => {
    expectCatsError('hello world again\n', 'line 1', 'unrecognised header');
    expectCatsError('0\t1\t0\t#\n', 'line 1', 'need a header first');
    expectCatsError('goods 3\n0\t1\t0\t#\nbids 1\n', 'line 3, field 1', 'must come before the first bid line');
    expectCatsError('goods x\n', 'line 1, field 2', '`goods` count must be a non-negative integer');
    expectCatsError('bids 0\n', 'line 1', 'must give `goods N`');
    expectCatsError('bids 0\ngoods 99999999999\n', 'line 2, field 2', 'number of goods must be at most 10000000');
    expectCatsError('99999999999 0\n', 'line 1, field 1', 'number of goods must be at most 10000000');
  });
  it('malformed or dangling metadata comments', () => {
    expectCatsError('% rollup 0 alpha 1\ngoods 1\nbids 0\n', 'line 1', 'metadata comment must be `% rollup');
    expectCatsError('% rollup 4 "a" 0\ngoods 1\nbids 0\n', 'line 1', 'names good 4, which is not a rollup');
    expectCatsError('% bid 9 "a" "b"\ngoods 1\nbids 0\n', 'line 1', 'names bid 9, which is not in the file');
    expectCatsError('% rollup 0 "1" 0\ngoods 2\nbids 0\n', 'line 1', 'repeats that of good 0');
  });
  it('reports a missing file with the OS reason', async () => {
    const path = join(dir, 'missing.txt');
    await expect(readInstanceFile(path)).rejects.toThrow(InputError);
    await expect(readInstanceFile(path)).rejects.toThrow(`${path}: cannot read file: no such file`);
    await expect(readAllocationFile(path)).rejects.toThrow('no such file');
  });
  it('names the file when reading through readInstanceFile', async () => {
    const path = file('broken.cats', '3 1 #\n0 1 1 #\n0 1 2 #\n');
    await expect(readInstanceFile(path)).rejects.toThrow(`${path}: line 1: header says 1 bid but the file has 2 bid lines`);
  });
});

/** Ids with spaces, quotes, backslashes and non-ASCII text; never control characters. */
const idArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && s.normalize('NFC') === s);

/** Random instances with arbitrary ids, bidders, group keys, reserves and decimals. */
const wildInstanceArb: fc.Arbitrary<Instance> = fc.record({
  base: instanceArb({ maxRollups: 6, maxBids: 8, maxAmount: 10n ** 20n, groups: true }),
  names: fc.uniqueArray(idArb, { minLength: 30, maxLength: 30 }),
  bidders: fc.array(idArb, { minLength: 8, maxLength: 8 }),
  decimals: fc.integer({ min: 0, max: 18 }),
}).map(({ base, names, bidders, decimals }) => {
  const rename = new Map<string, string>();
  base.rollups.forEach((r, i) => rename.set(r.id, names[i] as string));
  return createInstance({
    rollups: base.rollups.map((r) => ({ id: rename.get(r.id) as string, reserve: r.reserve })),
    bids: base.bids.map((b, i) => ({
      id: names[10 + i] as string,
      bidder: bidders[i] as string,
      bundle: b.bundle.map((m) => rename.get(m) as string),
      amount: b.amount,
      ...(b.exclusive === undefined ? {} : { exclusive: names[20 + Number(b.exclusive.slice(1))] as string }),
    })),
    decimals,
  });
});

const handInstance = createInstance({
  rollups: [
    { id: 'alpha', reserve: '1500' }, { id: 'rollup two', reserve: 0 }, { id: 'ζ-chain ✓', reserve: 7n }, { id: '"q\\x', reserve: 0 },
  ],
  bids: [
    { id: 'b 1', bidder: '0x01', bundle: ['alpha', 'rollup two'], amount: '2000000000000000002', exclusive: 'group α' },
    { id: 'b2', bidder: 'bob smith', bundle: ['ζ-chain ✓'], amount: 5, exclusive: 'group α' },
    { id: '日本', bundle: ['"q\\x', 'alpha'], amount: 0 },
    { id: 'b10', bidder: 'carol', bundle: ['rollup two'], amount: '12', exclusive: 'dummy7' },
  ],
  decimals: 3,
});

describe('JSON', () => {
  it('writes the DESIGN §2 shape and round-trips', () => {
    const text = instanceToJson(handInstance);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('  "decimals": 3,\n');
    expect(text).toContain('    { "id": "b 1", "bidder": "0x01", "bundle": ["alpha", "rollup two"], "amount": "2000000000000000002", "exclusive": "group α" }');
    expect(text).toContain('{ "id": "日本", "bidder": "日本", "bundle": ["\\"q\\\\x", "alpha"], "amount": "0" }');
    expect(parseInstanceJson(text)).toEqual(handInstance);
    expect((JSON.parse(text) as { rollups: unknown[] }).rollups[1]).toEqual({ id: 'alpha', reserve: '1500' });
    const plain = instanceToJson(createInstance({ rollups: [{ id: 'a' }], bids: [] }));
    expect(plain).toBe('{\n  "rollups": [\n    { "id": "a", "reserve": "0" }\n  ],\n  "bids": []\n}\n');
  });

  it('round-trips random instances with arbitrary ids', () => {
    fc.assert(fc.property(wildInstanceArb, (x) => {
      expect(parseInstanceJson(instanceToJson(x))).toEqual(x);
    }), { seed: PROPERTY_SEED, numRuns: 150 });
  });

  it('reports syntax errors with line and column', () => {
    const trailing = inputError(() => parseInstanceJson('{\n  "rollups": [],\n  "bids": [],\n}', 'i.json'));
    expect(trailing.message).toMatch(/^i\.json: line 4, column 1: invalid JSON: /);
    // V8 gives no position for this one: the reader locates it itself.
    const token = inputError(() => parseInstanceJson('{\n  "rollups": [ ]\n  , "bids": }', 'i.json'));
    expect(token.message).toContain('i.json: line 3, column 13: invalid JSON: Unexpected token');
    const truncated = inputError(() => parseInstanceJson('{\n  "rollups": [', 'i.json'));
    expect(truncated.message).toContain('i.json: line 2, column 15: invalid JSON: Unexpected end of JSON input');
  });

  it('reports instance rule violations with their JSON path', () => {
    const error = inputError(() => parseInstanceJson('{"rollups":[{"id":"a"}],"bids":[{"id":"b","bundle":["a"],"amount":"1.5"}]}', 'i.json'));
    expect(error.message).toContain('i.json: bids[0].amount: amount must be an integer number of base units');
  });

  it('parses allocations without deduplicating or sorting, and names bad entries', () => {
    expect(parseAllocationJson('{"winners":["b2","b1","b2"],"value":"3"}')).toEqual({ winners: ['b2', 'b1', 'b2'] });
    expect(inputError(() => parseAllocationJson('{"winners":["a","b","c",4]}', 'w.json')).message)
      .toBe('w.json: winners[3]: must be a bid id string (received 4)');
    expect(inputError(() => parseAllocationJson('{"winner":[]}', 'w.json')).message).toContain('w.json: winners: is required (an array of bid id strings); found "winner": did you mean "winners"?');
    expect(inputError(() => parseAllocationJson('[]', 'w.json')).message).toContain('w.json: (root): allocation must be an object');
  });

  it('parses an allocation of 10^6 winners quickly', async () => {
    const winners = Array.from({ length: 1_000_000 }, (_, i) => `b${i}`);
    const path = file('big-allocation.json', JSON.stringify({ winners }));
    const started = performance.now();
    const allocation = await readAllocationFile(path);
    const elapsed = performance.now() - started;
    expect(allocation.winners).toHaveLength(1_000_000);
    expect(allocation.winners[999_999]).toBe('b999999');
    expect(elapsed).toBeLessThan(20_000); // generous (a loaded CI): guards against pathological slowness only
  });
});

describe('CATS writer', () => {
  it('writes CATS v2 that round-trips, with groups as dummy goods', () => {
    const text = instanceToCats(handInstance);
    const lines = text.split('\n');
    expect(lines).toContain('goods 4');
    expect(lines).toContain('bids 4');
    expect(lines).toContain('dummy 2');
    expect(lines).toContain('% decimals 3');
    expect(lines).toContain('% rollup 3 "ζ-chain ✓" 0.007');
    expect(lines).toContain('% group 4 "dummy7"');
    expect(lines).toContain('% group 5 "group α"');
    expect(lines).toContain('% bid 2 "b 1" "0x01"');
    // Canonical orders: bids b2, b10, "b 1", 日本; rollups "q\x, alpha, rollup two, ζ-chain ✓.
    expect(lines).toContain('0\t0.005\t3\t5\t#');
    expect(lines).toContain('1\t0.012\t2\t4\t#');
    expect(lines).toContain('2\t2000000000000000.002\t1\t2\t5\t#');
    expect(lines).toContain('3\t0.000\t0\t1\t#');
    expect(parseCats(text, 'out.txt')).toEqual(handInstance);
    expect(writeInstance(handInstance, 'cats')).toBe(text);
  });

  it('round-trips random instances with arbitrary ids, reserves and decimals', () => {
    fc.assert(fc.property(wildInstanceArb, (x) => {
      expect(parseCats(instanceToCats(x))).toEqual(x);
    }), { seed: PROPERTY_SEED, numRuns: 150 });
  });

  it('round-trips instances without bids and corpus instances', async () => {
    const empty = createInstance({ rollups: [{ id: 'a', reserve: 5 }], bids: [], decimals: 4 });
    expect(parseCats(instanceToCats(empty))).toEqual(empty);
    const corpusInstance = await readInstanceFile('corpus/cats/matching_40.txt');
    expect(parseCats(instanceToCats(corpusInstance))).toEqual(corpusInstance);
    const path = file('round.cats', instanceToCats(handInstance));
    expect(await readInstanceFile(path)).toEqual(handInstance);
    expect(await readInstanceFile(file('round.json', instanceToJson(handInstance)))).toEqual(handInstance);
  });

  it('ignores the metadata comments when another dialect carries them', () => {
    // CAST header instead of the v2 headers: the metadata lines stay plain comments.
    const body = instanceToCats(handInstance).split('\n').filter((l) => !/^(goods|bids|dummy) /.test(l));
    const instance = parseCats(`4 4 #\n${body.join('\n')}`, 'cast.txt');
    expect(instance.bids.map((b) => b.id)).toEqual(['0', '1', '2', '3']);
    expect(instance.rollups.map((r) => r.id)).toEqual(['0', '1', '2', '3']);
    expect(instance.rollups.every((r) => r.reserve === 0n)).toBe(true);
  });
});

describe('LP export', () => {
  const small = createInstance({
    rollups: [{ id: 'a', reserve: '5' }, { id: 'b' }, { id: 'c', reserve: '2' }, { id: 'lonely' }],
    bids: [
      { id: 'b1', bundle: ['a', 'b'], amount: '10' },
      { id: 'b2', bundle: ['b', 'c'], amount: '9', exclusive: 'g' },
      { id: 'b3', bundle: ['a'], amount: '1' },
      { id: 'b4', bundle: ['c'], amount: '6', exclusive: 'g' },
      { id: 'b5', bundle: ['lonely'], amount: '3' },
    ],
  });

  it('writes the objective as exact gains, rows only where bids compete', () => {
    const lines = instanceToLp(small).split('\n');
    expect(lines).toContain('\\ value = objective + 7 (the sum of all reserves, in base units)');
    expect(lines).toContain('\\ x0 = "b1"');
    expect(lines).toContain('\\ x4 = "b5"');
    expect(lines).toContain(' obj: 5 x0 + 7 x1 - 4 x2 + 4 x3 + 3 x4');
    expect(lines).toContain(' r0: x0 + x2 <= 1');
    expect(lines).toContain(' r1: x0 + x1 <= 1');
    expect(lines).toContain(' r2: x1 + x3 <= 1');
    expect(lines).toContain(' g0: x1 + x3 <= 1');
    expect(lines.some((l) => l.startsWith(' r3:'))).toBe(false); // "lonely" has one bid
    expect(lines.slice(lines.indexOf('Binary'))).toEqual(['Binary', ' x0 x1 x2 x3 x4', 'End', '']);
    expect(lines.indexOf('Maximize')).toBeLessThan(lines.indexOf('Subject To'));
    expect(lpVariableName(12)).toBe('x12');
  });

  it('keeps lines short and exact integers at wei scale', () => {
    const wide = createInstance({
      rollups: Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, reserve: 10n ** 18n })),
      bids: Array.from({ length: 300 }, (_, i) => ({
        id: `bid-${i}-${'x'.repeat(i % 7 === 0 ? 300 : 3)}`.slice(0, 256),
        bundle: [`r${i % 200}`, `r${(i * 7 + 1) % 200}`].filter((v, k, a) => a.indexOf(v) === k),
        amount: 10n ** 24n + BigInt(i),
      })),
    });
    const text = instanceToLp(wide);
    for (const line of text.split('\n')) expect(line.length).toBeLessThan(250);
    expect(text).toContain('\\ value = objective + 200000000000000000000 (the sum');
    expect(text).toContain('WARNING: some coefficients exceed 2^53');
    expect(text).toMatch(/ obj: 9999980000000000000000\d\d x0 \+ 9999980000000000000000\d\d x1 /);
  });

  it('HiGHS reads the export and its optimum + Σ reserves equals the brute-force value', async () => {
    const highs = await highsLoader();
    const solved = (x: Instance): bigint => {
      const result = highs.solve(instanceToLp(x), { output_flag: false });
      expect(result.Status).toBe('Optimal');
      const reserves = x.rollups.reduce((s, r) => s + r.reserve, 0n);
      return BigInt(Math.round(result.ObjectiveValue)) + reserves;
    };
    expect(solved(small)).toBe(bruteForceValue(small));
    fc.assert(fc.property(instanceArb({ maxRollups: 6, maxBids: 10, maxAmount: 1000n, groups: true }), (x) => {
      expect(solved(x)).toBe(bruteForceValue(x));
    }), { seed: PROPERTY_SEED, numRuns: 60 });
    // Degenerate models stay readable: no bids, and no competing bids.
    expect(solved(createInstance({ rollups: [{ id: 'a', reserve: 3 }], bids: [] }))).toBe(3n);
    expect(solved(createInstance({ rollups: [{ id: 'a', reserve: 3 }], bids: [{ id: 'x', bundle: ['a'], amount: 1 }] }))).toBe(3n);
  });
});
