/**
 * Aborting a solve whose MIP runs on a piscina worker (threaded.ts for `auto`, race.ts for
 * `exact` with workers ≥ 2) returns the best allocation so far: it resolves, never rejects,
 * never crashes the process, loses nothing the MIP found, and leaves the process able to solve
 * again. The abort points vary with the machine; every assertion holds at any of them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceToJson } from '../src/formats/json.js';
import { generateInstance } from '../src/generators/index.js';
import { rollupMarketInstance } from '../src/generators/rollup-market.js';
import { poolErrorCounters } from '../src/heuristics/pool-errors.js';
import { compileMarket } from '../src/model/market.js';
import type { Instance } from '../src/model/types.js';
import { highsBackend } from '../src/solver/highs.js';
import { MipGovernor } from '../src/solver/mip-governor.js';
import { buildPacking } from '../src/solver/packing.js';
import type { PackingProblem } from '../src/solver/problem.js';
import { SharedIncumbent } from '../src/solver/shared-incumbent.js';
import { solve, type SolveOptions, type SolveResult } from '../src/solver/solve.js';
import { threadedBackend, threadedCounters } from '../src/solver/threaded.js';
import { checkAllocation } from '../src/verify/check.js';
import { recheck } from './support/oracle.js';

// Whatever vitest reports, these say for sure that nothing escaped while this file ran.
const escaped: string[] = [];
const onRejection = (reason: unknown): void => { escaped.push(`unhandledRejection: ${String(reason)}`); };
const onException = (error: unknown): void => { escaped.push(`uncaughtException: ${String(error)}`); };
beforeAll(() => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
});
afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

/** A packing problem over a rollup market's positive bids, weights in gwei (exact in double precision). */
function gweiPacking(instance: Instance): PackingProblem {
  const market = compileMarket(instance);
  const bids = Int32Array.from({ length: market.nBids }, (_, b) => b).filter((b) => (market.gain[b] as bigint) > 0n);
  return buildPacking(market, bids, Float64Array.from(bids, (b) => Math.floor(Number(market.gain[b] as bigint) / 1e9)));
}

function objective(p: PackingProblem, x: Uint8Array | null): number {
  return x === null ? -1 : x.reduce((s, v, j) => s + v * (p.weight[j] as number), 0);
}

/** Whether x is a packing of p (every packing row and extra row respected). */
function isPacking(p: PackingProblem, x: Uint8Array): boolean {
  for (let r = 0; r + 1 < p.rowStart.length; r++) {
    let used = 0;
    for (let k = p.rowStart[r] as number; k < (p.rowStart[r + 1] as number); k++) used += x[p.rowItems[k] as number] as number;
    if (used > 1) return false;
  }
  return true;
}

/**
 * Holds this thread until the governed MIP worker has returned (it says so through the
 * governor's buffer just before posting its answer) and 100 ms more, then aborts: the answer is
 * then queued and unread.
 */
function abortOnceAnswered(governor: MipGovernor, controller: AbortController): void {
  const cap = performance.now() + 60_000;
  while (!governor.pauseSearch() && performance.now() < cap) { /* busy */ }
  const after = performance.now() + 100;
  while (performance.now() < after) { /* busy */ }
  controller.abort();
}

