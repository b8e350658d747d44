/**
 * CATS text formats (docs/DESIGN.md §2). Reads the three dialects of the public corpus and writes
 * CATS v2:
 *
 * - CATS v2: `%` comments, `goods N` / `bids M` / `dummy D` headers, then
 *   `id<TAB>price<TAB>good<TAB>…<TAB>#`. Goods N..N+D-1 are dummy goods encoding XOR.
 * - CAST: header `N M #`, then `id price goods… #`; every good ≥ N is a dummy good.
 * - Lau–Goh / Sandholm: header `N M` (or none), then `price goods…` with no id and no `#`;
 *   bid ids are the 0-based order of the bid lines; there are no dummy goods.
 *
 * Prices are parsed exactly: every price is scaled by 10^decimals, decimals being the largest
 * number of fraction digits in the file. The writer adds `%` comment lines (ignored by other
 * tools) carrying ids, bidders, reserves, group keys and decimals, so that
 * `parseCats(instanceToCats(x))` deep-equals `x`.
 */
import { InputError, describeValue } from '../model/errors.js';
import { createInstance, type BidInput, type RollupInput } from '../model/instance.js';
import { formatAmount, fractionDigits, parseScaledDecimal } from '../model/money.js';
import { compareIds } from '../model/order.js';
import type { Instance } from '../model/types.js';

/** The dialects {@link parseCats} recognises. */
export type CatsDialect = 'cats-v2' | 'cast' | 'lau-goh';

/** Largest `decimals` an instance may have (see createInstance). */
const MAX_DECIMALS = 36;
/** Largest number of goods N accepted in a header (every good below N becomes a rollup). */
const MAX_GOODS = 10_000_000;
const INTEGER = /^[0-9]+$/;
const DECIMAL = /^[0-9]+(?:\.[0-9]+)?$/;
// The `s` flag: ids may contain U+2028/U+2029, which `.` would not match.
const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const META = /^%\s*(rollup|bid|group|decimals)\s+([0-9]+)(?=\s|$)(.*)$/s;
const META_ROLLUP = new RegExp(String.raw`^\s+(${JSON_STRING})\s+(\S+)$`, 's');
const META_BID = new RegExp(String.raw`^\s+(${JSON_STRING})\s+(${JSON_STRING})$`, 's');
const META_GROUP = new RegExp(String.raw`^\s+(${JSON_STRING})$`, 's');

/** A non-blank, non-comment line split into whitespace-separated fields. */
interface ContentLine {
  readonly no: number;
  readonly fields: readonly string[];
}

/** A bid line after the syntax checks, before prices are scaled. */
interface RawBid {
  readonly line: number;
  /** Bid number as written (normalised decimal), or the 0-based line order. */
  readonly key: string;
  readonly price: string;
  readonly priceField: number;
  /** Real goods (rollups). */
  readonly goods: readonly number[];
  /** The dummy good, if any. */
  readonly dummy: number | undefined;
}

interface Meta<T> {
  readonly line: number;
  readonly value: T;
}

/** Metadata comment lines written by {@link instanceToCats}. */
interface Metadata {
  decimals: Meta<number> | undefined;
  readonly rollups: Map<number, Meta<{ id: string; reserve: string }>>;
  readonly bids: Map<string, Meta<{ id: string; bidder: string }>>;
  readonly groups: Map<number, Meta<string>>;
}

/** Throws the InputError of a CATS file: `source: line L[, field F]: rule (received …)`. */
type Fail = (line: number | undefined, field: number | undefined, rule: string, received?: unknown) => never;

/**
 * Detects the dialect of a CATS-style text from its first line that is neither blank nor a `%`
 * comment. Returns `undefined` when the text has no such line.
 *
 * @throws {InputError} when that line matches no dialect.
 */
export function detectCatsDialect(text: string, source?: string): CatsDialect | undefined {
  const { content } = splitLines(text);
  const first = content[0];
  return first === undefined ? undefined : dialectOf(first, makeFail(source));
}

