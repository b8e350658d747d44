import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInstance } from '../src/generators/index.js';
import { bestGreedy, gainOf, greedyFromOrder } from '../src/heuristics/greedy.js';
import { lnsSearch, LNS_MOVES, type LnsMove } from '../src/heuristics/lns.js';
import { Packing, SubProblemBuilder, solveSubProblem } from '../src/heuristics/lns-packing.js';
import { runPortfolio } from '../src/heuristics/portfolio.js';
import { compileMarket } from '../src/model/market.js';
import { solve } from '../src/solver/solve.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { allBids, expectSoundSearch, verified } from './support/search-checks.js';
import { bruteForceValue, recheck } from './support/oracle.js';



describe('large-neighbourhood search', () => {
  it('is feasible, exact, never below its start, at most the optimum; same seed and steps give the same answer', async () => {
    let improved = 0;
    await fc.assert(fc.asyncProperty(instances({ maxRollups: 8, minBids: 4, maxBids: 14, groups: true }), fc.nat(1000), async (inst, seed) => {
      const m = compileMarket(inst);
      const start = bestGreedy(m, allBids(m));
      const run = (): ReturnType<typeof lnsSearch> => lnsSearch(m, allBids(m), start.winners, { seed, maxSteps: 60, deterministic: true });
      const r = await run();
      expect((await run()).winners).toEqual(r.winners);
      expectSoundSearch(inst, m, start.gain, r);
      if (r.gain > start.gain) improved++;
    }), { seed: PROPERTY_SEED, numRuns: 200 });
    expect(improved).toBeGreaterThan(2);
  });

  it('reaches the exact optimum of small instances that greedy misses', async () => {
    let missed = 0;
    let found = 0;
    await fc.assert(fc.asyncProperty(instances({ maxRollups: 7, minBids: 8, maxBids: 14, groups: true }), async (inst) => {
      const m = compileMarket(inst);
      const start = bestGreedy(m, allBids(m));
      const optimum = bruteForceValue(inst);
      if (m.reserveTotal + start.gain === optimum) return;
      missed++;
      const r = await lnsSearch(m, allBids(m), start.winners, { seed: 1, maxSteps: 300, deterministic: true });
      if (m.reserveTotal + r.gain === optimum) found++;
    }), { seed: PROPERTY_SEED, numRuns: 300 });
    expect(missed).toBeGreaterThan(10);
    expect(found / missed).toBeGreaterThan(0.9);
  });

  it('a sub-problem keeps the removed winners feasible, and its solution beats them only with a strictly higher exact gain', async () => {
    const inst = generateInstance('uniform', { rollups: 60, bids: 1200, seed: 5 });
    const m = compileMarket(inst);
    // A weak start (first fit in input order), so that sub-problems can improve it.
    const winners = greedyFromOrder(m, allBids(m));
    const start = { winners, gain: gainOf(m, winners) };
    const p = new Packing(m, start.winners);
    const builder = new SubProblemBuilder(m, allBids(m));
    let better = 0;
    for (let i = 0; i < 30; i++) {
      const order = Array.from({ length: 60 }, (_, r) => (r * 7 + i * 11) % 60);
      // Both sizes: enumeration (≤ 24 free bids) and the HiGHS sub-MIP.
      const sub = builder.build(p, order, i % 2 === 0 ? 20 : 60, i % 2 === 0 ? 24 : 60);
      const free = new Set(sub.free);
      for (const b of sub.removed) expect(free.has(b)).toBe(true);
      const solved = await solveSubProblem(m, sub, { timeLimitSec: 1 });
      for (const b of solved.winners) expect(free.has(b)).toBe(true);
      expect(solved.gain).toBe(gainOf(m, solved.winners));
      expect(solved.gain >= sub.removedGain).toBe(true);
      // Replacing the removed winners by the solution is a packing with the exact value.
      const kept = start.winners.filter((b) => !sub.removed.includes(b));
      expect(verified(inst, m, [...kept, ...solved.winners])).toBe(m.reserveTotal + start.gain - sub.removedGain + solved.gain);
      if (solved.gain > sub.removedGain) better++;
    }
    expect(better).toBeGreaterThan(0);
  });

  it('reports the neighbourhood of each improvement; the portfolio runs LNS epochs and names them', async () => {
    const inst = generateInstance('bidder-interest', { rollups: 80, bids: 700, seed: 3 });
    const m = compileMarket(inst);
    const start = bestGreedy(m, allBids(m));
    const moves: LnsMove[] = [];
    const r = await lnsSearch(m, allBids(m), start.winners, { seed: 2, maxSteps: 400, deterministic: true, onImprove: (_, k) => moves.push(k) });
    expect(moves.length).toBeGreaterThan(0);
    for (const k of moves) expect(LNS_MOVES).toContain(k);
    expect(r.move).toBe(moves[moves.length - 1]);
    const seen: string[] = [];
    const p = await runPortfolio(m, allBids(m), start.winners, { seed: 2, iterations: 20_000, onImprove: (_, k) => seen.push(k) });
    expect(verified(inst, m, p.winners)).toBe(m.reserveTotal + p.gain);
    expect(seen.some((k) => k.startsWith('lns:'))).toBe(true);
  });

  it('a killed worker in an LNS epoch loses nothing', async () => {
    const inst = generateInstance('bidder-interest', { rollups: 80, bids: 700, seed: 3 });
    const m = compileMarket(inst);
    const start = bestGreedy(m, allBids(m));
    // Epoch 0 is tabu, epoch 1 LNS: worker 1 exits in epoch 1.
    const epoch0 = await runPortfolio(m, allBids(m), start.winners, { workers: 2, seed: 4, iterations: 2000 });
    const r = await runPortfolio(m, allBids(m), start.winners, { workers: 2, seed: 4, iterations: 8000, deadline: performance.now() + 20_000, faults: [{ epoch: 1, worker: 1, kind: 'exit' }] });
    expect(r.failures).toBeGreaterThanOrEqual(1);
    expect(r.gain >= epoch0.gain).toBe(true);
    expect(verified(inst, m, r.winners)).toBe(m.reserveTotal + r.gain);
  });
});

