/**
 * The browser files of the dashboard and the simulation report: the page scripts compiled from
 * `src/dashboard/web/` (by `npm run build`, into `dist/dashboard/web/`) and uPlot's own `dist`
 * files, read from the installed `uplot` dependency (not copied: its version and licence stay
 * npm's). Read once and kept in memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_CSS } from './style.js';

/** Files served under `/dashboard/` and inlined into `report.html`. */
export const WEB_FILES = ['charts.js', 'app.js', 'report.js'] as const;
/** uPlot's files, by the name they are served under. */
export const UPLOT_FILES = { 'uPlot.iife.min.js': 'uplot/dist/uPlot.iife.min.js', 'uPlot.min.css': 'uplot/dist/uPlot.min.css' } as const;

export type AssetName = (typeof WEB_FILES)[number] | keyof typeof UPLOT_FILES | 'dashboard.css' | 'favicon.svg';

/** The page icon: four cells, two of them one bundle. */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="1" width="14" height="6" fill="#0969da"/><rect x="1" y="9" width="6" height="6" fill="#2da44e"/><rect x="9" y="9" width="6" height="6" fill="#d0d7de"/></svg>';

let cache: ReadonlyMap<AssetName, string> | undefined;

/**
 * The directory of the compiled page scripts: beside this module in `dist/`, or `dist/` of the
 * package when running from the sources (tests).
 */
function webDir(): string {
  const candidates = [new URL('./web/', import.meta.url), new URL('../../dist/dashboard/web/', import.meta.url)];
  for (const c of candidates) if (existsSync(new URL('app.js', c))) return fileURLToPath(c);
  throw new Error(`dashboard assets missing (looked in ${candidates.map((c) => fileURLToPath(c)).join(' and ')}): run \`npm run build\``);
}

/** Every asset's text. @throws Error naming what is missing (no build, no uplot). */
export function webAssets(): ReadonlyMap<AssetName, string> {
  if (cache !== undefined) return cache;
  const dir = webDir();
  const require = createRequire(import.meta.url);
  const out = new Map<AssetName, string>();
  for (const f of WEB_FILES) out.set(f, readFileSync(`${dir}${f}`, 'utf8'));
  out.set('dashboard.css', DASHBOARD_CSS);
  out.set('favicon.svg', FAVICON_SVG);
  for (const [name, spec] of Object.entries(UPLOT_FILES) as [keyof typeof UPLOT_FILES, string][]) out.set(name, readFileSync(require.resolve(spec), 'utf8'));
  cache = out;
  return out;
}

/** One asset's text. */
export function webAsset(name: AssetName): string {
  return webAssets().get(name) as string;
}