/**
 * Parses a CATS v2, CAST or Lau–Goh/Sandholm text into a canonical {@link Instance}.
 *
 * Rollups are goods 0..N-1 (ids "0", "17", …; in the Lau–Goh dialect also every good that
 * appears, since goods there run 0..N or 1..N). A bid with a dummy good gets the exclusive
 * group `dummy<k>` and that key as bidder; other bids are their own bidders. Reserves are 0
 * unless given by `% rollup` comment lines (CATS v2 only, see {@link instanceToCats}).
 *
 * @param text - the file contents (CRLF, blank lines and a byte-order mark are tolerated).
 * @param source - file name for error messages. Default: none.
 * @throws {InputError} naming the source, `line L, field F`, the rule and the value received.
 */
export function parseCats(text: string, source?: string): Instance {
  const fail = makeFail(source);
  const { content, comments } = splitLines(text);
  const first = content[0];
  if (first === undefined) return fail(undefined, undefined, 'empty file: expected a CATS header (`goods N`, `N M #` or `N M`) and bid lines');
  const dialect = dialectOf(first, fail);

  let n: number | undefined;
  let m: number | undefined;
  let mLine = first.no;
  let dummyLimit = Number.POSITIVE_INFINITY; // goods at or above this are bad
  let bidLines: readonly ContentLine[];
  if (dialect === 'cats-v2') {
    const headers = new Map<string, { value: number; line: number }>();
    let k = 0;
    for (; k < content.length; k++) {
      const line = content[k] as ContentLine;
      const keyword = (line.fields[0] as string).toLowerCase();
      if (keyword !== 'goods' && keyword !== 'bids' && keyword !== 'dummy') break;
      const previous = headers.get(keyword);
      if (previous !== undefined) fail(line.no, undefined, `repeats the \`${keyword}\` header of line ${previous.line}`, line.fields.join(' '));
      if (line.fields.length !== 2) fail(line.no, undefined, `header must be \`${keyword} <count>\``, line.fields.join(' '));
      headers.set(keyword, { value: parseCount(line.fields[1] as string, line.no, 2, `\`${keyword}\` count`, fail), line: line.no });
    }
    const goods = headers.get('goods');
    if (goods === undefined) return fail(first.no, undefined, 'CATS v2 header must give `goods N` before the bids');
    n = goods.value;
    const bidsHeader = headers.get('bids');
    if (bidsHeader !== undefined) {
      m = bidsHeader.value;
      mLine = bidsHeader.line;
    }
    dummyLimit = n + (headers.get('dummy')?.value ?? 0);
    bidLines = content.slice(k);
    for (const line of bidLines) {
      const keyword = (line.fields[0] as string).toLowerCase();
      if (keyword === 'goods' || keyword === 'bids' || keyword === 'dummy') {
        fail(line.no, 1, `header \`${keyword}\` must come before the first bid line`, line.fields.join(' '));
      }
    }
  } else if (dialect === 'cast') {
    n = parseCount(first.fields[0] as string, first.no, 1, 'number of goods N', fail);
    m = parseCount(first.fields[1] as string, first.no, 2, 'number of bids M', fail);
    bidLines = content.slice(1);
  } else if (first.fields.length === 2 && INTEGER.test(first.fields[0] as string) && INTEGER.test(first.fields[1] as string)) {
    n = parseCount(first.fields[0] as string, first.no, 1, 'number of goods N', fail);
    m = parseCount(first.fields[1] as string, first.no, 2, 'number of bids M', fail);
    bidLines = content.slice(1);
  } else {
    bidLines = content; // Lau–Goh file without header (in401.txt): N and M unknown
  }

  if (n !== undefined && n > MAX_GOODS) {
    const line = content.find((l) => /^goods$/i.test(l.fields[0] as string)) ?? first;
    fail(line.no, line === first && dialect !== 'cats-v2' ? 1 : 2, `number of goods must be at most ${MAX_GOODS}`, n);
  }
  const raw = dialect === 'lau-goh'
    ? bidLines.map((line, i) => readLauGohBid(line, i, n, fail))
    : bidLines.map((line) => readIdBid(line, n as number, dummyLimit, dialect, fail));
  if (m !== undefined && m !== raw.length) {
    fail(mLine, undefined, `header says ${m} bid${m === 1 ? '' : 's'} but the file has ${raw.length} bid line${raw.length === 1 ? '' : 's'}`, m);
  }
  const firstLineOf = new Map<string, number>();
  for (const bid of raw) {
    const earlier = firstLineOf.get(bid.key);
    if (earlier !== undefined) fail(bid.line, 1, `repeats bid id ${bid.key} of line ${earlier}`, bid.key);
    firstLineOf.set(bid.key, bid.line);
  }

  const meta = dialect === 'cats-v2' ? readMetadata(comments, fail) : emptyMetadata();
  checkMetadataTargets(meta, n ?? 0, dummyLimit, firstLineOf, fail);

  // decimals: the most fraction digits of any price (or metadata reserve), at least `% decimals`.
  let decimals = meta.decimals?.value ?? 0;
  for (const bid of raw) {
    const d = fractionDigits(bid.price);
    if (d > MAX_DECIMALS) fail(bid.line, bid.priceField, `price must have at most ${MAX_DECIMALS} decimals`, bid.price);
    decimals = Math.max(decimals, d);
  }
  for (const [, r] of meta.rollups) {
    const d = fractionDigits(r.value.reserve);
    if (d > MAX_DECIMALS) fail(r.line, undefined, `reserve must have at most ${MAX_DECIMALS} decimals`, r.value.reserve);
    decimals = Math.max(decimals, d);
  }
  const site = (line: number, field?: number): { source?: string; path: string } => ({
    ...(source === undefined ? {} : { source }),
    path: field === undefined ? `line ${line}` : `line ${line}, field ${field}`,
  });

  // Rollups: goods 0..N-1, plus (Lau–Goh) every good that appears.
  const goodSet = new Set<number>();
  for (let g = 0; g < (n ?? 0); g++) goodSet.add(g);
  if (dialect === 'lau-goh') for (const bid of raw) for (const g of bid.goods) goodSet.add(g);
  const rollupIdOf = new Map<number, string>();
  const rollupOwner = new Map<string, { good: number; line: number | undefined }>();
  const rollups: RollupInput[] = [...goodSet].sort((a, b) => a - b).map((g) => {
    const r = meta.rollups.get(g);
    const id = r?.value.id ?? String(g);
    const clash = rollupOwner.get(id);
    if (clash !== undefined) fail(r?.line ?? clash.line, undefined, `rollup id of good ${g} repeats that of good ${clash.good}`, id);
    rollupOwner.set(id, { good: g, line: r?.line });
    rollupIdOf.set(g, id);
    return { id, reserve: r === undefined ? 0n : parseScaledDecimal(r.value.reserve, decimals, site(r.line)) };
  });

  const bidOwner = new Map<string, number>();
  const bids: BidInput[] = raw.map((bid) => {
    const bm = meta.bids.get(bid.key);
    const id = bm?.value.id ?? bid.key;
    const clash = bidOwner.get(id);
    if (clash !== undefined) fail(bm?.line ?? bid.line, undefined, `bid id repeats that of the bid on line ${clash}`, id);
    bidOwner.set(id, bid.line);
    const exclusive = bid.dummy === undefined ? undefined : meta.groups.get(bid.dummy)?.value ?? `dummy${bid.dummy}`;
    const bidder = bm?.value.bidder ?? exclusive ?? id;
    return {
      id,
      bidder,
      bundle: bid.goods.map((g) => rollupIdOf.get(g) as string),
      amount: parseScaledDecimal(bid.price, decimals, site(bid.line, bid.priceField)),
      ...(exclusive === undefined ? {} : { exclusive }),
    };
  });
  return createInstance({ rollups, bids, decimals }, source === undefined ? {} : { source });
}

