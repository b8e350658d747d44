/** A sweep's outputs: CSV (one row per grid point and metric) and JSON. */
import type { SweepResult } from './sweep.js';

/** CSV: the axes, then metric, n, mean, sd, low, high (95 % CI); grid order, metrics by name. */
export function sweepCsv(result: SweepResult): string {
  const axes = result.spec.axes.map((a) => a.axis);
  const rows = [[...axes, 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high'].join(',')];
  for (const p of result.points) {
    for (const [name, e] of Object.entries(p.metrics)) {
      rows.push([...axes.map((a) => String(p.params[a])), name, String(e.n), num(e.mean), num(e.sd), num(e.low), num(e.high)].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

/** JSON: the spec (bigints as decimal strings), run count, elapsed time and every point's estimates. */
export function sweepJson(result: SweepResult): string {
  return `${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

/**
 * Markdown table: one row per grid point, one column per metric in `metrics` (those present),
 * each "mean ± 95 % CI half-width".
 */
export function sweepMarkdown(result: SweepResult, metrics: readonly string[]): string {
  const axes = result.spec.axes.map((a) => a.axis);
  const shown = metrics.filter((m) => result.points.some((p) => p.metrics[m] !== undefined));
  const lines = [
    `| ${[...axes, ...shown].join(' | ')} |`,
    `|${[...axes.map(() => '---'), ...shown.map(() => '---:')].join('|')}|`,
    ...result.points.map((p) => `| ${[...axes.map((a) => String(p.params[a])), ...shown.map((m) => {
      const e = p.metrics[m];
      return e === undefined ? '-' : formatEstimate(e);
    })].join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A metric's estimate as "mean ± half-width" with `digits` decimals. */
export function formatEstimate(e: { readonly mean: number; readonly low: number; readonly high: number }, digits = 4): string {
  return `${e.mean.toFixed(digits)} ± ${((e.high - e.low) / 2).toFixed(digits)}`;
}

function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : '';
}
