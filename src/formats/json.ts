/**
 * Instance and allocation JSON (docs/DESIGN.md §2): strict readers that name the file, the position
 * and the problem, and a writer that produces the canonical layout.
 */
import { InputError, describeValue } from '../model/errors.js';
import { instanceFromData } from '../model/instance.js';
import { closestKey } from '../model/keys.js';
import { UnsafeNumberError } from '../model/money.js';
import type { Allocation, Instance } from '../model/types.js';

/**
 * Parses an instance JSON text (`{ "rollups": [...], "bids": [...], "decimals"?: n }`) and
 * validates it with {@link createInstance}, returning the canonical {@link Instance}.
 *
 * @param text - the JSON text (a leading UTF-8 byte-order mark is ignored).
 * @param source - file name for error messages. Default: none.
 * @throws {InputError} on a JSON syntax error (naming line, column and problem) or on any
 *   instance rule (naming the JSON path, the rule and the value received).
 */
export function parseInstanceJson(text: string, source?: string): Instance {
  const data = parseJsonText(text, source);
  return quotingNumbersAsWritten(text, () => instanceFromData(data, source === undefined ? {} : { source }));
}

/**
 * Runs a reader over parsed JSON; when it rejects a JSON number amount that `JSON.parse` had
 * to round (≥ 2^53, or fractional), the error quotes the number as written in `text`.
 */
export function quotingNumbersAsWritten<T>(text: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UnsafeNumberError) || error.details.received === undefined) throw error;
    const literal = numberLiteral(text, error.value);
    if (literal === undefined) throw error;
    throw new UnsafeNumberError(error.value, error.site, literal);
  }
}

/** The first number literal of a JSON text (outside strings) that parses to `value`. */
function numberLiteral(text: string, value: number): string | undefined {
  const token = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/g;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    if (m[0].startsWith('"')) continue;
    if (Number(m[0]) === value) return m[0];
  }
  return undefined;
}

/**
 * Writes an instance as pretty JSON in the docs/DESIGN.md §2 shape: two-space indentation, one
 * rollup or bid per line, canonical order as in the instance, amounts and reserves as decimal
 * strings of base units, `exclusive` only when present, `decimals` only when non-zero. Ends
 * with a newline. `parseInstanceJson(instanceToJson(x))` deep-equals `x`.
 */