/**
 * Writes an instance in CATS v2: a `%` comment header, `goods N`, `bids M`, `dummy D`, then
 * one line `k<TAB>price<TAB>goods…<TAB>#` per bid. Rollups are goods 0..N-1 and bids 0..M-1 in
 * the instance's canonical order; exclusive groups are dummy goods N..N+D-1 in canonical key
 * order; prices have exactly `instance.decimals` decimals. Comment lines `% decimals d`,
 * `% rollup k "id" reserve`, `% group k "key"` and `% bid k "id" "bidder"` (JSON-encoded
 * strings) let {@link parseCats} restore the instance exactly; other CATS tools ignore them.
 */
export function instanceToCats(instance: Instance): string {
  const d = instance.decimals;
  const n = instance.rollups.length;
  const rollupIndex = new Map<string, number>();
  instance.rollups.forEach((r, i) => rollupIndex.set(r.id, i));
  const groupKeys = [...new Set(instance.bids.flatMap((b) => (b.exclusive === undefined ? [] : [b.exclusive])))]
    .sort(compareIds);
  const groupGood = new Map<string, number>();
  groupKeys.forEach((key, i) => groupGood.set(key, n + i));
  const q = jsonString;
  const out: string[] = [
    '% CATS v2 instance written by bundle-auction',
    `% ${n} goods (rollups 0..${n - 1}), ${groupKeys.length} dummy goods (exclusive groups ${n}..${n + groupKeys.length - 1}), ${instance.bids.length} bids`,
    `% prices have ${d} decimals; reserves are not part of CATS and appear only in the "% rollup" lines`,
    '% "% decimals|rollup|group|bid" lines restore ids, bidders, reserves and group keys in bundle-auction;',
    '% other tools may ignore them (ids and keys are JSON strings)',
    `% decimals ${d}`,
  ];
  instance.rollups.forEach((r, i) => out.push(`% rollup ${i} ${q(r.id)} ${formatAmount(r.reserve, d)}`));
  groupKeys.forEach((key, i) => out.push(`% group ${n + i} ${q(key)}`));
  instance.bids.forEach((b, k) => out.push(`% bid ${k} ${q(b.id)} ${q(b.bidder)}`));
  out.push(`goods ${n}`, `bids ${instance.bids.length}`, `dummy ${groupKeys.length}`, '');
  instance.bids.forEach((b, k) => {
    const goods = b.bundle.map((id) => rollupIndex.get(id) as number).sort((x, y) => x - y);
    if (b.exclusive !== undefined) goods.push(groupGood.get(b.exclusive) as number);
    out.push([String(k), formatAmount(b.amount, d), ...goods.map(String), '#'].join('\t'));
  });
  return `${out.join('\n')}\n`;
}

