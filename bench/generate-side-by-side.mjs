#!/usr/bin/env node
/**
 * One run of the issue 9 side-by-side comparison: `node bench/generate-side-by-side.mjs DIST FAMILY
 * [ROLLUPS BIDS SEED]` imports the build in DIST (e.g. this repo's dist/ and main's, built in a
 * separate worktree), times `generateInstance` (wall and CPU), then `solve()` to its first
 * allocation on the same instance, and prints one JSON line. Alternate builds and families from a
 * shell loop, one process per run (BENCHMARKS.md §9.1).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, family, rollups = '10000', bids = '100000', seed = '1'] = process.argv.slice(2);
if (dist === undefined || family === undefined) {
  console.error('usage: generate-side-by-side.mjs DIST FAMILY [ROLLUPS BIDS SEED]');
  process.exit(2);
}
const base = pathToFileURL(resolve(dist)).href;
const { generateInstance } = await import(`${base}/generators/index.js`);
const { solve } = await import(`${base}/solver/solve.js`);
let t = performance.now();
const cpu0 = process.cpuUsage();
const instance = generateInstance(family, { rollups: +rollups, bids: +bids, seed: +seed });
const gen = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
const controller = new AbortController();
t = performance.now();
await solve(instance, { method: 'auto', timeLimit: 60, signal: controller.signal, onProgress: (p) => { if (p.incumbent !== null) controller.abort(); } });
const first = (performance.now() - t) / 1000;
console.log(JSON.stringify({ family, rollups: +rollups, bids: +bids, seed: +seed, generate: +gen.toFixed(3), generateCpu: +((cpu.user + cpu.system) / 1e6).toFixed(3), firstAllocation: +first.toFixed(3) }));