/** Lets queued microtasks run (never the event loop: port messages wait). */
async function microtasks(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe('threaded backend: an abort stops the worker cooperatively', () => {
  it('an abort arriving while the worker\'s answer is queued neither crashes nor loses the answer', async () => {
    const problem = gweiPacking(rollupMarketInstance(12, 120, 5));
    const here = await highsBackend.solve(problem, { timeLimitSec: 60 });
    expect(here.status).toBe('optimal');
    const governor = new MipGovernor(1);
    const threaded = threadedBackend(highsBackend, governor);
    try {
      // Warm: the pool and its worker exist, so the next task is posted without the event loop.
      expect((await threaded.backend.solve(problem, { timeLimitSec: 60 })).status).toBe('optimal');
      const absorbed = poolErrorCounters.absorbed;
      const controller = new AbortController();
      const answer = threaded.backend.solve(problem, { timeLimitSec: 60, signal: controller.signal });
      await microtasks();
      // This thread stays busy until the worker has returned (it says so through the governor's
      // buffer just before its answer is posted), then a little longer; then the abort comes,
      // before this thread has read the answer. Terminating the worker here used to make piscina
      // emit "Unexpected message from Worker" with no listener: an uncaught exception.
      abortOnceAnswered(governor, controller);
      const r = await answer;
      // The solve had finished: its proof is the answer, not "no solution".
      expect(r.status).toBe('optimal');
      expect(objective(problem, r.x)).toBe(objective(problem, here.x));
      // Nothing was terminated, so no stray message either.
      expect(poolErrorCounters.absorbed).toBe(absorbed);
      // The same backend solves again.
      expect((await threaded.backend.solve(problem, { timeLimitSec: 60 })).status).toBe('optimal');
    } finally {
      await threaded.close();
    }
    expect(escaped).toEqual([]);
  }, 120_000);

  it('the last resort (the worker terminated after the grace) resolves too, and the backend solves again', async () => {
    const problem = gweiPacking(rollupMarketInstance(12, 120, 5));
    const governor = new MipGovernor(1);
    // No grace: the worker is terminated at the abort, as piscina's own abort did.
    const threaded = threadedBackend(highsBackend, governor, { abortGraceMs: 0 });
    try {
      expect((await threaded.backend.solve(problem, { timeLimitSec: 60 })).status).toBe('optimal');
      const controller = new AbortController();
      const answer = threaded.backend.solve(problem, { timeLimitSec: 60, signal: controller.signal });
      await microtasks();
      const absorbed = poolErrorCounters.absorbed;
      const terminated = threadedCounters.terminated;
      // As above: the worker's answer is queued when the abort comes and terminates it.
      abortOnceAnswered(governor, controller);
      const r = await answer;
      // Terminated: no answer, but a resolved promise.
      expect(r.status).toBe('no-solution');
      expect(threadedCounters.terminated).toBe(terminated + 1);
      // The answer that was on its way (if the worker got to post it) arrives for no task:
      // piscina's "Unexpected message from Worker", counted, not thrown (else `escaped` has it).
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(poolErrorCounters.absorbed - absorbed).toBeLessThanOrEqual(1);
      expect((await threaded.backend.solve(problem, { timeLimitSec: 60 })).status).toBe('optimal');
    } finally {
      await threaded.close();
    }
    expect(escaped).toEqual([]);
  }, 120_000);

  it('an abort mid-solve returns at least the best packing the MIP had published', async () => {
    const problem = gweiPacking(rollupMarketInstance(300, 6000, 11));
    const cols = Int32Array.from({ length: problem.nCols }, (_, j) => j);
    const offered = new SharedIncumbent(cols);
    const threaded = threadedBackend(highsBackend);
    try {
      const controller = new AbortController();
      const answer = threaded.backend.solve(problem, { timeLimitSec: 60, signal: controller.signal, shared: offered.view(cols) });
      // Wait (the event loop free) for HiGHS's first improving solution, then abort.
      let seen: number[] | null = null;
      let settled = false;
      void answer.then(() => { settled = true; }, () => { settled = true; });
      while (seen === null && !settled) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = offered.found();
      }
      controller.abort();
      const r = await answer;
      expect(r.x).not.toBeNull();
      const x = r.x as Uint8Array;
      expect(isPacking(problem, x)).toBe(true);
      if (seen !== null) {
        const seenValue = seen.reduce((s, j) => s + (problem.weight[j] as number), 0);
        // What HiGHS had when the abort came is in the answer (the old abort terminated the worker: none).
        expect(objective(problem, x)).toBeGreaterThanOrEqual(seenValue);
      }
    } finally {
      await threaded.close();
    }
    expect(escaped).toEqual([]);
  }, 120_000);
});

// Rollup market 300 × 6,000 (seed 11): its MIP runs for seconds on a worker (auto's race; exact's
// proof race with two workers). Its optimum, proven by `exact` (1 and 2 workers agree):
const BIG = generateInstance('rollup-market', { rollups: 300, bids: 6000, seed: 11 });
const BIG_OPTIMUM = 16631193650652440007n;

/** Everything a returned answer must satisfy, however early the abort came. */
function expectHonest(instance: Instance, r: SolveResult, optimum: bigint): void {
  expect(checkAllocation(instance, { winners: r.winners }).valid).toBe(true);
  const { value, revenue } = recheck(instance, r.winners);
  expect(r.value).toBe(value);
  expect(r.revenue).toBe(revenue);
  expect(r.value <= optimum).toBe(true);
  expect(r.bound).not.toBeNull();
  expect((r.bound as bigint) >= optimum).toBe(true);
  if (r.status === 'optimal') {
    expect(r.value).toBe(optimum);
    expect(r.bound).toBe(r.value);
  }
}

/**
 * Solves BIG and aborts `ms` after the start: from a timer, or (`busy`) synchronously after a
 * busy stretch of this thread (the worker may answer meanwhile), from the first progress report
 * after `ms` or a timer, whichever comes first.
 */
