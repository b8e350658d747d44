/**
 * Where the exact path's time goes (issue 13; `npm run bench:profile`, not a test). For each
 * file, one process per solver and run, the same time limit:
 * - ours (`solve --method exact`, HiGHS): boot, imports, wasm instantiation, parse, compile +
 *   presolve, the solve, and inside it HiGHS's LP relaxations and MIP runs with their
 *   branch-and-bound nodes and simplex iterations (`profile-child.ts`);
 * - native CBC (`-threads 1`): its own node and iteration counts and wall time from its log;
 * - SCIP through pyscipopt (one thread): nodes, LP iterations, reading, presolving and solving time.
 * Env: `BENCH_PROFILE_LIMIT` (seconds, default 30), `BENCH_PROFILE_FILES` (comma-separated
 * instance files instead of the default set), `BENCH_PROFILE_OUT` (JSON file to write).
 * Prints a Markdown table and writes the raw rows as JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInstanceFile, writeInstance } from '../../formats/files.js';
import { instanceToLp } from '../../formats/lp.js';
import { generateInstance, type GeneratorFamily } from '../../generators/index.js';
import { runProcess } from '../../bench/process.js';

const LIMIT = Number(process.env['BENCH_PROFILE_LIMIT'] ?? 30);
const GRACE_MS = 60_000;

/** The default set: the corpus files an exact solver closes, and two generated hard ones. */
const CORPUS = [
  'cats/arbitrary_40', 'cats/arbitrary_100', 'cats/matching_40', 'cats/matching_80', 'cats/paths_40', 'cats/paths_100',
  'cats/regions_40', 'cats/regions_100', 'cats/scheduling_40', 'cats/scheduling_100',
  'sandholm/Decay2000_100', 'sandholm/Decay2000_300', 'sandholm/Decay2000_500', 'sandholm/Wrand2000_100', 'sandholm/rand2000_100',
].map((f) => fileURLToPath(new URL(`../../../corpus/${f}.txt`, import.meta.url)));
const GENERATED: readonly [GeneratorFamily, number, number][] = [['uniform', 100, 1000], ['bidder-interest', 200, 1000]];

/** One solver's counts on one file. */
interface Row {
  readonly status: string;
  readonly wallMs: number;
  readonly nodes: number | null;
  readonly lpIterations: number | null;
  readonly detail: Record<string, unknown>;
}

async function ours(file: string): Promise<Row> {
  const child = fileURLToPath(new URL('./profile-child.js', import.meta.url));
  const p = await runProcess(process.execPath, [child, file, String(LIMIT)], { timeoutMs: LIMIT * 1000 + GRACE_MS });
  const line = p.stdout.trim().split('\n').pop() ?? '';
  if (p.code !== 0 || !line.startsWith('{')) return { status: `error: ${(p.stderr.trim().split('\n').pop() ?? '') || `exit ${String(p.code)}`}`, wallMs: p.wallMs, nodes: null, lpIterations: null, detail: {} };
  const d = JSON.parse(line) as Record<string, unknown>;
  return { status: String(d['status']), wallMs: p.wallMs, nodes: Number(d['nodes']), lpIterations: Number(d['lpIterations']), detail: d };
}

async function cbc(lp: string): Promise<Row> {
  const p = await runProcess('cbc', [lp, '-sec', String(LIMIT), '-threads', '1', 'solve'], { timeoutMs: LIMIT * 1000 + GRACE_MS });
  if (p.spawnError !== undefined) return { status: 'not available', wallMs: 0, nodes: null, lpIterations: null, detail: {} };
  const num = (re: RegExp): number | null => {
    const m = re.exec(p.stdout);
    return m === null ? null : Number(m[1]);
  };
  const status = /Result - Optimal solution found/.test(p.stdout) ? 'optimal' : /Stopped on time/.test(p.stdout) ? 'time limit' : 'other';
  return {
    status, wallMs: p.wallMs, nodes: num(/Enumerated nodes:\s+(\d+)/), lpIterations: num(/Total iterations:\s+(\d+)/),
    detail: { cbcWallSec: num(/Time \(Wallclock seconds\):\s+([\d.]+)/), objective: num(/Objective value:\s+([-\d.e+]+)/) },
  };
}

