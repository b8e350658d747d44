import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitRunners } from '../src/cli/bench.js';
import { parseCbcSolution, parseCbcUpperBound } from '../src/bench/cbc.js';
import { parseCommandOutput } from '../src/bench/external.js';
import { runBench, type BenchReport, type BenchRun } from '../src/bench/harness.js';
import { parseSeeds, parseSize, type InstanceSpec } from '../src/bench/instances.js';
import { benchJson, benchMarkdown, median, summarize } from '../src/bench/report.js';
import { resolveRunner } from '../src/bench/registry.js';
import { instanceToJson } from '../src/formats/json.js';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';
import { cbcOnPath } from './setup/prerequisites.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-bench-test-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/**
 * Rollups a..d (reserve 1 on d). Optimum: p (a,b: 10) + r (c: 4) + reserve of d (1) = 15.
 * q (b,c: 12) + s (a: 1) + d reserve = 14 is worse; p and q overlap on b.
 */
const small = createInstance({
  rollups: [{ id: 'a', reserve: '0' }, { id: 'b', reserve: '0' }, { id: 'c', reserve: '0' }, { id: 'd', reserve: '1' }],
  bids: [
    { id: 'p', bidder: 'x', bundle: ['a', 'b'], amount: '10' },
    { id: 'q', bidder: 'y', bundle: ['b', 'c'], amount: '12' },
    { id: 'r', bidder: 'z', bundle: ['c'], amount: '4' },
    { id: 's', bidder: 'w', bundle: ['a'], amount: '1' },
    { id: 't', bidder: 'v', bundle: ['d'], amount: '0' },
  ],
});
const smallFile = write('small.json', instanceToJson(small));

/** A deterministic random instance (LCG) with reserves, so gains differ from amounts. */
function randomInstance(nRollups: number, nBids: number, seed: number): Instance {
  let x = seed >>> 0;
  const next = (k: number): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % k;
  };
  const rollups = Array.from({ length: nRollups }, (_, i) => ({ id: `r${i}`, reserve: String(next(3) === 0 ? next(50) : 0) }));
  const bids = Array.from({ length: nBids }, (_, i) => {
    const size = 1 + next(4);
    const bundle = [...new Set(Array.from({ length: size }, () => `r${next(nRollups)}`))];
    return { id: `b${i}`, bidder: `0x${i}`, bundle, amount: String(10 + next(1000) * bundle.length) };
  });
  return createInstance({ rollups, bids });
}

/** A tiny external solver: prints a fixed answer chosen by its first argument. */
const fake = write('fake-solver.mjs', `
const answers = {
  infeasible: { winners: ['p', 'q'], status: 'feasible' },
  unknown: { winners: ['nope'] },
  'worse-optimal': { winners: ['q', 's'], status: 'optimal' },
  'low-bound': { winners: ['r'], status: 'feasible', bound: '5' },
  right: { winners: ['r', 'p'], status: 'optimal', solverMs: 1.5 },
};
const mode = process.argv[2];
const instance = process.argv[3];
if (!instance || !instance.endsWith('.json')) { console.error('no instance path'); process.exit(3); }
process.stdout.write(JSON.stringify(answers[mode]));
`);
const fakeRunner = (mode: string): string => `${mode}=command:${JSON.stringify(process.execPath)} ${fake} ${mode}`;

const file = (path: string): InstanceSpec => ({ kind: 'file', path });
const runOf = (report: BenchReport, runner: string, instance?: string): BenchRun => {
  const run = report.runs.find((r) => r.runner === runner && (instance === undefined || r.instance.endsWith(instance)));
  if (run === undefined) throw new Error(`no run of ${runner}`);
  return run;
};

