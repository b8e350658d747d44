/**
 * Issue 14 "must show": value-over-time curves. Trace sampling (a trace → the table cells), the
 * SCIP and CBC trace parsers on captured outputs (test/fixtures/bench: arbitrary 100 × 800,
 * seed 1, SCIP 6.2.1 at 5 s and CBC 2.10.8 at 15 s, both through the runners' own commands), the
 * wire format, a runner without a trace, and the `curves` preset.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCbcSolution, parseCbcTrace } from '../src/bench/cbc.js';
import { traceFromWire, traceToWire } from '../src/bench/child.js';
import { bestAt, curveCell, curveRows, curveSeconds, curveTable } from '../src/bench/curves.js';
import { defineRunner } from '../src/bench/external.js';
import { runBench, verifyAnswer, type BenchReport, type BenchRun } from '../src/bench/harness.js';
import type { BenchInstance } from '../src/bench/instances.js';
import { planBench } from '../src/bench/plan.js';
import { benchJson, benchMarkdown } from '../src/bench/report.js';
import { parseScipOutput, scipTrace } from '../src/bench/scip.js';
import type { TracePoint } from '../src/bench/types.js';
import { generateInstance } from '../src/generators/index.js';
import { instanceToJson } from '../src/formats/json.js';
import { createInstance } from '../src/model/instance.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/bench/${name}`, import.meta.url), 'utf8');
/** The instance both fixtures were captured on. */
const arbitrary = generateInstance('arbitrary', { rollups: 100, bids: 800, seed: 1 });
const benchInstance = { instance: arbitrary } as BenchInstance;

function run(runner: string, fields: Partial<BenchRun> = {}): BenchRun {
  return {
    instance: 'i1', group: 'g', runner, outcome: 'feasible', check: 'ok', value: 100n, bound: null, winners: 1,
    wallMs: 1000, coldMs: 900, warmMs: null, solverMs: 800, ...fields,
  };
}

function report(runs: BenchRun[], runners: { name: string; timeLimitSec: number }[]): BenchReport {
  return {
    settings: { timeLimitSec: 60, graceSec: 10, warm: false, isolate: true, seed: 0 },
    machine: { cpu: 'test', cpus: 1, memoryGiB: 1, node: 'v0', platform: 'test' },
    runners: runners.map((r) => ({ ...r, spec: r.name, available: true as const })),
    instances: [{ id: 'i1', group: 'g', name: 'inst-1', source: 'test', rollups: 2, bids: 3, decimals: 2 }],
    runs,
  };
}

describe('trace sampling', () => {
  const trace: TracePoint[] = [{ ms: 0, value: 10n }, { ms: 1500, value: 40n }, { ms: 1999, value: 35n }, { ms: 7000, value: 90n }];

  it('takes the best value at or before each checkpoint', () => {
    expect(bestAt(trace, 999)).toBe(10n);
    expect(bestAt(trace, 1500)).toBe(40n);
    // A lower later point (a runner reporting a worse one) never lowers the best known.
    expect(bestAt(trace, 2000)).toBe(40n);
    expect(bestAt(trace, 60_000)).toBe(90n);
    expect(bestAt([{ ms: 1200, value: 5 }], 1000)).toBeNull();
    expect(bestAt([], 1000)).toBeNull();
  });

  it('turns traces into table cells, blank past a runner\'s limit, and keeps the verified deadline value', () => {
    const r = report(
      [
        run('ours', { trace, value: 95n }),
        run('ext', { trace: [{ ms: 1200, value: 50.4 }, { ms: 29_000, value: 99.6 }], value: 100n }),
        run('short', { trace: [{ ms: 100, value: 7n }], value: 7n }),
        run('bad', { trace: [{ ms: 100, value: 1000n }], check: 'invalid', value: null }),
      ],
      [{ name: 'ours', timeLimitSec: 60 }, { name: 'ext', timeLimitSec: 60 }, { name: 'short', timeLimitSec: 5 }, { name: 'bad', timeLimitSec: 60 }],
    );
    expect(curveSeconds(r)).toEqual([1, 2, 5, 10, 30, 60]);
    const rows = curveRows(r);
    expect(rows.map((x) => x.at)).toEqual([
      [10n, 40n, 40n, 90n, 90n, 90n],
      [null, 50.4, 50.4, 50.4, 99.6, 99.6],
      [7n, 7n, 7n, undefined, undefined, undefined],
      [undefined, undefined, undefined, undefined, undefined, undefined],
    ]);
    expect(rows.map((x) => x.deadline)).toEqual([95n, 100n, 7n, null]);
    expect(rows.map((x) => x.traced)).toEqual([true, true, true, false]);
    // Cells in the instance's units (2 decimals); floats marked ≈ and rounded to base units.
    expect(curveCell(90n, 2)).toBe('0.90');
    expect(curveCell(99.6, 2)).toBe('≈1.00');
    expect(curveCell(null, 2)).toBe('—');
    expect(curveCell(undefined, 2)).toBe('');
    const table = curveTable(r, ['i1']);
    expect(table).toContain('| inst-1 | ours | 0.10 | 0.40 | 0.40 | 0.90 | 0.90 | 0.90 | 0.95 |');
    expect(table).toContain('| inst-1 | ext | — | ≈0.50 | ≈0.50 | ≈0.50 | ≈1.00 | ≈1.00 | 1.00 |');
    expect(table).toContain('| inst-1 | short | 0.07 | 0.07 | 0.07 |  |  |  | 0.07 |');
    expect(table).toContain('| inst-1 | bad |  |  |  |  |  |  | **INVALID** |');
  });

  it('stops the checkpoints at the longest limit', () => {
    // The runners' own limits (`name@seconds`) decide, not the bench's default 60 s.
    expect(curveSeconds(report([], [{ name: 'a', timeLimitSec: 10 }, { name: 'b', timeLimitSec: 2 }]))).toEqual([1, 2, 5, 10]);
    expect(curveSeconds(report([], [{ name: 'a', timeLimitSec: 0.5 }]))).toEqual([]);
  });

  it('keeps exact values exact across the process boundary', () => {
    const big = 2n ** 70n + 1n;
    expect(traceFromWire(traceToWire({ ms: 5, value: big }))).toEqual({ ms: 5, value: big });
    expect(traceFromWire(JSON.parse(JSON.stringify(traceToWire({ ms: 5, value: 1.5e20 }))) as [number, number])).toEqual({ ms: 5, value: 1.5e20 });
  });
});