const SCIP_DRIVER = `
import json, sys, time
t0 = time.time()
from pyscipopt import Model
t1 = time.time()
m = Model()
m.hideOutput()
m.readProblem(sys.argv[1])
t2 = time.time()
m.setParam('limits/time', float(sys.argv[2]))
m.setParam('parallel/maxnthreads', 1)
m.optimize()
print(json.dumps({'status': m.getStatus(), 'nodes': m.getNNodes(), 'lpIterations': m.getNLPIterations(),
  'importMs': (t1 - t0) * 1000, 'readMs': (t2 - t1) * 1000, 'presolveMs': m.getPresolvingTime() * 1000,
  'solveMs': m.getSolvingTime() * 1000, 'objective': m.getPrimalbound() if m.getNSols() > 0 else None}))
`;

async function scip(lp: string): Promise<Row> {
  const python = process.env['BUNDLE_AUCTION_PYTHON'] ?? 'python3';
  const p = await runProcess(python, ['-c', SCIP_DRIVER, lp, String(LIMIT)], { timeoutMs: LIMIT * 1000 + GRACE_MS });
  const line = p.stdout.trim().split('\n').pop() ?? '';
  if (p.code !== 0 || !line.startsWith('{')) return { status: 'not available', wallMs: p.wallMs, nodes: null, lpIterations: null, detail: {} };
  const d = JSON.parse(line) as Record<string, unknown>;
  return { status: String(d['status']), wallMs: p.wallMs, nodes: Number(d['nodes']), lpIterations: Number(d['lpIterations']), detail: d };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bundle-auction-profile-'));
  try {
    const files = process.env['BENCH_PROFILE_FILES']?.split(',').filter((f) => f !== '') ?? [...CORPUS];
    if (process.env['BENCH_PROFILE_FILES'] === undefined) {
      for (const [family, rollups, bids] of GENERATED) {
        const path = join(dir, `${family}-${rollups}x${bids}-s1.json`);
        await writeFile(path, writeInstance(generateInstance(family, { rollups, bids, seed: 1 }), 'json'));
        files.push(path);
      }
    }
    const rows: { file: string; ours: Row; cbc: Row; scip: Row }[] = [];
    for (const file of files) {
      const lp = join(dir, `${basename(file)}.lp`);
      await writeFile(lp, instanceToLp(await readInstanceFile(file)));
      const row = { file: basename(file), ours: await ours(file), cbc: await cbc(lp), scip: await scip(lp) };
      rows.push(row);
      process.stderr.write(`${row.file}: ours ${row.ours.status} ${(row.ours.wallMs / 1000).toFixed(2)} s, cbc ${row.cbc.status} ${(row.cbc.wallMs / 1000).toFixed(2)} s, scip ${row.scip.status} ${(row.scip.wallMs / 1000).toFixed(2)} s\n`);
    }
    const out = process.env['BENCH_PROFILE_OUT'] ?? 'bench/results/profile.json';
    await writeFile(out, `${JSON.stringify({ limitSec: LIMIT, at: new Date().toISOString(), rows }, null, 1)}\n`);
    process.stdout.write(`${table(rows)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function table(rows: readonly { file: string; ours: Row; cbc: Row; scip: Row }[]): string {
  const s = (ms: unknown): string => (typeof ms === 'number' ? (ms / 1000).toFixed(2) : '–');
  const n = (v: number | null): string => (v === null || Number.isNaN(v) ? '–' : String(v));
  const lines = [
    '| file | ours: wall | boot+import+wasm | parse+presolve | LP | MIP | nodes | LP iter | CBC: wall | nodes | LP iter | SCIP: wall | presolve | nodes | LP iter |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const d = r.ours.detail;
    const start = typeof d['bootMs'] === 'number' ? (d['bootMs'] as number) + (d['importMs'] as number) + (d['wasmMs'] as number) : undefined;
    const prep = typeof d['parseMs'] === 'number' ? (d['parseMs'] as number) + (d['presolveMs'] as number) : undefined;
    const mark = (row: Row): string => (row.status === 'optimal' ? '' : ` (${row.status})`);
    lines.push(`| ${r.file} | ${s(r.ours.wallMs)}${mark(r.ours)} | ${s(start)} | ${s(prep)} | ${s(d['lpMs'])} | ${s(d['mipMs'])} | ${n(r.ours.nodes)} | ${n(r.ours.lpIterations)} | ${s(r.cbc.wallMs)}${mark(r.cbc)} | ${n(r.cbc.nodes)} | ${n(r.cbc.lpIterations)} | ${s(r.scip.wallMs)}${mark(r.scip)} | ${s(r.scip.detail['presolveMs'])} | ${n(r.scip.nodes)} | ${n(r.scip.lpIterations)} |`);
  }
  return lines.join('\n');
}

await main();
