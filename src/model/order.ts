/**
 * Canonical order of ids: natural order (digit runs compared as numbers, so "b2" < "b10"),
 * ties broken by UTF-16 code units so that the order is total and locale-independent.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const natural = compareNatural(a, b);
  if (natural !== 0) return natural;
  return a < b ? -1 : 1;
}

const CHUNK = /(\d+|\D+)/g;

function compareNatural(a: string, b: string): number {
  const ca = a.match(CHUNK) ?? [];
  const cb = b.match(CHUNK) ?? [];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const xd = isDigit(x);
    const yd = isDigit(y);
    if (xd && yd) {
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      continue;
    }
    if (xd !== yd) return xd ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

function isDigit(chunk: string): boolean {
  const c = chunk.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Sorts a copy of `ids` canonically. */
export function sortIds(ids: readonly string[]): string[] {
  return [...ids].sort(compareIds);
}