async function abortedSolve(options: SolveOptions, ms: number, from: 'timer' | 'busy'): Promise<SolveResult> {
  const controller = new AbortController();
  const started = performance.now();
  const busyAbort = (): void => {
    if (controller.signal.aborted) return;
    const until = performance.now() + 200;
    while (performance.now() < until) { /* busy */ }
    controller.abort();
  };
  const timer = setTimeout(from === 'timer' ? () => controller.abort() : busyAbort, ms);
  const onProgress = from === 'timer' ? undefined : (): void => { if (performance.now() - started >= ms) busyAbort(); };
  try {
    return await solve(BIG, { timeLimit: 30, ...options, signal: controller.signal, ...(onProgress === undefined ? {} : { onProgress }) });
  } finally {
    clearTimeout(timer);
  }
}

describe('solve: aborting while the MIP runs on a worker', () => {
  const points: readonly [number, 'timer' | 'busy'][] = [[50, 'timer'], [1000, 'timer'], [600, 'busy']];
  for (const [method, workers] of [['auto', 1], ['exact', 2]] as const) {
    it(`${method} (workers ${workers}) returns a verified allocation at every abort point`, async () => {
      for (const [ms, from] of points) {
        const r = await abortedSolve({ method, workers }, ms, from);
        expectHonest(BIG, r, BIG_OPTIMUM);
        expect(r.method).toBe(`${method}/highs`);
      }
      expect(escaped).toEqual([]);
    }, 120_000);
  }

  it('auto aborted at the MIP\'s first packing (the MIP running on its worker) keeps what the MIP found', async () => {
    const controller = new AbortController();
    const aborted = threadedCounters.aborted;
    let found = -1n;
    const r = await solve(BIG, {
      method: 'auto', timeLimit: 30, signal: controller.signal,
      onProgress: (p) => {
        // The search took up a packing HiGHS published while it runs: abort now.
        if (p.move !== 'mip' || controller.signal.aborted) return;
        found = p.incumbent ?? -1n;
        controller.abort();
      },
    });
    expectHonest(BIG, r, BIG_OPTIMUM);
    expect(found > 0n).toBe(true);
    expect(r.value >= found).toBe(true);
    // The abort reached a solve on the worker (stopped by its flag), or came between two of its
    // solves (the next one then returns at once), or after its proof.
    expect(threadedCounters.aborted > aborted || r.stats.mipSolves >= 2 || r.status === 'optimal').toBe(true);
    expect(escaped).toEqual([]);
  }, 120_000);

  it('the process solves again afterwards, the MIP on its worker again', async () => {
    const small = rollupMarketInstance(12, 120, 5);
    const here = await solve(small, { method: 'exact', timeLimit: 30 });
    expect(here.status).toBe('optimal');
    for (const [method, workers] of [['auto', 1], ['exact', 2]] as const) {
      const again = await solve(small, { method, workers, timeLimit: 30 });
      expect(again.status).toBe('optimal');
      expect(again.value).toBe(here.value);
    }
    expect(escaped).toEqual([]);
  }, 120_000);
});

describe('CLI: Ctrl-C during solve', () => {
  it('SIGINT prints the best allocation so far and exits 130, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abort-solve-'));
    const file = join(dir, 'market.json');
    writeFileSync(file, instanceToJson(BIG));
    // auto: its MIP runs on a worker (exact --workers 2 goes through the same handler).
    const child = spawn(process.execPath, ['dist/cli.js', 'solve', file, '--time-limit', '30', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Once the solve runs (its first progress line, about 1 s in; the handler is installed by
    // then), one Ctrl-C (a second one exits at once). Without a progress line by then, after 3 s.
    let sent = false;
    const interrupt = (): void => {
      if (sent) return;
      sent = true;
      child.kill('SIGINT');
    };
    const fallback = setTimeout(interrupt, 3000);
    child.stderr.once('data', () => { clearTimeout(fallback); interrupt(); });
    const { code, signal } = await exited;
    expect({ code, signal, stderr: stderr.slice(-400) }).toMatchObject({ code: 130, signal: null });
    expect(stderr).not.toMatch(/\n\s+at |Error|Unexpected/);
    const out = JSON.parse(stdout) as { status: string; value: string; winners: string[]; bound: string | null };
    expect(['optimal', 'feasible']).toContain(out.status);
    expect(checkAllocation(BIG, { winners: out.winners }).valid).toBe(true);
    expect(BigInt(out.value)).toBe(recheck(BIG, out.winners).value);
    expect(out.bound !== null && BigInt(out.bound) >= BIG_OPTIMUM).toBe(true);
    if (out.status === 'optimal') expect(BigInt(out.value)).toBe(BIG_OPTIMUM);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