describe('CBC log trace', () => {
  const log = fixture('cbc-arbitrary-100x800-s1.log.txt');

  it('reads every "Integer solution … found … (T seconds)" line, un-negating the minimised objective', () => {
    expect(parseCbcTrace(log, 0n)).toEqual([
      { ms: 470, value: 58485003 },
      { ms: 8440, value: 60843330 },
      { ms: 8580, value: 62469764 },
      { ms: 13190, value: 63503504 },
    ]);
    // Reserves are added (value = Σ gains + Σ reserves).
    expect(parseCbcTrace(log, 5n)[0]).toEqual({ ms: 470, value: 58485008 });
  });

  it('ends at the value of the answer CBC wrote (verified exactly)', () => {
    const answer = parseCbcSolution(fixture('cbc-arbitrary-100x800-s1.sol'), arbitrary);
    const v = verifyAnswer(benchInstance, answer);
    expect(v.ok).toBe(true);
    const last = parseCbcTrace(log, 0n).at(-1);
    expect(v.ok && BigInt(last?.value as number) === v.value).toBe(true);
  });

  it('handles tree-search lines, no reformulation, worse solutions and an empty log', () => {
    const text = [
      'Cbc0038I Solution found of 12',
      'Cbc0012I Integer solution of 10 found by rounding after 0 iterations and 0 nodes (0.20 seconds)',
      'Cbc0004I Integer solution of 14.5 found after 120 iterations and 3 nodes (1.25 seconds)',
      'Cbc0004I Integer solution of 13 found after 150 iterations and 4 nodes (1.30 seconds)',
      'Cbc0016I Integer solution of 2e+01 found by strong branching after 200 iterations and 5 nodes (2.00 seconds)',
    ].join('\n');
    expect(parseCbcTrace(text, 0n)).toEqual([{ ms: 200, value: 10 }, { ms: 1250, value: 14.5 }, { ms: 2000, value: 20 }]);
    expect(parseCbcTrace('Result - Stopped on time limit\n', 0n)).toEqual([]);
  });
});

