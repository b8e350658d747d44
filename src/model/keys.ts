/**
 * Closed objects: every reader of a file or request body refuses keys it does not know, so a
 * misspelled optional key (`"resrve"`, `"exclusve"`) is an error instead of a silent default.
 */
import { InputError } from './errors.js';

/** Where an object came from, for error messages. */
export interface ObjectSite {
  /** File or other source name, when known. */
  readonly source?: string;
  /** JSON path of the object itself: `''` or `'(root)'` for the top level, else e.g. `bids[3]`. */
  readonly path: string;
}

/**
 * Throws {@link InputError} on the first key of `record` (in its own order) that is not in
 * `known`, naming the key's full path and, when a known key is within a small edit distance,
 * suggesting it ("did you mean "reserve"?").
 */
export function rejectUnknownKeys(record: object, known: readonly string[], site: ObjectSite): void {
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const suggestion = closestKey(key, known);
    const base = site.path === '' || site.path === '(root)' ? '' : site.path;
    const keyPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${base === '' ? '' : `${base}.`}${key}` : `${base}[${JSON.stringify(key)}]`;
    const hint = suggestion === undefined ? `known keys: ${known.map((k) => JSON.stringify(k)).join(', ')}` : `did you mean ${JSON.stringify(suggestion)}?`;
    throw new InputError({
      ...(site.source === undefined ? {} : { source: site.source }),
      path: keyPath,
      rule: `unknown key ${JSON.stringify(key)}; ${hint}`,
    });
  }
}

/**
 * The known key closest to `key` by optimal-string-alignment distance (adjacent swaps count
 * one), when it is close enough to be a typo: at most 1 edit for keys of up to 4 characters,
 * 2 up to 8, else 3. Ties go to the earlier entry of `known`; case differences count as edits
 * but a pure case mismatch is always suggested.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rolling rows: two back (for swaps), previous, current.
  let twoBack = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (twoBack[j - 2] as number) + 1);
      cur[j] = d;
    }
    [twoBack, prev, cur] = [prev, cur, twoBack];
  }
  return prev[n] as number;
}
