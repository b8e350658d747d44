/**
 * Fixed costs of a cold `bundle-auction solve` beside native CBC (issue 13 item 4;
 * `npm run bench:fixed`, not a test). For each file, FIXED_RUNS rounds (default 5); each round
 * runs, one after the other, `node DIST/cli.js solve FILE --json` for every build (the base build
 * first when FIXED_BASE is set, then this one) and `cbc model.lp -threads 1 solve solu …` as
 * src/cli/bench/cbc.ts runs it (the LP file written beforehand, not timed), so the builds and CBC
 * share the machine's noise. Medians of wall time, spawn to exit. Then a breakdown per build and
 * file (`fixed-costs-child.ts`, medians over FIXED_RUNS processes) and Node's own start
 * (`node -e 0`). Every build's value must match the others' and CBC's (to CBC's 8 decimals, when
 * CBC finds it) before a time counts.
 * Env: FIXED_BASE (another build's dist directory, e.g. main's), FIXED_RUNS, FIXED_OUT (JSON file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInstanceFile } from '../../formats/files.js';
import { instanceToLp } from '../../formats/lp.js';
import { formatAmount } from '../../model/money.js';

const RUNS = Number(process.env['FIXED_RUNS'] ?? 5);
const OURS = fileURLToPath(new URL('../../', import.meta.url));
const BASE = process.env['FIXED_BASE'];
const builds: readonly { readonly name: string; readonly dist: string }[] = [
  ...(BASE === undefined ? [] : [{ name: 'base', dist: resolve(BASE) }]),
  { name: 'this', dist: OURS },
];
const CHILD = join(OURS, 'cli/bench/fixed-costs-child.js');
const TIMEOUT_MS = 120_000;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Runs a program to completion; wall milliseconds and stdout (throws on failure or timeout). */
function timed(command: string, args: readonly string[], cwd?: string): { ms: number; stdout: string } {
  const t = performance.now();
  const p = spawnSync(command, args, { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 << 20, ...(cwd === undefined ? {} : { cwd }) });
  const ms = performance.now() - t;
  if (p.error !== undefined || p.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${p.error?.message ?? `exit ${String(p.status)}`} ${p.stderr}`);
  return { ms, stdout: p.stdout };
}

const work = mkdtempSync(join(tmpdir(), 'bundle-auction-fixed-'));
const corpus = (f: string): string => fileURLToPath(new URL(`../../../corpus/${f}`, import.meta.url));
const generated = join(work, 'rollup-market_20x100_s1.json');
writeFileSync(generated, timed(process.execPath, [join(OURS, 'cli.js'), 'generate', '--family', 'rollup-market', '--rollups', '20', '--bids', '100', '--seed', '1']).stdout);
const files: readonly { readonly label: string; readonly path: string }[] = [
  { label: 'cats/matching_40', path: corpus('cats/matching_40.txt') },
  { label: 'cats/paths_100', path: corpus('cats/paths_100.txt') },
  { label: 'rollup-market 20×100 seed 1', path: generated },
];

/** One file's row: medians per build and for CBC, plus each build's breakdown. */
interface Row {
  readonly file: string;
  readonly value: string;
  readonly wallMs: Record<string, number>;
  readonly cbc: { readonly wallMs: number; readonly status: string; readonly objective: string | null };
  readonly breakdown: Record<string, Record<string, number>>;
}

const rows: Row[] = [];
const nodeStart: number[] = [];
try {
  for (const file of files) {
    const instance = await readInstanceFile(file.path);
    const lp = join(work, 'model.lp');
    const sol = join(work, 'model.sol');
    writeFileSync(lp, instanceToLp(instance));
    const walls: Record<string, number[]> = Object.fromEntries(builds.map((b) => [b.name, []]));
    const cbcWalls: number[] = [];
    let value: string | null = null;
    let cbcHead = '';
    for (let round = 0; round < RUNS; round++) {
      for (const build of builds) {
        const run = timed(process.execPath, [join(build.dist, 'cli.js'), 'solve', file.path, '--json']);
        const out = JSON.parse(run.stdout) as { status: string; value: string };
        if (out.status !== 'optimal') throw new Error(`${build.name} on ${file.label}: ${out.status}`);
        if (value !== null && out.value !== value) throw new Error(`${build.name} on ${file.label}: value ${out.value}, another run said ${value}`);
        value = out.value;
        walls[build.name]?.push(run.ms);
      }
      nodeStart.push(timed(process.execPath, ['-e', '0']).ms);
      rmSync(sol, { force: true });
      cbcWalls.push(timed('cbc', [lp, '-sec', '60', '-threads', '1', 'solve', 'solu', sol], work).ms);
      cbcHead = (readFileSync(sol, 'utf8').split('\n')[0] ?? '').trim();
    }
    const objective = /objective value\s+(-?[0-9.e+]+)/i.exec(cbcHead)?.[1] ?? null;
    const cbcStatus = /^(Optimal|Integer optimal)/i.test(cbcHead) ? 'optimal' : /infeasible/i.test(cbcHead) ? 'infeasible' : cbcHead.split(' ')[0] ?? '?';
    if (cbcStatus === 'optimal' && objective !== null && value !== null) {
      // CBC's objective is Σ gains in base units (formats/lp.ts), printed with 8 decimals.
      const reserves = formatAmount(instance.rollups.reduce((t, r) => t + r.reserve, 0n), instance.decimals);
      const ours = (Number(value) - Number(reserves)) * 10 ** instance.decimals;
      if (Math.abs(Math.abs(Number(objective)) - ours) > 1e-6 * Math.max(1, ours)) throw new Error(`${file.label}: CBC objective ${objective}, ours ${value}`);
    }
    // The breakdown, the builds alternating too.
    const parts: Record<string, Record<string, number[]>> = Object.fromEntries(builds.map((b) => [b.name, {}]));
    for (let round = 0; round < RUNS; round++) {
      for (const build of builds) {
        const line = JSON.parse(timed(process.execPath, [CHILD, build.dist, file.path]).stdout) as Record<string, unknown>;
        const mine = parts[build.name] ?? {};
        for (const [k, v] of Object.entries(line)) if (typeof v === 'number') (mine[k] ??= []).push(v);
      }
    }
    const breakdown = Object.fromEntries(Object.entries(parts).map(([name, p]) => [name, Object.fromEntries(Object.entries(p).map(([k, v]) => [k, median(v)]))]));
    rows.push({
      file: file.label,
      value: value ?? '?',
      wallMs: Object.fromEntries(Object.entries(walls).map(([k, v]) => [k, median(v)])),
      cbc: { wallMs: median(cbcWalls), status: cbcStatus, objective },
      breakdown,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const s = (ms: number): string => (ms / 1000).toFixed(2);
const names = builds.map((b) => b.name);
const lines = [
  `| file | ${names.map((n) => `${n} (s)`).join(' | ')} | CBC (s) | CBC status |`,
  `|---|${names.map(() => '---:').join('|')}|---:|---|`,
  ...rows.map((r) => `| ${r.file} | ${names.map((n) => s(r.wallMs[n] ?? NaN)).join(' | ')} | ${s(r.cbc.wallMs)} | ${r.cbc.status} |`),
  '',
  `node -e 0 (Node's own start): ${s(median(nodeStart))} s, median of ${nodeStart.length}`,
  '',
  '| file | build | boot | imports | wasm | parse | presolve | solve | sum (s) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.flatMap((r) => names.map((n) => {
    const b = r.breakdown[n] ?? {};
    const keys = ['bootMs', 'importMs', 'wasmMs', 'parseMs', 'presolveMs', 'solveMs'];
    return `| ${r.file} | ${n} | ${keys.map((k) => s(b[k] ?? NaN)).join(' | ')} | ${s(keys.reduce((t, k) => t + (b[k] ?? 0), 0))} |`;
  })),
];
process.stdout.write(`${lines.join('\n')}\n`);
const out = process.env['FIXED_OUT'];
if (out !== undefined) writeFileSync(out, `${JSON.stringify({ runs: RUNS, builds, nodeStartMs: median(nodeStart), rows }, null, 2)}\n`);
