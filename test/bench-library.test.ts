/**
 * `bundle-auction/bench` as a library (issue 13 item 5): a user's own runner through the public
 * entry, verified like any other; runner registration; the `hard` preset's exact instance list.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PRESETS, defineRunner, planBench, presetGenerated, registerRunner, runBench, unregisterRunner,
  type BenchReport, type BenchRun, type BenchRunner, type BenchTask, type InstanceSpec, type RunnerAnswer,
} from '../src/bench/index.js';
import { instanceToJson } from '../src/formats/json.js';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-bench-lib-'));

/** Optimum p (a,b: 10) + r (c: 4) = 14; q (b,c: 12) + s (a: 1) = 13; p and q share b. */
const small = createInstance({
  rollups: [{ id: 'a', reserve: '0' }, { id: 'b', reserve: '0' }, { id: 'c', reserve: '0' }],
  bids: [
    { id: 'p', bidder: 'x', bundle: ['a', 'b'], amount: '10' },
    { id: 'q', bidder: 'y', bundle: ['b', 'c'], amount: '12' },
    { id: 'r', bidder: 'z', bundle: ['c'], amount: '4' },
    { id: 's', bidder: 'w', bundle: ['a'], amount: '1' },
  ],
});
const smallFile = join(dir, 'small.json');
writeFileSync(smallFile, instanceToJson(small));
const instances: InstanceSpec[] = [{ kind: 'file', path: smallFile }];

/** Greedy by amount, skipping bids that overlap a taken one: q then s (13, not optimal). */
function greedy(instance: Instance): string[] {
  const taken = new Set<string>();
  const winners: string[] = [];
  for (const bid of [...instance.bids].sort((x, y) => (y.amount > x.amount ? 1 : y.amount < x.amount ? -1 : 0))) {
    if (bid.bundle.some((r) => taken.has(r))) continue;
    for (const r of bid.bundle) taken.add(r);
    winners.push(bid.id);
  }
  return winners;
}

const runOf = (report: BenchReport, runner: string): BenchRun => {
  const run = report.runs.find((r) => r.runner === runner);
  if (run === undefined) throw new Error(`no run of ${runner}`);
  return run;
};

afterEach(() => {
  unregisterRunner('lib-greedy');
});