/** JSON string literal with the Unicode line separators escaped, so it stays on one line anywhere. */
export function jsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function makeFail(source: string | undefined): Fail {
  return (line, field, rule, ...received) => {
    const path = line === undefined ? undefined : field === undefined ? `line ${line}` : `line ${line}, field ${field}`;
    throw new InputError({
      ...(source === undefined ? {} : { source }),
      ...(path === undefined ? {} : { path }),
      rule,
      ...(received.length > 0 ? { received: describeValue(received[0]) } : {}),
    });
  };
}

/** Splits text into content lines (fields) and `%` comment lines, keeping 1-based numbers. */
function splitLines(text: string): { content: ContentLine[]; comments: { no: number; text: string }[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  const content: ContentLine[] = [];
  const comments: { no: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('%')) comments.push({ no: i + 1, text: trimmed });
    else content.push({ no: i + 1, fields: trimmed.split(/\s+/) });
  }
  return { content, comments };
}

function dialectOf(first: ContentLine, fail: Fail): CatsDialect {
  const f = first.fields;
  const keyword = (f[0] as string).toLowerCase();
  if (keyword === 'goods' || keyword === 'bids' || keyword === 'dummy') return 'cats-v2';
  if (f.length === 3 && f[2] === '#' && INTEGER.test(f[0] as string) && INTEGER.test(f[1] as string)) return 'cast';
  if (f.length === 2 && INTEGER.test(f[0] as string) && INTEGER.test(f[1] as string)) return 'lau-goh';
  if (f[f.length - 1] === '#') {
    return fail(first.no, undefined, 'bid lines ending in # need a header first: `goods N` lines (CATS v2) or `N M #` (CAST)', f.join(' '));
  }
  // A Lau–Goh file whose header line is blank: the first line is already a bid `price goods…`.
  if (DECIMAL.test(f[0] as string) && f.length >= 2 && f.slice(1).every((g) => INTEGER.test(g))) return 'lau-goh';
  return fail(first.no, undefined, 'unrecognised header: expected `goods N`/`bids M`/`dummy D` (CATS v2), `N M #` (CAST) or `N M` (Lau–Goh)', f.join(' '));
}