describe('SCIP driver trace', () => {
  const line = fixture('scip-arbitrary-100x800-s1.json').trim();

  it('parses the BESTSOLFOUND trace next to the answer, ending at its verified value', () => {
    const answer = parseScipOutput(line, arbitrary);
    expect(answer.trace).toEqual([
      { ms: 14, value: 0 },
      { ms: 43, value: 12318189 },
      { ms: 50, value: 51788738 },
      { ms: 2070, value: 52660033 },
      { ms: 2071, value: 56724924 },
      { ms: 2578, value: 64614218 },
    ]);
    const v = verifyAnswer(benchInstance, answer);
    expect(v.ok && BigInt(answer.trace?.at(-1)?.value as number) === v.value).toBe(true);
  });

  it('keeps only improvements, adds reserves, and accepts the old output without a trace', () => {
    expect(scipTrace([[1, 5], [2, 5], [3, 4], [4, Number.NaN], [5.4, 9]], 2n)).toEqual([{ ms: 1, value: 7 }, { ms: 5, value: 11 }]);
    const old = JSON.parse(line) as Record<string, unknown>;
    delete old['trace'];
    const answer = parseScipOutput(JSON.stringify(old), arbitrary);
    expect(answer.trace).toBeUndefined();
    expect(answer.winners).toHaveLength(23);
  });
});

describe('runs with and without a trace', () => {
  const instance = createInstance({
    rollups: [{ id: 'a', reserve: '0' }, { id: 'b', reserve: '0' }],
    bids: [
      { id: 'p', bidder: 'x', bundle: ['a', 'b'], amount: '3' },
      { id: 'q', bidder: 'y', bundle: ['a'], amount: '2' },
      { id: 'r', bidder: 'z', bundle: ['b'], amount: '2' },
    ],
  });
  const file = join(mkdtempSync(join(tmpdir(), 'bundle-auction-curves-test-')), 'tiny.json');
  writeFileSync(file, instanceToJson(instance));
  const spec = { kind: 'file' as const, path: file, group: 'g' };

  it('reports a traced runner\'s curve and an untraced runner\'s deadline value', async () => {
    const traced = defineRunner('traced', async () => ({ status: 'feasible', winners: ['q', 'r'], trace: [{ ms: 0, value: 3n }, { ms: 1, value: 4n }] }));
    const plain = defineRunner('plain', async () => ({ status: 'feasible', winners: ['p'] }));
    const r = await runBench({ instances: [spec], runners: [traced, plain], timeLimitSec: 2, isolate: false });
    expect(r.runs.map((x) => x.value)).toEqual([4n, 3n]);
    expect(r.runs[0]?.trace).toEqual([{ ms: 0, value: 3n }, { ms: 1, value: 4n }]);
    expect(r.runs[1]?.trace).toBeUndefined();
    const md = benchMarkdown(r);
    expect(md).toContain('| tiny.json | traced | 4 | 4 | 4 |');
    expect(md).toContain('| tiny.json | plain |  |  | 3 |');
    const json = JSON.parse(benchJson(r)) as { curves: { seconds: number[]; rows: { runner: string; traced: boolean; at: unknown[]; deadline: string | null }[] }; runs: { trace?: unknown }[] };
    expect(json.curves.seconds).toEqual([1, 2]);
    expect(json.curves.rows).toEqual([
      { instance: r.runs[0]?.instance, runner: 'traced', timeLimitSec: 2, traced: true, at: ['4', '4'], deadline: '4' },
      { instance: r.runs[1]?.instance, runner: 'plain', timeLimitSec: 2, traced: false, at: [null, null], deadline: '3' },
    ]);
    expect(json.runs[0]?.trace).toEqual([[0, '3'], [1, '4']]);
    expect(json.runs[1]?.trace).toBeUndefined();
  });

  it('leaves the table out when no run has a trace', async () => {
    const plain = defineRunner('plain', async () => ({ status: 'feasible', winners: ['p'] }));
    const r = await runBench({ instances: [spec], runners: [plain], timeLimitSec: 2, isolate: false });
    expect(benchMarkdown(r)).not.toContain('Value over time');
  });
});

describe('curves preset', () => {
  it('plans the four families at 500 × 2,000, seeds 1–2, the five Lau–Goh files and four runners at 60 s', async () => {
    const plan = await planBench({ preset: 'curves' });
    expect(plan.runners).toEqual(['auto@60', 'heuristic@60', 'scip@60', 'cbc@60']);
    expect(plan.timeLimitSec).toBe(60);
    const generated = plan.instances.filter((i) => i.kind === 'generated');
    expect(generated.map((i) => (i.kind === 'generated' ? `${i.family}:${i.rollups}x${i.bids}:${i.seed}` : ''))).toEqual(
      ['uniform', 'arbitrary', 'regions', 'bidder-interest'].flatMap((f) => [1, 2].map((s) => `${f}:500x2000:${s}`)),
    );
    const files = plan.instances.filter((i) => i.kind === 'file').map((i) => (i.kind === 'file' ? i.path.split('/').pop() : ''));
    expect(files).toEqual(['in101.txt', 'in201.txt', 'in401.txt', 'in501.txt', 'in601.txt']);
  });
});