describe('bundle-auction/bench: a user-defined runner', () => {
  it('runs in process beside highs, with its value recomputed exactly and an infeasible answer flagged invalid', async () => {
    const seen: number[] = [];
    const mine = defineRunner('greedy', async (instance, limits) => {
      seen.push(limits.timeLimitSec);
      return { status: 'feasible', winners: greedy(instance), solverMs: 0.5 };
    });
    const overlapping = defineRunner('overlap', async () => ({ status: 'feasible', winners: ['p', 'q'] }));
    const boaster = defineRunner('boaster', async (instance) => ({ status: 'optimal', winners: greedy(instance) }));
    const absent = defineRunner('absent', () => Promise.reject(new Error('unreachable')), { available: async () => 'no licence here' });
    const report = await runBench({ instances, runners: ['highs', mine, overlapping, boaster, absent], timeLimitSec: 7, isolate: false });

    expect(seen).toEqual([7]);
    expect(runOf(report, 'highs')).toMatchObject({ outcome: 'optimal', check: 'ok', value: 14n });
    expect(runOf(report, 'greedy')).toMatchObject({ outcome: 'feasible', check: 'ok', value: 13n, winners: 2, solverMs: 0.5 });
    const bad = runOf(report, 'overlap');
    expect(bad).toMatchObject({ outcome: 'feasible', check: 'invalid', value: null });
    expect(bad.reason).toMatch(/share rollup "b"/);
    expect(runOf(report, 'boaster')).toMatchObject({ outcome: 'optimal', check: 'disagree', value: 13n });
    expect(runOf(report, 'absent')).toMatchObject({ outcome: 'skipped', reason: 'no licence here' });
  });

  it('a registered name works in process, and an isolated bench refuses it (children cannot see it)', async () => {
    // A class instance (methods on the prototype) survives renaming to `lib-greedy@3`.
    class Greedy implements BenchRunner {
      readonly name = 'lib-greedy';
      available(): Promise<true> {
        return Promise.resolve(true);
      }
      run(task: BenchTask): Promise<RunnerAnswer> {
        return Promise.resolve({ status: 'feasible', winners: greedy(task.instance) });
      }
    }
    registerRunner('lib-greedy', () => new Greedy());
    expect(() => registerRunner('lib-greedy', defineRunner('x', async () => ({ status: 'none', winners: [] })))).toThrow(/already registered/);
    expect(() => registerRunner('highs', defineRunner('x', async () => ({ status: 'none', winners: [] })))).toThrow(/built in/);
    const report = await runBench({ instances, runners: ['lib-greedy@3'], timeLimitSec: 5, isolate: false });
    expect(runOf(report, 'lib-greedy@3')).toMatchObject({ check: 'ok', value: 13n });
    await expect(runBench({ instances, runners: ['lib-greedy'], timeLimitSec: 5, cliPath: cli })).rejects.toThrow(/registered in this process only/);
  });

  it('runs a defineRunner module in an isolated child (module:) and flags its infeasible answer', async () => {
    const mod = join(dir, 'overlap-runner.mjs');
    writeFileSync(mod, `import { defineRunner } from ${JSON.stringify(pathToFileURL(join(root, 'dist/bench/index.js')).href)};
export default defineRunner('overlap-child', async (instance) => ({ status: 'feasible', winners: [instance.bids[0].id, instance.bids[1].id] }));
`);
    const report = await runBench({ instances, runners: [`module:${mod}`], timeLimitSec: 20, cliPath: cli });
    expect(report.settings.isolate).toBe(true);
    expect(runOf(report, 'overlap-child')).toMatchObject({ outcome: 'feasible', check: 'invalid', value: null });
  }, 60_000);
});

describe('the hard preset', () => {
  it('expands to exactly the issue\'s families, sizes and seeds, with highs, bnb, cbc and scip at 60 s', async () => {
    const plan = await planBench({ preset: 'hard' });
    const expected = [
      ['arbitrary', 100, 4000], ['arbitrary', 500, 4000],
      ['regions', 100, 4000], ['regions', 500, 4000],
      ['uniform', 100, 4000], ['uniform', 500, 2000],
      ['bidder-interest', 200, 1000],
    ].flatMap(([family, rollups, bids]) => [1, 2, 3].map((seed) => ({ kind: 'generated', family, rollups, bids, seed })));
    expect(plan.instances).toEqual(expected);
    expect(plan.runners).toEqual(['highs', 'bnb', 'cbc', 'scip']);
    expect(plan.timeLimitSec).toBe(60);
  });

  it('flags override it: --seeds and --time-limit keep the pairs, --sizes makes families × sizes', async () => {
    const reduced = await planBench({ preset: 'hard', seeds: '1', timeLimitSec: 20, runners: ['highs', 'cbc', 'scip'] });
    expect(reduced.instances).toHaveLength(7);
    expect(reduced.timeLimitSec).toBe(20);
    const resized = await planBench({ preset: 'hard', sizes: ['10x30'], seeds: '4' });
    expect(resized.instances.map((s) => (s.kind === 'generated' ? `${s.family} ${s.rollups}x${s.bids} ${s.seed}` : s.path))).toEqual([
      'arbitrary 10x30 4', 'regions 10x30 4', 'uniform 10x30 4', 'bidder-interest 10x30 4',
    ]);
  });

  it('presets without pairs are still families × sizes', () => {
    expect(presetGenerated(PRESETS.standard)).toEqual([
      { family: 'bidder-interest', size: '100x500' }, { family: 'bidder-interest', size: '200x1000' },
      { family: 'rollup-market', size: '100x500' }, { family: 'rollup-market', size: '200x1000' },
    ]);
    expect(presetGenerated(undefined, { families: ['regions'] })).toEqual([{ family: 'regions', size: '100x500' }]);
  });
});
