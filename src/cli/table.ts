/** Plain-text tables for terminal output. */

/** Renders rows as left-aligned columns (numbers right-aligned when `right[i]`). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right[i] === true ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

/** Wei as ETH with `digits` decimals, truncated (display only; exact values are printed elsewhere). */
export function formatEth(wei: bigint, digits = 6): string {
  const unit = 10n ** 18n;
  const whole = wei / unit;
  const frac = ((wei % unit) * 10n ** BigInt(digits)) / unit;
  return `${whole}.${frac.toString().padStart(digits, '0')}`;
}