describe('bench harness (in-process)', () => {
  it('verifies every answer and flags invalid and disagreeing runners', async () => {
    const report = await runBench({
      instances: [file(smallFile)],
      runners: ['highs', 'heuristic', fakeRunner('infeasible'), fakeRunner('unknown'), fakeRunner('worse-optimal'), fakeRunner('low-bound'), fakeRunner('right')],
      timeLimitSec: 10,
      isolate: false,
    });
    expect(report.runs.map((r) => r.runner)).toEqual(['highs', 'heuristic', 'infeasible', 'unknown', 'worse-optimal', 'low-bound', 'right']);

    const highs = runOf(report, 'highs');
    expect(highs).toMatchObject({ outcome: 'optimal', check: 'ok', value: 15n, bound: 15n, winners: 2 });
    expect(highs.wallMs).toBeGreaterThanOrEqual(0);
    expect(runOf(report, 'heuristic')).toMatchObject({ check: 'ok' });

    const infeasible = runOf(report, 'infeasible');
    expect(infeasible).toMatchObject({ outcome: 'feasible', check: 'invalid', value: null });
    expect(infeasible.reason).toMatch(/share rollup "b"/);
    expect(runOf(report, 'unknown')).toMatchObject({ check: 'invalid', reason: 'winner "nope" is not a bid of the instance' });

    const liar = runOf(report, 'worse-optimal');
    expect(liar).toMatchObject({ outcome: 'optimal', check: 'disagree', value: 14n });
    expect(liar.reason).toMatch(/claims optimal 14 but highs found 15/);
    expect(runOf(report, 'low-bound')).toMatchObject({ outcome: 'feasible', check: 'disagree', value: 5n, bound: 5n });
    expect(runOf(report, 'right')).toMatchObject({ outcome: 'optimal', check: 'ok', value: 15n, solverMs: 1.5 });

    const md = benchMarkdown(report);
    for (const name of ['highs', 'heuristic', 'infeasible', 'worse-optimal', 'right']) {
      expect(md).toContain(`${name} status`);
      expect(md).toContain(`${name} time (s)`);
    }
    expect(md).toMatch(/\*\*INVALID\*\*/);
    expect(md).toMatch(/\*\*DISAGREE\*\* \(optimal\)/);
    expect(md).toMatch(/^- small\.json · worse-optimal: DISAGREE: claims optimal 14 but highs found 15$/m);
    expect(md).toMatch(/(highs|right) (faster than|and) (right|highs)/);

    const json = JSON.parse(benchJson(report)) as { runs: Record<string, unknown>[] };
    expect(json.runs).toHaveLength(7);
    expect(json.runs[0]).toMatchObject({ runner: 'highs', status: 'optimal', check: 'ok', value: '15', bound: '15' });
    expect(json.runs[2]).toMatchObject({ runner: 'infeasible', check: 'invalid', value: null });
  });

  it('reports a runner that overruns its cap as a timeout, and errors as errors', async () => {
    const sleeper = write('sleep.mjs', 'setTimeout(() => {}, 60000);\n');
    const failing = write('fail.mjs', 'console.error("solver exploded"); process.exit(1);\n');
    const timedOut = await runBench({
      instances: [file(smallFile)],
      runners: [`sleepy=command:${process.execPath} ${sleeper}`],
      timeLimitSec: 0.3,
      graceSec: 0.3,
      isolate: false,
    });
    expect(runOf(timedOut, 'sleepy')).toMatchObject({ outcome: 'timeout', check: 'unchecked', wallMs: null });
    // A generous cap for the others: on a loaded machine node alone can take over a second to start.
    const report = await runBench({
      instances: [file(smallFile)],
      runners: [`broken=command:${process.execPath} ${failing}`, 'highs'],
      timeLimitSec: 30,
      isolate: false,
    });
    expect(runOf(report, 'broken')).toMatchObject({ outcome: 'error', reason: 'exit 1: solver exploded' });
    expect(runOf(report, 'highs')).toMatchObject({ outcome: 'optimal', check: 'ok' });
  });

  it('reports unavailable runners as skipped and loads module: runners', async () => {
    const mod = write('runner.mjs', `export default {
  name: 'mine',
  available: async () => true,
  run: async (task) => ({ status: 'feasible', winners: [task.instance.bids[0].id] }),
};\n`);
    const absent = { name: 'absent', available: () => Promise.resolve('not installed here'), run: () => Promise.reject(new Error('unreachable')) };
    const report = await runBench({ instances: [file(smallFile)], runners: [`module:${mod}`, absent], timeLimitSec: 5, isolate: false, warm: true });
    expect(runOf(report, 'mine')).toMatchObject({ outcome: 'feasible', check: 'ok', value: 11n });
    expect(runOf(report, 'mine').warmMs).not.toBeNull();
    expect(runOf(report, 'absent')).toMatchObject({ outcome: 'skipped', reason: 'not installed here' });
    expect(benchMarkdown(report)).toContain('absent (skipped: not installed here)');
  });
});

