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

/**
 * Natural comparison, chunk by chunk: maximal runs of ASCII digits and of other code units.
 * Two digit runs compare as numbers (leading zeros ignored, so "01" equals "1" here), a digit
 * run sorts before another run, two other runs compare by code units; when one string runs out
 * of chunks first it sorts first. Walks the strings in place (no regex, no allocation): ids are
 * compared O(n log n) times for every instance a node or solver builds.
 */
function compareNatural(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la && j < lb) {
    const ad = isDigitCode(a.charCodeAt(i));
    const bd = isDigitCode(b.charCodeAt(j));
    let ie = i + 1;
    while (ie < la && isDigitCode(a.charCodeAt(ie)) === ad) ie++;
    let je = j + 1;
    while (je < lb && isDigitCode(b.charCodeAt(je)) === bd) je++;
    if (ad !== bd) return ad ? -1 : 1;
    let x = i;
    let y = j;
    if (ad) {
      // Numbers: skip leading zeros (keeping one digit), then longer is larger, then digit by digit.
      while (x < ie - 1 && a.charCodeAt(x) === 48) x++;
      while (y < je - 1 && b.charCodeAt(y) === 48) y++;
      if (ie - x !== je - y) return ie - x < je - y ? -1 : 1;
    }
    for (; x < ie && y < je; x++, y++) {
      const d = a.charCodeAt(x) - b.charCodeAt(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    // Other runs: a proper prefix sorts first (equal digit runs end together).
    if (x < ie) return 1;
    if (y < je) return -1;
    i = ie;
    j = je;
  }
  return (i < la ? 1 : 0) - (j < lb ? 1 : 0);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Sorts a copy of `ids` canonically. */
export function sortIds(ids: readonly string[]): string[] {
  return [...ids].sort(compareIds);
}
