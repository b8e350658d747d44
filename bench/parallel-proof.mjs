#!/usr/bin/env node
/**
 * Parallel proof side by side (issue 13 item 3, BENCHMARKS.md §13.4): `solve --method exact` on
 * each instance in four configurations, one process per run, the order rotated per instance:
 *   w1      workers 1, canonical off (today's default)
 *   w1c     workers 1, canonical on (what canonicalisation costs)
 *   w2race  workers 2, canonical off (the race alone)
 *   w2      workers 2 (race + canonical, the default for workers > 1)
 * Every answer is re-checked (checkAllocation) and the values of proven runs must agree; the
 * canonical runs' winners must be identical. `uptime` is recorded before each instance.
 *
 * Usage: node bench/parallel-proof.mjs [--time-limit S] [--out FILE.json] [--configs a,b,…] [--reps N] FILE...
 * (needs a fresh `npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const args = process.argv.slice(2);
let timeLimit = 60;
let out = null;
let configNames = null;
let reps = 1;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--time-limit') timeLimit = Number(args[++i]);
  else if (args[i] === '--out') out = args[++i];
  else if (args[i] === '--configs') configNames = args[++i].split(',');
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else files.push(args[i]);
}

const ALL_CONFIGS = [
  { name: 'w1', workers: 1, canonical: false },
  { name: 'w1c', workers: 1, canonical: true },
  { name: 'w2race', workers: 2, canonical: false },
  { name: 'w2', workers: 2, canonical: true },
  // Canonicalisation without the gallop of cut-off solves (canonicalShortcuts.gallop off): an A/B of that step.
  { name: 'w1c-nogallop', workers: 1, canonical: true, gallop: false },
];
const CONFIGS = configNames === null ? ALL_CONFIGS.slice(0, 4) : configNames.map((n) => {
  const c = ALL_CONFIGS.find((x) => x.name === n);
  if (c === undefined) throw new Error(`unknown configuration ${n}`);
  return c;
});

/** The child: parse, solve, print one JSON line (counters included). */
const CHILD = `
const [file, workers, canonical, limit, dist, gallop] = process.argv.slice(1);
const lib = await import(dist);
const { raceCounters } = await import(dist.replace(/index\\.js$/, 'solver/race.js'));
const { canonicalCounters, canonicalShortcuts } = await import(dist.replace(/index\\.js$/, 'solver/canonical.js'));
if (gallop === 'false') canonicalShortcuts.gallop = false;
const { readFileSync } = await import('node:fs');
const text = readFileSync(file, 'utf8');
const inst = file.endsWith('.json') ? lib.parseInstanceJson(text, file) : lib.parseCats(text, file);
const t = performance.now();
const r = await lib.solve(inst, { method: 'exact', workers: Number(workers), canonical: canonical === 'true', timeLimit: Number(limit) });
const ms = performance.now() - t;
const check = lib.checkAllocation(inst, { winners: r.winners });
console.log(JSON.stringify({ status: r.status, value: String(r.value), checked: check.valid ? String(check.value) : null, winners: r.winners, solveMs: Math.round(ms), elapsedMs: r.elapsedMs, mipSolves: r.stats.mipSolves, components: r.stats.components, canonical: r.stats.canonical ?? null, race: raceCounters, counters: canonicalCounters }));
`;

function uptime() {
  return execFileSync('uptime', { encoding: 'utf8' }).trim();
}

const results = [];
const jobs = [];
for (let rep = 0; rep < reps; rep++) for (const file of files) jobs.push(file);
for (const [fi, file] of jobs.entries()) {
  const load = uptime();
  const order = CONFIGS.map((_, k) => CONFIGS[(k + fi) % CONFIGS.length]);
  const runs = {};
  for (const c of order) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, file, String(c.workers), String(c.canonical), String(timeLimit), dist, String(c.gallop ?? true)], { encoding: 'utf8', timeout: (timeLimit + 60) * 1000, maxBuffer: 64 << 20 });
    const wallMs = Math.round(performance.now() - started);
    let parsed = null;
    try {
      parsed = JSON.parse(child.stdout.trim().split('\n').pop());
    } catch {
      parsed = { error: (child.stderr || '').slice(0, 400) || `exit ${child.status}` };
    }
    runs[c.name] = { ...parsed, wallMs };
    process.stderr.write(`${file} ${c.name}: ${parsed.status ?? 'error'} ${parsed.solveMs ?? '-'} ms (wall ${wallMs})\n`);
  }
  const proven = Object.values(runs).filter((r) => r.status === 'optimal');
  const values = new Set(proven.map((r) => r.value));
  const verified = Object.values(runs).every((r) => r.checked !== null && r.checked === r.value);
  const canonicalSame = runs.w1c?.status === 'optimal' && runs.w2?.status === 'optimal' ? runs.w1c.winners.join() === runs.w2.winners.join() : null;
  const plainSame = runs.w1?.winners !== undefined && runs.w1c?.winners !== undefined ? runs.w1.winners.join() === runs.w1c.winners.join() : null;
  results.push({ file, load, afterLoad: uptime(), runs, verified, valuesAgree: values.size <= 1, canonicalSame, canonicalChangedAnswer: plainSame === null ? null : !plainSame });
}
const report = { date: new Date().toISOString(), timeLimit, configs: CONFIGS, results };
if (out !== null) writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
// A short table on stdout: solve ms per configuration (in-process solve time), "-" if unproven.
console.log(`| file | ${CONFIGS.map((c) => c.name).join(' | ')} | verified | values agree | canonical w1c = w2 | canonical changed w1's answer | load before |`);
console.log(`|---|${CONFIGS.map(() => '---:').join('|')}|---|---|---|---|---|`);
for (const r of results) {
  const cell = (c) => (r.runs[c.name]?.status === 'optimal' ? String(r.runs[c.name].solveMs) : `(${r.runs[c.name]?.status ?? 'error'})`);
  console.log(`| ${r.file.split('/').pop()} | ${CONFIGS.map(cell).join(' | ')} | ${r.verified} | ${r.valuesAgree} | ${r.canonicalSame} | ${r.canonicalChangedAnswer} | ${r.load.replace(/.*load average: /, '')} |`);
}