function parseCount(text: string, line: number, field: number, what: string, fail: Fail): number {
  if (!INTEGER.test(text)) return fail(line, field, `${what} must be a non-negative integer`, text);
  const v = Number(text);
  if (!Number.isSafeInteger(v)) return fail(line, field, `${what} is too large`, text);
  return v;
}

function checkPrice(text: string, line: number, field: number, fail: Fail): void {
  if (DECIMAL.test(text)) return;
  if (text.startsWith('-')) fail(line, field, 'price must not be negative', text);
  fail(line, field, 'price must be a non-negative decimal number such as 12.5 (no sign, no exponent)', text);
}

/** Reads `id price goods… #` (CATS v2 and CAST). Goods ≥ n are dummy goods. */
function readIdBid(line: ContentLine, n: number, dummyLimit: number, dialect: CatsDialect, fail: Fail): RawBid {
  const f = line.fields;
  const name = dialect === 'cast' ? 'CAST' : 'CATS v2';
  const idText = f[0] as string;
  if (!INTEGER.test(idText)) fail(line.no, 1, 'bid id must be a non-negative integer', idText);
  const key = BigInt(idText).toString();
  const hash = f.indexOf('#');
  if (hash < 0) fail(line.no, undefined, `bid line must end with # (${name}: id price goods… #)`, f.join(' '));
  if (hash !== f.length - 1) fail(line.no, hash + 2, 'nothing may follow the closing #', f[hash + 1]);
  if (hash < 2) fail(line.no, 2, `bid line must be \`id price goods… #\` (${name})`, f.join(' '));
  const price = f[1] as string;
  checkPrice(price, line.no, 2, fail);
  const goods: number[] = [];
  const seen = new Set<number>();
  let dummy: number | undefined;
  for (let j = 2; j < hash; j++) {
    const g = readGood(f[j] as string, line.no, j + 1, fail);
    if (g >= dummyLimit) fail(line.no, j + 1, `good number must be below goods + dummy = ${dummyLimit}`, g);
    if (seen.has(g)) fail(line.no, j + 1, `repeats good ${g} in this bid`, g);
    seen.add(g);
    if (g < n) {
      goods.push(g);
    } else if (dummy === undefined) {
      dummy = g;
    } else {
      fail(line.no, j + 1, `bid has more than one dummy good (${dummy} and ${g}); goods ≥ ${n} encode XOR and a bid may carry only one`, g);
    }
  }
  if (hash === 2) fail(line.no, 3, 'bid must name at least one good', f.join(' '));
  if (goods.length === 0) fail(line.no, 3, `bid names only a dummy good; it must name at least one real good (below ${n})`, f.join(' '));
  return { line: line.no, key, price, priceField: 2, goods, dummy };
}

/** Reads `price goods…` (Lau–Goh / Sandholm); the bid id is its 0-based line order. */
function readLauGohBid(line: ContentLine, index: number, n: number | undefined, fail: Fail): RawBid {
  const f = line.fields;
  const price = f[0] as string;
  checkPrice(price, line.no, 1, fail);
  if (f.length < 2) fail(line.no, 2, 'bid must name at least one good', f.join(' '));
  const goods: number[] = [];
  const seen = new Set<number>();
  for (let j = 1; j < f.length; j++) {
    const text = f[j] as string;
    if (text === '#') fail(line.no, j + 1, 'this dialect (`N M` header, `price goods…` lines) has no # terminator', text);
    const g = readGood(text, line.no, j + 1, fail);
    if (n !== undefined && g > n) fail(line.no, j + 1, `good number must be at most N = ${n} (goods run 0..N-1 or 1..N)`, g);
    if (seen.has(g)) fail(line.no, j + 1, `repeats good ${g} in this bid`, g);
    seen.add(g);
    goods.push(g);
  }
  return { line: line.no, key: String(index), price, priceField: 1, goods, dummy: undefined };
}

