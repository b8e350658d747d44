/**
 * `sweep.html` of `simulate --seeds/--sweep/--preset … --out DIR`: one chart per headline metric,
 * the mean of every grid point with its 95 % confidence interval as an error bar; x is the last
 * axis of the sweep, one line per combination of the other axes. Inline SVG in one
 * self-contained page (no script, opens from disk); deterministic (no timestamps).
 */
import { formatEstimate } from './sweep-report.js';
import type { SweepResult } from './sweep.js';

const W = 560;
const H = 300;
const LEFT = 70;
const RIGHT = 16;
const TOP = 40;
const BOTTOM = 44;
const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7'];

/** Escapes text for HTML and SVG. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for a label: up to 4 significant digits. */
function label(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '';
}

/** One metric's chart (null when no grid point has it). */
export function metricChart(result: SweepResult, metric: string): string | null {
  const axes = result.spec.axes.map((a) => a.axis);
  const xAxis = axes[axes.length - 1];
  const points = result.points.filter((p) => p.metrics[metric] !== undefined);
  if (points.length === 0) return null;
  const xs = xAxis === undefined ? [''] : [...new Set(result.points.map((p) => String(p.params[xAxis])))];
  const keyOf = (p: (typeof points)[number]): string => axes.slice(0, -1).map((a) => `${a}=${String(p.params[a])}`).join(' ');
  const series = [...new Set(points.map(keyOf))];
  const estimates = points.map((p) => p.metrics[metric]).filter((e) => e !== undefined);
  let lo = Math.min(0, ...estimates.map((e) => (Number.isFinite(e.low) ? e.low : e.mean)));
  let hi = Math.max(0, ...estimates.map((e) => (Number.isFinite(e.high) ? e.high : e.mean)));
  if (hi === lo) { hi += 1; lo -= hi === 1 ? 0 : 1; }
  const yOf = (v: number): number => Number((TOP + ((hi - v) / (hi - lo)) * (H - TOP - BOTTOM)).toFixed(2));
  const step = (W - LEFT - RIGHT) / xs.length;
  const xOf = (x: string, k: number): number => Number((LEFT + step * (xs.indexOf(x) + 0.5) + (k - (series.length - 1) / 2) * Math.min(8, step / (2 * series.length))).toFixed(2));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="metric" data-metric="${esc(metric)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(metric)}</text>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    out.push(`<line x1="${LEFT}" y1="${yOf(v)}" x2="${W - RIGHT}" y2="${yOf(v)}" stroke="#dddddd"/>`, `<text x="${LEFT - 6}" y="${yOf(v) + 4}" text-anchor="end">${label(v)}</text>`);
  }
  if (lo < 0) out.push(`<line x1="${LEFT}" y1="${yOf(0)}" x2="${W - RIGHT}" y2="${yOf(0)}" stroke="#888888"/>`);
  xs.forEach((x) => out.push(`<text x="${xOf(x, (series.length - 1) / 2)}" y="${H - BOTTOM + 16}" text-anchor="middle">${esc(x)}</text>`));
  out.push(`<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 8}" text-anchor="middle">${esc(xAxis ?? '')}</text>`);
  series.forEach((name, k) => {
    const color = COLORS[k % COLORS.length] ?? '#000000';
    const mine = points.filter((p) => keyOf(p) === name);
    const at = mine.map((p) => {
      const xLabel = xAxis === undefined ? '' : String(p.params[xAxis]);
      return { xLabel, x: xOf(xLabel, k), e: p.metrics[metric] };
    });
    out.push(`<g class="series" fill="${color}" stroke="${color}">`);
    if (at.length > 1) out.push(`<polyline fill="none" stroke-width="1.5" points="${at.map((q) => `${q.x},${yOf(q.e?.mean ?? 0)}`).join(' ')}"/>`);
    for (const q of at) {
      const e = q.e;
      if (e === undefined) continue;
      if (Number.isFinite(e.low) && Number.isFinite(e.high)) out.push(`<line x1="${q.x}" y1="${yOf(e.low)}" x2="${q.x}" y2="${yOf(e.high)}" stroke-width="1"/>`);
      out.push(`<circle class="point" cx="${q.x}" cy="${yOf(e.mean)}" r="3"><title>${esc(`${name === '' ? '' : `${name} `}${xAxis ?? ''}=${q.xLabel}: ${formatEstimate(e)}`)}</title></circle>`);
    }
    out.push('</g>');
    if (name !== '') out.push(`<rect x="${LEFT + 4}" y="${TOP - 14 + 12 * k}" width="8" height="8" fill="${color}"/>`, `<text x="${LEFT + 16}" y="${TOP - 6 + 12 * k}">${esc(name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The complete `sweep.html`: the spec, then one chart per metric of `metrics` that the sweep has. */
export function sweepHtml(result: SweepResult, metrics: readonly string[]): string {
  const axes = result.spec.axes.map((a) => `${a.axis} = ${a.values.map(String).join(', ')}`).join('; ');
  const charts = metrics.map((m) => metricChart(result, m)).filter((c): c is string => c !== null);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bundle-auction sweep: ${esc(axes)}</title>
<link rel="icon" href="data:,">
<style>body{font-family:sans-serif;margin:1rem;color:#222}main{display:flex;flex-wrap:wrap;gap:12px}svg{max-width:100%;height:auto;border:1px solid #e4e4e4}</style>
</head>
<body>
<h1>Sweep</h1>
<p>${esc(axes)}; ${result.spec.seeds} markets (seeds 1..${result.spec.seeds}) per grid point, ${result.runs} runs. Points: mean over the seeds; bars: 95 % confidence interval (Student t). Amounts in ETH.</p>
<main>
${charts.join('\n')}
</main>
</body>
</html>
`;
}