describe('anytime to the deadline', () => {
  it('heuristic and auto use the budget on an unproven instance and meet it within 10 % + 0.5 s', async () => {
    const inst = generateInstance('uniform', { rollups: 60, bids: 1500, seed: 2 });
    const limit = 2;
    for (const method of ['heuristic', 'auto'] as const) {
      const t0 = performance.now();
      const r = await solve(inst, { method, timeLimit: limit });
      const elapsed = (performance.now() - t0) / 1000;
      expect(recheck(inst, r.winners).value).toBe(r.value);
      expect(elapsed, method).toBeLessThanOrEqual(1.1 * limit + 0.5);
      // No early exit: without a proof the whole budget is used.
      if (r.status !== 'optimal') expect(elapsed, method).toBeGreaterThanOrEqual(0.9 * limit);
    }
  });

  it('an iteration budget ends heuristic deterministically, before the time limit', async () => {
    const inst = generateInstance('uniform', { rollups: 40, bids: 600, seed: 3 });
    const run = (): ReturnType<typeof solve> => solve(inst, { method: 'heuristic', seed: 5, iterations: 6000, timeLimit: 60 });
    const t0 = performance.now();
    const a = await run();
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect((await run()).winners).toEqual(a.winners);
    expect(recheck(inst, a.winners).value).toBe(a.value);
  });
});

describe('solve --json --trace', () => {
  it('adds the (ms, incumbent, bound) reports: times ascending, incumbent never down, bound never below it, the last one the answer', async () => {
    const { runCli } = await import('./support/cli.js');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { instanceToJson } = await import('../src/formats/json.js');
    const dir = await mkdtemp(join(tmpdir(), 'lns-trace-'));
    const file = join(dir, 'uniform.json');
    await writeFile(file, instanceToJson(generateInstance('uniform', { rollups: 40, bids: 800, seed: 7 })));
    const run = await runCli('solve', file, '--method', 'heuristic', '--time-limit', '1.5', '--json', '--trace');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { value: string; trace: { ms: number; incumbent: string; bound: string; move?: string }[] };
    expect(out.trace.length).toBeGreaterThan(1);
    // Decimal strings compared exactly: fractions padded to a common width.
    const num = (v: string): bigint => { const [i, f = ''] = v.split('.'); return BigInt(`${i ?? '0'}${f.padEnd(12, '0')}`); };
    for (let i = 1; i < out.trace.length; i++) {
      const [a, b] = [out.trace[i - 1], out.trace[i]] as [typeof out.trace[0], typeof out.trace[0]];
      expect(b.ms).toBeGreaterThanOrEqual(a.ms);
      expect(num(b.incumbent) >= num(a.incumbent)).toBe(true);
    }
    for (const t of out.trace) expect(num(t.bound) >= num(t.incumbent)).toBe(true);
    expect(out.trace[out.trace.length - 1]?.incumbent).toBe(out.value);
    expect(out.trace.some((t) => t.move !== undefined)).toBe(true);
    // Without --trace the JSON keeps its contract.
    const plain = await runCli('solve', file, '--method', 'heuristic', '--iterations', '2000', '--json');
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('trace');
  });
});