describe('bench on generated instances', () => {
  it('runs family × size × seed, grouped by family and size', async () => {
    const specs: InstanceSpec[] = (['rollup-market', 'bidder-interest'] as const).flatMap((family) =>
      [1, 2].map((seed) => ({ kind: 'generated' as const, family, rollups: 8, bids: 24, seed })));
    const report = await runBench({ instances: specs, runners: ['highs', 'heuristic'], timeLimitSec: 10, isolate: false });
    expect(report.instances.map((i) => i.id)).toEqual([
      'rollup-market/8x24/seed-1', 'rollup-market/8x24/seed-2', 'bidder-interest/8x24/seed-1', 'bidder-interest/8x24/seed-2',
    ]);
    expect(report.runs).toHaveLength(8);
    for (const inst of report.instances) {
      const h = runOf(report, 'highs', inst.id);
      const g = runOf(report, 'heuristic', inst.id);
      expect(h).toMatchObject({ outcome: 'optimal', check: 'ok', group: inst.group });
      expect(g.check).toBe('ok');
      expect((g.value as bigint) <= (h.value as bigint)).toBe(true);
    }
    const md = benchMarkdown(report);
    expect(md).toContain('## rollup-market 8x24');
    expect(md).toContain('## bidder-interest 8x24');
    expect(md).toContain('| seed 2 | 8×24 | optimal |');
  });
});

// test/setup/prerequisites.ts installs cbc (bench/setup.sh) or fails the run; only an explicit
// BUNDLE_AUCTION_NO_CBC=1 skips this, and the setup says so.
const skipCbc = process.env['BUNDLE_AUCTION_NO_CBC'] === '1';

describe('cbc runner', () => {
  it.skipIf(skipCbc)('finds the same optimum as highs', async () => {
    expect(cbcOnPath(), 'cbc is not on PATH although the test setup ran bench/setup.sh').toBe(true);
    const random = write('random.json', instanceToJson(randomInstance(30, 120, 7)));
    const report = await runBench({
      instances: [file(smallFile), file(random), file('corpus/cats/paths_40.txt')],
      runners: ['highs', 'cbc'],
      timeLimitSec: 20,
      isolate: false,
    });
    for (const inst of ['small.json', 'random.json', 'paths_40.txt']) {
      const h = runOf(report, 'highs', inst);
      const c = runOf(report, 'cbc', inst);
      expect(h).toMatchObject({ outcome: 'optimal', check: 'ok' });
      expect(c).toMatchObject({ outcome: 'optimal', check: 'ok' });
      expect(c.value).toBe(h.value);
    }
    expect(runOf(report, 'cbc', 'paths_40.txt').group).toBe('corpus/cats');
  });

  it('parses CBC solution files', () => {
    const optimal = parseCbcSolution('Optimal - objective value 14.00000000\n      0 x0                     1                      10\n      2 x2   1  4\n', small);
    expect(optimal).toEqual({ status: 'optimal', winners: ['p', 'r'] });
    expect(parseCbcSolution('Stopped on time - objective value 4\n**    2 x2   1  4\n', small)).toEqual({ status: 'feasible', winners: ['r'] });
    expect(parseCbcSolution('Stopped on time - objective value 7.5\n 0 x0 0.5 10\n', small)).toEqual({ status: 'none', winners: [] });
    expect(parseCbcSolution('Infeasible - objective value 0\n', small)).toEqual({ status: 'infeasible', winners: [] });
    expect(parseCbcUpperBound('Objective value: 3\nUpper bound:                    20.0000001\nGap: 0.1\n', small)).toBe(21n);
  });
});

