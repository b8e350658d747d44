/** Plain-text tables for terminal output. */

/** Renders rows as left-aligned columns (numbers right-aligned when `right[i]`). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right[i] === true ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

/** Wei as ETH with `digits` decimals, rounded half up (display only; exact values are printed elsewhere). */
export function formatEth(wei: bigint, digits = 6): string {
  return formatQuanta(roundHalfUp(wei, quantum(digits)), digits);
}

/**
 * Wei amounts as ETH with `digits` decimals that add up, as printed, to `total` (default: the
 * rounded sum): each is rounded down, then the amounts with the largest remainders (earlier
 * first on ties) get one more unit of the last digit (largest-remainder rounding). So a column
 * printed with these matches its printed total exactly.
 */
export function formatEthColumn(wei: readonly bigint[], digits = 6, total?: string): string[] {
  const q = quantum(digits);
  const sum = wei.reduce((s, v) => s + v, 0n);
  const target = total === undefined ? roundHalfUp(sum, q) : BigInt(total.replace('.', ''));
  const floors = wei.map((v) => v / q);
  let extra = target - floors.reduce((s, v) => s + v, 0n);
  const order = wei.map((v, i) => ({ i, r: v % q })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (extra <= 0n) break;
    floors[i] = (floors[i] as bigint) + 1n;
    extra--;
  }
  return floors.map((f) => formatQuanta(f, digits));
}

/** `1 ticket`, `2 tickets`: a count with its noun in singular or plural. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

function quantum(digits: number): bigint {
  return 10n ** BigInt(18 - digits);
}

function roundHalfUp(wei: bigint, q: bigint): bigint {
  return (wei + q / 2n) / q;
}

function formatQuanta(n: bigint, digits: number): string {
  const text = n.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
