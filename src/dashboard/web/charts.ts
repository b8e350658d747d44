/**
 * Drawing helpers shared by the dashboard (`app.ts`) and the simulation report (`report.ts`).
 * A classic browser script (no imports: the report inlines it): line and bar charts through
 * uPlot (loaded before it as the `uPlot` global), and the two pictures uPlot does not draw —
 * a grid (slots × rollups) and the allocation (rollups as cells grouped by bundle) — each on
 * one canvas, so 100,000 cells cost no DOM nodes.
 */
// `uPlot` is the UMD global of uPlot.iife.min.js (its typings declare it).
type UPlotChart = uPlot;
type UPlotOptions = uPlot.Options;

/** Digits of a decimal amount grouped by thousands ("1234567" → "1,234,567"); exact (string in, string out). */
function fmtAmount(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '–';
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A decimal amount as a float, for plotting only (text shows {@link fmtAmount}). */
function amountNumber(s: string | null | undefined, scale = 1): number | null {
  return s === null || s === undefined || s === '' ? null : Number(s) / scale;
}

/** A stable colour per key (proposer address, bundle key): hue from an FNV-1a hash. */
function colorRgb(key: string): [number, number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  // Avalanche (murmur3 fmix32): short keys that differ in one character get far-apart hues.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  const hue = (h % 360) / 360;
  const sat = 0.55 + ((h >>> 9) % 20) / 100;
  const light = 0.45 + ((h >>> 17) % 15) / 100;
  const q = light < 0.5 ? light * (1 + sat) : light + sat - light * sat;
  const p = 2 * light - q;
  const ch = (t: number): number => {
    const x = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    const v = x < 1 / 6 ? p + (q - p) * 6 * x : x < 1 / 2 ? q : x < 2 / 3 ? p + (q - p) * (2 / 3 - x) * 6 : p;
    return Math.round(v * 255);
  };
  return [ch(hue + 1 / 3), ch(hue), ch(hue - 1 / 3)];
}

function cssRgb(c: readonly [number, number, number]): string {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The colour of a self-sequencing rollup, and of one not in the market this slot. */
const SELF_RGB: [number, number, number] = [208, 215, 222];
const ABSENT_RGB: [number, number, number] = [255, 255, 255];

/** A bundle for text: every member when short, else the first and last and the count. */
function bundleText(bundle: readonly string[]): string {
  return bundle.length <= 6 ? `[${bundle.join(', ')}]` : `[${bundle.slice(0, 2).join(', ')} … ${bundle.at(-1) ?? ''}] (${bundle.length} rollups)`;
}

/** `0x1234…abcd` */
function shortAddr(a: string): string {
  return /^0x[0-9a-f]{40}$/i.test(a) ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

/** An element by id (throws when the page lacks it: a bug, not a runtime condition). */
function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`page has no #${id}`);
  return e as T;
}

/** A new element with text. */
function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

/** One series of a chart. */
interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly dash?: number[];
  readonly bars?: boolean;
  readonly step?: boolean;
  readonly points?: boolean;
  /** Points only, no line (categorical x). */
  readonly pointsOnly?: boolean;
}

/** Axis numbers in short form: 1.5k, 2M, 3.2G, 1e21 … */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a < 1000) return String(Math.round(v * 1000) / 1000);
  const units = ['k', 'M', 'G', 'T', 'P', 'E'];
  let i = -1;
  let x = a;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return x >= 1000 ? v.toExponential(1) : `${v < 0 ? '-' : ''}${Math.round(x * 10) / 10}${units[i] ?? ''}`;
}

/** A chart's axes and series. */
interface ChartSpec {
  readonly series: readonly SeriesSpec[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** x values are unix seconds. Default false. */
  readonly time?: boolean;
  readonly height?: number;
  /** Labels of x values (categorical axes); integers only when given. */
  readonly xValues?: (v: number) => string;
  /** Draws extra marks after the series (challenge labels). */
  readonly draw?: (u: UPlotChart) => void;
}

function pathBuilder(p: uPlot.Series.PathBuilder | undefined): uPlot.Series.PathBuilder {
  if (p === undefined) throw new Error('this uPlot build lacks a path builder');
  return p;
}

/** A uPlot chart in `host`, following the host's width. */
function lineChart(host: HTMLElement, spec: ChartSpec, data: (number | null)[][]): UPlotChart {
  const width = Math.max(240, host.clientWidth);
  const opts: UPlotOptions = {
    width,
    height: spec.height ?? 220,
    // A lone point gets a window around it (uPlot would span years of time).
    scales: { x: { time: spec.time === true, range: (_u: UPlotChart, min: number, max: number): uPlot.Range.MinMax => (min === max ? [min - 10, max + 10] : [min, max]) } },
    axes: [
      { label: spec.xLabel, size: 40, ...(spec.xValues === undefined ? {} : { values: (_u: UPlotChart, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? (spec.xValues as (v: number) => string)(v) : '')) }) },
      { label: spec.yLabel, size: 60, values: (_u: UPlotChart, splits: number[]) => splits.map(compact) },
    ],
    legend: { live: true },
    series: [
      { label: spec.xLabel },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        ...(s.dash === undefined ? {} : { dash: s.dash }),
        ...(s.bars === true ? { paths: pathBuilder(uPlot.paths.bars?.({ size: [0.7, 40] })), fill: s.color } : {}),
        ...(s.step === true ? { paths: pathBuilder(uPlot.paths.stepped?.({ align: 1 })) } : {}),
        ...(s.pointsOnly === true ? { paths: () => null } : {}),
        points: { show: s.points === true || s.pointsOnly === true, size: 8, fill: s.color },
        value: (_u: UPlotChart, v: number | null) => (v === null ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: 6 })),
      })),
    ],
    ...(spec.draw === undefined ? {} : { hooks: { draw: [spec.draw] } }),
  };
  const u = new uPlot(opts, data as uPlot.AlignedData, host);
  new ResizeObserver(() => {
    const w = Math.max(240, host.clientWidth);
    if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: u.height });
  }).observe(host);
  return u;
}