/** Whether a process runs (a zombie waiting for a slow init to reap it counts as dead). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = `/proc/${pid}/status`;
  return !(existsSync(status) && /^State:\s*Z/m.test(readFileSync(status, 'utf8')));
}

describe('bench isolation (built CLI)', () => {
  // The built CLI (npm test builds it first); BUNDLE_AUCTION_CLI points elsewhere.
  const cli = process.env['BUNDLE_AUCTION_CLI'] ?? 'dist/cli.js';
  it('runs each task in its own process and kills the whole process group at the cap', async () => {
    // npm test builds first; a missing build is a failure, not a skip.
    expect(existsSync(join(dirname(cli), 'bench', 'child.js')), `${cli} is not built: run npm run build`).toBe(true);
    const pidFile = join(dir, 'sleeper.pid');
    const sleeper = write('sleep-pid.mjs', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetTimeout(() => {}, 120000);\n`);
    // Caps generous enough for a loaded CI (a child node process and the wasm load can take seconds there).
    const report = await runBench({
      instances: [file(smallFile)],
      runners: [`sleepy=command:${process.execPath} ${sleeper}`],
      timeLimitSec: 5,
      graceSec: 1,
      cliPath: cli,
    });
    const solved = await runBench({ instances: [file(smallFile)], runners: ['highs'], timeLimitSec: 60, warm: true, cliPath: cli });
    const highs = runOf(solved, 'highs');
    expect(highs).toMatchObject({ outcome: 'optimal', check: 'ok', value: 15n });
    expect(highs.wallMs).toBeGreaterThan(highs.coldMs ?? Infinity);
    expect(highs.warmMs).not.toBeNull();
    expect(runOf(report, 'sleepy')).toMatchObject({ outcome: 'timeout' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(alive(pid)).toBe(false);
  });
});

describe('bench arguments', () => {
  it('parses seeds, sizes and runner lists', () => {
    expect(parseSeeds('1-3')).toEqual([1, 2, 3]);
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('5, 1-2,2')).toEqual([5, 1, 2]);
    expect(() => parseSeeds('x')).toThrow(/bad seed "x"/);
    expect(parseSize('100x500')).toEqual({ rollups: 100, bids: 500 });
    expect(() => parseSize('100')).toThrow(/ROLLUPSxBIDS/);
    expect(splitRunners('highs, cbc,mine=command:solve --a,b x')).toEqual(['highs', 'cbc', 'mine=command:solve --a,b x']);
  });

  it('resolves built-in runners and rejects unknown ones', async () => {
    expect((await resolveRunner('heuristic')).name).toBe('heuristic');
    expect((await resolveRunner('me=command:true')).name).toBe('me');
    await expect(resolveRunner('gurobi')).rejects.toThrow(/unknown bench runner "gurobi"/);
  });

  it('parses external output strictly, bounds in the instance units', () => {
    const cats = createInstance({ decimals: 2, rollups: [{ id: 'a', reserve: '0' }], bids: [{ id: 'x', bidder: 'b', bundle: ['a'], amount: '150' }] });
    expect(parseCommandOutput('log line\n{"winners":["x"],"bound":"1.50"}\n', cats)).toEqual({ status: 'feasible', winners: ['x'], bound: 150n });
    expect(() => parseCommandOutput('{"winners":[1]}', cats)).toThrow(/array of bid id strings/);
    expect(() => parseCommandOutput('nothing', cats)).toThrow(/not a JSON object/);
  });

  it('computes medians and speed ratios only over proven optima', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const run = (instance: string, runner: string, wallMs: number, outcome: 'optimal' | 'feasible' = 'optimal'): BenchRun =>
      ({ instance, group: 'g', runner, outcome, check: 'ok', value: 1n, bound: 1n, winners: 1, wallMs, coldMs: wallMs, warmMs: null, solverMs: null });
    const s = summarize('g', [run('i1', 'a', 100), run('i1', 'b', 400), run('i2', 'a', 300), run('i2', 'b', 900), run('i3', 'a', 50, 'feasible'), run('i3', 'b', 1)], ['a', 'b']);
    expect(s.comparisons).toEqual([{ faster: 'a', slower: 'b', ratio: 650 / 200, fasterMedianMs: 200, slowerMedianMs: 650, instances: 2 }]);
    expect(s.runners[0]).toMatchObject({ optimal: 2, valid: 3, medianMs: 100 });
  });
});