function readGood(text: string, line: number, field: number, fail: Fail): number {
  if (!INTEGER.test(text)) return fail(line, field, 'good must be a non-negative integer', text);
  const g = Number(text);
  if (!Number.isSafeInteger(g)) return fail(line, field, 'good number is too large', text);
  return g;
}

function emptyMetadata(): Metadata {
  return { decimals: undefined, rollups: new Map(), bids: new Map(), groups: new Map() };
}

/** Reads the `% decimals|rollup|group|bid` comment lines written by {@link instanceToCats}. */
function readMetadata(comments: readonly { no: number; text: string }[], fail: Fail): Metadata {
  const meta = emptyMetadata();
  const json = (text: string, line: number, what: string): string => {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return fail(line, undefined, `${what} must be a JSON string`, text);
    }
    if (typeof v !== 'string') return fail(line, undefined, `${what} must be a JSON string`, text);
    const problem = idProblem(v);
    return problem === undefined ? v : fail(line, undefined, `${what} ${problem}`, v);
  };
  for (const c of comments) {
    const m = META.exec(c.text);
    if (m === null) continue; // an ordinary comment
    const kind = m[1] as 'rollup' | 'bid' | 'group' | 'decimals';
    const k = m[2] as string;
    const rest = m[3] as string;
    const bad = (form: string): never => fail(c.no, undefined, `metadata comment must be \`${form}\``, c.text);
    const twice = (previous: Meta<unknown> | undefined): void => {
      if (previous !== undefined) fail(c.no, undefined, `repeats the "% ${kind} ${k}" comment of line ${previous.line}`, c.text);
    };
    if (kind === 'decimals') {
      if (rest.trim() !== '') bad('% decimals <d>');
      const d = Number(k);
      if (d > MAX_DECIMALS) fail(c.no, undefined, `decimals must be at most ${MAX_DECIMALS}`, k);
      twice(meta.decimals);
      meta.decimals = { line: c.no, value: d };
    } else if (kind === 'rollup') {
      const r = META_ROLLUP.exec(rest) ?? bad('% rollup <good> "<id>" <reserve>');
      const reserve = r[2] as string;
      if (!DECIMAL.test(reserve)) fail(c.no, undefined, 'reserve must be a non-negative decimal number', reserve);
      const good = Number(k);
      twice(meta.rollups.get(good));
      meta.rollups.set(good, { line: c.no, value: { id: json(r[1] as string, c.no, 'rollup id'), reserve } });
    } else if (kind === 'bid') {
      const r = META_BID.exec(rest) ?? bad('% bid <k> "<id>" "<bidder>"');
      const key = BigInt(k).toString();
      twice(meta.bids.get(key));
      meta.bids.set(key, { line: c.no, value: { id: json(r[1] as string, c.no, 'bid id'), bidder: json(r[2] as string, c.no, 'bidder') } });
    } else {
      const r = META_GROUP.exec(rest) ?? bad('% group <dummy good> "<key>"');
      const good = Number(k);
      twice(meta.groups.get(good));
      meta.groups.set(good, { line: c.no, value: json(r[1] as string, c.no, 'group key') });
    }
  }
  return meta;
}

/** Every metadata comment must name a good, dummy good or bid that exists. */
function checkMetadataTargets(meta: Metadata, n: number, dummyLimit: number, bids: ReadonlyMap<string, number>, fail: Fail): void {
  for (const [good, r] of meta.rollups) {
    if (good >= n) fail(r.line, undefined, `"% rollup" names good ${good}, which is not a rollup (goods are 0..${n - 1})`, good);
  }
  for (const [good, g] of meta.groups) {
    if (good < n || good >= dummyLimit) fail(g.line, undefined, `"% group" names good ${good}, which is not a dummy good`, good);
  }
  for (const [key, b] of meta.bids) {
    if (!bids.has(key)) fail(b.line, undefined, `"% bid" names bid ${key}, which is not in the file`, key);
  }
}

/** The id rules of createInstance, checked here so the error can name the line. */
function idProblem(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > 256) return 'must be at most 256 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'must not contain control characters';
  if (v.normalize('NFC') !== v) return 'must be in Unicode NFC form';
  return undefined;
}