export function instanceToJson(instance: Instance): string {
  const q = JSON.stringify;
  const rollups = instance.rollups.map((r) => `    { "id": ${q(r.id)}, "reserve": ${q(r.reserve.toString())} }`);
  const bids = instance.bids.map((b) => {
    const bundle = `[${b.bundle.map((m) => q(m)).join(', ')}]`;
    const exclusive = b.exclusive === undefined ? '' : `, "exclusive": ${q(b.exclusive)}`;
    return `    { "id": ${q(b.id)}, "bidder": ${q(b.bidder)}, "bundle": ${bundle}, "amount": ${q(b.amount.toString())}${exclusive} }`;
  });
  const list = (items: string[]): string => (items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n  ]`);
  const decimals = instance.decimals === 0 ? '' : `  "decimals": ${instance.decimals},\n`;
  return `{\n${decimals}  "rollups": ${list(rollups)},\n  "bids": ${list(bids)}\n}\n`;
}

/**
 * Parses an allocation JSON text `{ "winners": ["b1", ...] }`. The root object is open: other
 * top-level fields (a solver's `value`, `status`, …) are allowed and ignored (docs/DESIGN.md §2),
 * but a missing `winners` next to a key close to it (`"winers"`) is reported as that typo.
 * Winners are returned as given: not deduplicated, not sorted (a verifier reports repeats).
 *
 * @param text - the JSON text.
 * @param source - file name for error messages. Default: none.
 * @throws {InputError} on a JSON syntax error, a root that is not an object, or `winners`
 *   that is not an array of strings (naming e.g. `winners[3]`).
 */
export function parseAllocationJson(text: string, source?: string): Allocation {
  const data = parseJsonText(text, source);
  const src = source === undefined ? {} : { source };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError({ ...src, path: '(root)', rule: 'allocation must be an object {"winners": [...]}', received: describeValue(data) });
  }
  const winners = (data as Record<string, unknown>)['winners'];
  if (winners === undefined) {
    const typo = Object.keys(data).find((k) => closestKey(k, ['winners']) !== undefined);
    const hint = typo === undefined ? '' : `; found ${JSON.stringify(typo)}: did you mean "winners"?`;
    throw new InputError({ ...src, path: 'winners', rule: `is required (an array of bid id strings)${hint}` });
  }
  if (!Array.isArray(winners)) {
    throw new InputError({ ...src, path: 'winners', rule: 'must be an array of bid id strings', received: describeValue(winners) });
  }
  for (let i = 0; i < winners.length; i++) {
    const w: unknown = winners[i];
    if (typeof w !== 'string') {
      throw new InputError({ ...src, path: `winners[${i}]`, rule: 'must be a bid id string', received: describeValue(w) });
    }
  }
  return { winners: winners as string[] };
}

/**
 * `JSON.parse` whose syntax errors become {@link InputError}s naming the source, the line and
 * column (1-based) and the problem.
 */
export function parseJsonText(text: string, source?: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (error: unknown) {
    if (!(error instanceof SyntaxError)) throw error;
    const message = error.message;
    const offset = /at position (\d+)/.exec(message);
    const position = offset !== null ? Number(offset[1]) : jsonErrorOffset(body);
    const { line, column } = lineColumn(body, position);
    const problem = message
      .replace(/ \(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
      .replace(/\s+/g, ' ');
    throw new InputError({
      ...(source === undefined ? {} : { source }),
      path: `line ${line}, column ${column}`,
      rule: `invalid JSON: ${problem}`,
    }, { cause: error });
  }
}

/** 1-based line and column of a UTF-16 offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Offset of the first JSON syntax error in `s` (or `s.length` at a premature end; -1 when the
 * text is valid). Only used to locate errors whose V8 message carries no position. Iterative,
 * so deep nesting cannot overflow the stack.
 */
function jsonErrorOffset(s: string): number {
  const n = s.length;
  let i = 0;
  const stack: boolean[] = []; // true: inside an object, false: inside an array
  const skipWs = (): void => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  /** Scans a string starting at the quote at i; returns false (i at the error) on failure. */
  const scanString = (): boolean => {
    i++;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x22) { i++; return true; }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) { i += 2; return false; }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          i++;
          return false;
        }
      } else {
        i++;
      }
    }
    return false;
  };
  /** Scans `"key" :` inside an object; false on error. */
  const scanKey = (): boolean => {
    if (s[i] !== '"' || !scanString()) return false;
    skipWs();
    if (s[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // Expecting a value.
    skipWs();
    const c = s[i];
    let scalarDone = true;
    if (c === '{' || c === '[') {
      i++;
      skipWs();
      if (s[i] === (c === '{' ? '}' : ']')) {
        i++;
      } else {
        stack.push(c === '{');
        if (c === '{' && !scanKey()) return i;
        scalarDone = false;
      }
    } else if (c === '"') {
      if (!scanString()) return i;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (m === null) return i + 1;
      i += m[0].length;
    } else {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined;
      if (word === undefined) return i;
      for (let k = 0; k < word.length; k++, i++) if (s[i] !== word[k]) return i;
    }
    if (!scalarDone) continue;
    // After a complete value: close containers or move to the next element.
    for (;;) {
      skipWs();
      if (stack.length === 0) return i < n ? i : -1;
      const inObject = stack[stack.length - 1] as boolean;
      if (s[i] === ',') {
        i++;
        skipWs();
        if (inObject && !scanKey()) return i;
        break;
      }
      if (s[i] === (inObject ? '}' : ']')) {
        i++;
        stack.pop();
        continue;
      }
      return i;
    }
  }
}
