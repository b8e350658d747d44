/**
 * Hand-written SVG charts of a simulation (no dependency): the lottery's ticket-price path (a
 * line chart) and each rollup's revenue per mechanism (grouped bars). Coordinates are computed
 * from the exact amounts in integer maths; labels are ETH with 6 decimals (truncated).
 */
import { formatAmount } from '../model/money.js';
import type { Simulation } from './types.js';

const W = 760;
const H = 360;
const LEFT = 90;
const RIGHT = 20;
const TOP = 50;
const BOTTOM = 60;
const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];

/** Wei as ETH with 6 decimals, truncated. */
function eth(wei: bigint): string {
  return formatAmount(wei / 10n ** 12n, 6);
}

/** Escapes text for SVG. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** y pixel of `v` on an axis from 0 to `max` (integer maths, 2 decimals). */
function yOf(v: bigint, max: bigint): number {
  const plot = BigInt(H - TOP - BOTTOM);
  const scaled = max === 0n ? 0n : (v * plot * 100n) / max;
  return H - BOTTOM - Number(scaled) / 100;
}

/** Frame: title, y axis from 0 to `max` with 5 labelled ticks, x axis, axis titles. */
function frame(title: string, max: bigint, xTitle: string, yTitle: string): string[] {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (let k = 0n; k <= 4n; k++) {
    const v = (max * k) / 4n;
    const y = yOf(v, max);
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${W - RIGHT}" y2="${y}" stroke="#dddddd"/>`);
    out.push(`<text x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${eth(v)}</text>`);
  }
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${H - BOTTOM}" stroke="#000000"/>`);
  out.push(`<line x1="${LEFT}" y1="${H - BOTTOM}" x2="${W - RIGHT}" y2="${H - BOTTOM}" stroke="#000000"/>`);
  out.push(`<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 12}" text-anchor="middle">${esc(xTitle)}</text>`);
  out.push(`<text x="16" y="${(TOP + H - BOTTOM) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(TOP + H - BOTTOM) / 2})">${esc(yTitle)}</text>`);
  return out;
}

/** `price-path.svg`: the lottery's ticket price per rollup, slot by slot (a note when the lottery did not run). */
export function pricePathSvg(sim: Simulation): string {
  const path = sim.summaries.find((s) => s.mechanism === 'lottery')?.pricePath ?? null;
  const values = path ?? [];
  const max = values.reduce((m, v) => (v > m ? v : m), 0n);
  const out = frame('Lottery ticket price per rollup', max === 0n ? 1n : max, 'slot', 'price (ETH)');
  if (path === null) {
    out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">lottery not simulated</text>`);
  } else {
    const n = Math.max(1, values.length - 1);
    const xOf = (i: number): number => LEFT + Math.round(((W - LEFT - RIGHT) * i * 100) / n) / 100;
    const points = values.map((v, i) => `${xOf(i)},${yOf(v, max === 0n ? 1n : max)}`).join(' ');
    out.push(`<polyline id="price" class="series" fill="none" stroke="${COLORS[0]}" stroke-width="2" points="${points}"><title>ticket price</title></polyline>`);
    const step = Math.max(1, Math.ceil(n / 10));
    for (let i = 0; i <= n; i += step) out.push(`<text x="${xOf(i)}" y="${H - BOTTOM + 16}" text-anchor="middle">${i}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** `revenue.svg`: each rollup's revenue (Σ payouts) under each mechanism, grouped bars with a legend. */
export function revenueSvg(sim: Simulation): string {
  const rollups = sim.market.rollups.map((r) => r.id);
  const series = sim.summaries.map((s) => ({ name: s.mechanism, values: s.rollups.map((r) => r.revenue) }));
  const max = series.flatMap((s) => s.values).reduce((m, v) => (v > m ? v : m), 0n);
  const top = max === 0n ? 1n : max;
  const out = frame('Revenue per rollup (Σ payouts over all slots)', top, 'rollup', 'revenue (ETH)');
  const group = (W - LEFT - RIGHT) / Math.max(1, rollups.length);
  const bar = (group * 0.8) / Math.max(1, series.length);
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length] ?? '#000000';
    out.push(`<g id="series-${esc(s.name)}" class="series" fill="${color}">`);
    s.values.forEach((v, i) => {
      const x = LEFT + group * i + group * 0.1 + bar * k;
      const y = yOf(v, top);
      out.push(`<rect x="${x.toFixed(2)}" y="${y}" width="${bar.toFixed(2)}" height="${(H - BOTTOM - y).toFixed(2)}"><title>${esc(`${s.name} ${rollups[i] ?? ''}: ${eth(v)} ETH`)}</title></rect>`);
    });
    out.push('</g>');
    out.push(`<rect x="${LEFT + 10 + 110 * k}" y="${TOP - 16}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${LEFT + 24 + 110 * k}" y="${TOP - 7}">${esc(s.name)}</text>`);
  });
  rollups.forEach((r, i) => out.push(`<text x="${(LEFT + group * i + group / 2).toFixed(2)}" y="${H - BOTTOM + 16}" text-anchor="middle">${esc(r)}</text>`));
  out.push('</svg>');
  return out.join('\n') + '\n';
}