/** Where the cells of a grid are, for hover. */
interface GridGeometry {
  readonly cw: number;
  readonly ch: number;
  readonly cols: number;
  readonly rows: number;
}

/**
 * Paints a cols × rows grid into `canvas` with one ImageData write (fast at 100 × 1,000):
 * `color(c, r)` gives each cell's colour; cells shrink to fit `maxWidth` × `maxHeight`.
 */
function drawGrid(canvas: HTMLCanvasElement, cols: number, rows: number, color: (c: number, r: number) => readonly [number, number, number], maxWidth: number, maxHeight = 640): GridGeometry {
  const cw = Math.max(1, Math.min(32, Math.floor(maxWidth / Math.max(1, cols))));
  const ch = Math.max(1, Math.min(16, Math.floor(maxHeight / Math.max(1, rows))));
  const gap = cw >= 4 && ch >= 4 ? 1 : 0;
  canvas.width = Math.max(1, cols * cw);
  canvas.height = Math.max(1, rows * ch);
  const ctx = canvas.getContext('2d');
  if (ctx === null) return { cw, ch, cols, rows };
  const img = ctx.createImageData(canvas.width, canvas.height);
  const px = img.data;
  const W = canvas.width;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const rgb = color(c, r);
      for (let y = r * ch; y < (r + 1) * ch - gap; y++) {
        let o = (y * W + c * cw) * 4;
        for (let x = 0; x < cw - gap; x++, o += 4) {
          px[o] = rgb[0];
          px[o + 1] = rgb[1];
          px[o + 2] = rgb[2];
          px[o + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return { cw, ch, cols, rows };
}

/** One rollup in the allocation picture. */
interface AllocationCell {
  readonly rollup: string;
  readonly rgb: readonly [number, number, number];
  readonly self: boolean;
  /** Hover text. */
  readonly tip: string;
}

/** A placed cell. */
interface PlacedCell extends AllocationCell {
  readonly x: number;
  readonly y: number;
  readonly s: number;
}

/**
 * Draws rollups as square cells, group after group (a winning bundle, then the self-sequencing
 * rollups), flowing left to right with a gap between groups; self-sequencing cells are grey
 * with a diagonal stroke. Returns the placed cells (hover and tests).
 */
function drawAllocation(canvas: HTMLCanvasElement, groups: readonly (readonly AllocationCell[])[], width: number): PlacedCell[] {
  const n = groups.reduce((a, g) => a + g.length, 0);
  const s = n <= 64 ? 30 : n <= 256 ? 18 : n <= 1024 ? 11 : 7;
  const pad = Math.max(2, Math.floor(s / 3));
  const w = Math.max(s + pad, Math.floor(width));
  const placed: PlacedCell[] = [];
  let x = 0;
  let y = 0;
  for (const g of groups) {
    if (g.length === 0) continue;
    // Keep a short group on one line when it fits.
    if (x > 0 && x + Math.min(g.length, 8) * s > w) {
      x = 0;
      y += s + pad;
    }
    for (const cell of g) {
      if (x + s > w) {
        x = 0;
        y += s + pad;
      }
      placed.push({ ...cell, x, y, s });
      x += s;
    }
    x += pad * 2;
  }
  canvas.width = w;
  canvas.height = Math.max(s, y + s);
  const ctx = canvas.getContext('2d');
  if (ctx === null) return placed;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (const c of placed) {
    ctx.fillStyle = cssRgb(c.self ? SELF_RGB : c.rgb);
    ctx.fillRect(c.x, c.y, c.s - 1, c.s - 1);
    if (c.self) {
      ctx.strokeStyle = '#8c959f';
      ctx.beginPath();
      ctx.moveTo(c.x + 1, c.y + c.s - 2);
      ctx.lineTo(c.x + c.s - 2, c.y + 1);
      ctx.stroke();
    }
  }
  return placed;
}

/** Shows `text(x, y)` (canvas pixels) in the page's `#tip` while the pointer is over `canvas`. */
function hoverTip(canvas: HTMLCanvasElement, text: (x: number, y: number) => string | null): void {
  const tip = byId('tip');
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const t = text(((e.clientX - r.left) * canvas.width) / Math.max(1, r.width), ((e.clientY - r.top) * canvas.height) / Math.max(1, r.height));
    if (t === null) {
      tip.style.display = 'none';
      return;
    }
    tip.textContent = t;
    tip.style.display = 'block';
    tip.style.left = `${Math.min(e.clientX + 12, window.innerWidth - 260)}px`;
    tip.style.top = `${e.clientY + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    tip.style.display = 'none';
  });
}

/** The cell under canvas pixel (x, y), if any. */
function cellAt(cells: readonly PlacedCell[], x: number, y: number): PlacedCell | undefined {
  return cells.find((c) => x >= c.x && x < c.x + c.s && y >= c.y && y < c.y + c.s);
}

/** A legend of colour swatches. */
function legend(host: HTMLElement, items: readonly { label: string; rgb: readonly [number, number, number] }[], max = 12): void {
  host.replaceChildren();
  for (const it of items.slice(0, max)) {
    const span = make('span', it.label);
    const sw = make('span', undefined, 'swatch');
    sw.style.background = cssRgb(it.rgb);
    span.prepend(sw);
    host.append(span);
  }
  if (items.length > max) host.append(make('span', `… ${items.length - max} more`));
}
