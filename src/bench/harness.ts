/**
 * The bench harness: every instance × runner, one process per run (or in-process for tests),
 * a hard time cap, and every answer verified exactly before its time counts.
 *
 * Checks, per run: the winners are re-evaluated with `evaluateWinners` (unknown ids, repeats,
 * shared rollups or exclusive groups → `invalid`; a claim of infeasibility → `invalid`, the
 * empty allocation being always feasible); the value shown is always the exact recomputation.
 * Then, per instance: a runner that claimed `optimal` while another runner's verified value is
 * higher, or claimed a bound below another runner's verified value, is marked `disagree`. Only
 * runs whose check is `ok` count in timings.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../model/errors.js';
import { evaluateWinners } from '../model/evaluate.js';
import { compileMarket } from '../model/market.js';
import { formatAmount } from '../model/money.js';
import { fromWire, runInProcess, runIsolated } from './child.js';
import { prepareInstance, type BenchInstance, type InstanceSpec } from './instances.js';
import { isRegisteredRunner, resolveRunner } from './registry.js';
import type { BenchRunner, RunnerAnswer, RunObservation, TaskLine, TracePoint } from './types.js';

/** Options of {@link runBench}. */
export interface BenchOptions {
  readonly instances: readonly InstanceSpec[];
  /**
   * Runner specs (`highs`, `cbc`, `command:…`, `label=command:…`, `module:…`, a name given to
   * `registerRunner`: only with `isolate: false`) or runner objects (only with `isolate: false`).
   */
  readonly runners: readonly (string | BenchRunner)[];
  /** Time limit given to every runner, seconds. */
  readonly timeLimitSec: number;
  /** Seconds past the time limit before a run is killed and recorded as `timeout`. Default {@link DEFAULT_GRACE_SEC}. */
  readonly graceSec?: number;
  /** Run each task twice in the same process and report the second (warm) time too. Default false. */
  readonly warm?: boolean;
  /** One child process per run (default true). False: in this process (tests; no kill on timeout). */
  readonly isolate?: boolean;
  /** Seed passed to runners. Default 0. */
  readonly seed?: number;
  /** The built CLI that children run (its hidden `bench-run` command). Default: the package's `dist/cli.js`. */
  readonly cliPath?: string;
  /** Directory for instance JSON files. Default: a fresh temp dir, removed afterwards. */
  readonly workDir?: string;
  /** Called before and after each run (progress display). */
  readonly onEvent?: (event: BenchEvent) => void;
  readonly signal?: AbortSignal;
}

/** Default grace, seconds. */
export const DEFAULT_GRACE_SEC = 10;

/** Progress of a bench. */
export type BenchEvent =
  | { readonly kind: 'prepare'; readonly done: number; readonly total: number }
  | { readonly kind: 'start'; readonly index: number; readonly total: number; readonly instance: BenchInstance; readonly runner: string }
  | { readonly kind: 'done'; readonly index: number; readonly total: number; readonly instance: BenchInstance; readonly run: BenchRun };

/** What happened in a run. */
export type RunOutcome = 'optimal' | 'feasible' | 'none' | 'infeasible' | 'timeout' | 'error' | 'skipped';

/** Verification result: `ok` (time counts), `invalid`, `disagree`, or `unchecked` (no allocation to check). */
export type RunCheck = 'ok' | 'invalid' | 'disagree' | 'unchecked';

/** One instance × runner. Amounts are exact base units. */
export interface BenchRun {
  readonly instance: string;
  readonly group: string;
  readonly runner: string;
  /** The runner's claim (or timeout / error / skipped). */
  readonly outcome: RunOutcome;
  check: RunCheck;
  /** Exactly recomputed value of the answer (null when there is no feasible answer). */
  readonly value: bigint | null;
  /** The runner's claimed upper bound (for `optimal`: the value). */
  readonly bound: bigint | null;
  readonly winners: number;
  /** Wall-clock ms from spawn to answer (process start included when isolated). */
  readonly wallMs: number | null;
  /** ms inside `runner.run` (cold). */
  readonly coldMs: number | null;
  /** ms of the second run in the same process (`warm` only; null when it failed its check). */
  readonly warmMs: number | null;
  /** The runner's own solver time, when it reports one. */
  readonly solverMs: number | null;
  /** The cold run's incumbent trace, when the runner gives one (unverified claims; see {@link RunnerAnswer.trace}). */
  readonly trace?: readonly TracePoint[];
  /** Why it was skipped, failed, invalid or in disagreement. */
  reason?: string;
}

/** A finished bench. */
export interface BenchReport {
  readonly settings: {
    readonly timeLimitSec: number;
    readonly graceSec: number;
    readonly warm: boolean;
    readonly isolate: boolean;
    readonly seed: number;
  };
  readonly machine: { readonly cpu: string; readonly cpus: number; readonly memoryGiB: number; readonly node: string; readonly platform: string };
  /** `timeLimitSec`: the runner's own limit (`name@seconds`) or the bench's. */
  readonly runners: readonly { readonly name: string; readonly spec: string; readonly available: true | string; readonly timeLimitSec: number }[];
  readonly instances: readonly { readonly id: string; readonly group: string; readonly name: string; readonly source: string; readonly rollups: number; readonly bids: number; readonly decimals: number }[];
  /** Instance order × runner order. */
  readonly runs: readonly BenchRun[];
}

interface Entry {
  readonly spec: string;
  readonly runner: BenchRunner;
  readonly available: true | string;
  /** Per-runner time limit (`name@seconds`), overriding the bench's. */
  readonly timeLimitSec?: number;
}

/** Splits `highs@60` into a built-in (or registered) runner name and its own time limit. */
function splitTimeLimit(spec: string): { spec: string; timeLimitSec?: number } {
  const m = /^([a-z][a-z0-9_-]*)@([0-9]+(?:\.[0-9]+)?)$/.exec(spec);
  if (m === null) return { spec };
  const t = Number(m[2]);
  if (!(t > 0)) throw new UsageError(`runner ${spec}: time limit must be positive`);
  return { spec: m[1] as string, timeLimitSec: t };
}

/** Runs the bench. Instances that cannot be built throw (bad input); runs never do. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const isolate = options.isolate ?? true;
  const warm = options.warm ?? false;
  const graceSec = options.graceSec ?? DEFAULT_GRACE_SEC;
  const seed = options.seed ?? 0;
  if (!(options.timeLimitSec > 0)) throw new UsageError(`time limit must be positive (received ${options.timeLimitSec})`);
  if (!(graceSec >= 0)) throw new UsageError(`grace must be non-negative (received ${graceSec})`);
  const cliPath = options.cliPath ?? fileURLToPath(new URL('../cli.js', import.meta.url));
  if (isolate && !existsSync(cliPath)) throw new UsageError(`isolated runs need the built CLI at ${cliPath} (run npm run build), or isolate: false`);

  const entries: Entry[] = [];
  for (const r of options.runners) {
    if (typeof r !== 'string' && isolate) throw new UsageError(`runner ${r.name} is an object: isolated runs need a spec (built-in name, command:… or module:…)`);
    const split = typeof r === 'string' ? splitTimeLimit(r) : { spec: r.name };
    if (typeof r === 'string' && isolate && isRegisteredRunner(split.spec)) throw new UsageError(`runner ${split.spec} is registered in this process only: isolated runs need a built-in name, command:… or module:… (or isolate: false)`);
    const resolved = typeof r === 'string' ? await resolveRunner(split.spec) : r;
    // A runner with its own limit is named by its spec (`auto@1`), so one bench can compare limits.
    const runner: BenchRunner = split.timeLimitSec === undefined ? resolved : { name: r as string, available: () => resolved.available(), run: (task) => resolved.run(task) };
    if (entries.some((e) => e.runner.name === runner.name)) throw new UsageError(`runner ${runner.name} given twice`);
    let available: true | string;
    try {
      available = await runner.available();
    } catch (error) {
      available = error instanceof Error ? error.message : String(error);
    }
    entries.push({ spec: split.spec, runner, available, ...(split.timeLimitSec === undefined ? {} : { timeLimitSec: split.timeLimitSec }) });
  }
  if (entries.length === 0) throw new UsageError('no runners given');

  const ownDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'bundle-auction-bench-')));
  try {
    const instances: BenchInstance[] = [];
    const seen = new Set<string>();
    for (const spec of options.instances) {
      options.onEvent?.({ kind: 'prepare', done: instances.length, total: options.instances.length });
      const inst = await prepareInstance(spec, instances.length, workDir);
      if (seen.has(inst.id)) continue;
      seen.add(inst.id);
      instances.push(inst);
    }
    if (instances.length === 0) throw new UsageError('no instances given');

    const runs: BenchRun[] = [];
    const total = instances.length * entries.length;
    let index = 0;
    for (const inst of instances) {
      const mine: BenchRun[] = [];
      for (const entry of entries) {
        options.onEvent?.({ kind: 'start', index, total, instance: inst, runner: entry.runner.name });
        let run: BenchRun;
        if (options.signal?.aborted === true) run = skipped(inst, entry.runner.name, 'aborted');
        else if (entry.available !== true) run = skipped(inst, entry.runner.name, entry.available);
        else {
          const timeLimitSec = entry.timeLimitSec ?? options.timeLimitSec;
          const task = { instanceFile: inst.file, instance: inst.instance, timeLimitSec, seed };
          const caps = { timeLimitSec, graceSec, warm };
          const obs = isolate ? await runIsolated(cliPath, entry.spec, task, caps) : await runInProcess(entry.runner, task, caps);
          run = judge(inst, entry.runner.name, obs, timeLimitSec + graceSec);
        }
        mine.push(run);
        options.onEvent?.({ kind: 'done', index, total, instance: inst, run });
        index++;
      }
      crossCheck(inst, mine);
      runs.push(...mine);
    }

    return {
      settings: { timeLimitSec: options.timeLimitSec, graceSec, warm, isolate, seed },
      machine: machine(),
      runners: entries.map((e) => ({ name: e.runner.name, spec: e.spec, available: e.available, timeLimitSec: e.timeLimitSec ?? options.timeLimitSec })),
      instances: instances.map((i) => ({ id: i.id, group: i.group, name: i.name, source: i.source, rollups: i.instance.rollups.length, bids: i.instance.bids.length, decimals: i.instance.decimals })),
      runs,
    };
  } finally {
    if (ownDir) await rm(workDir, { recursive: true, force: true });
  }
}

function skipped(inst: BenchInstance, runner: string, reason: string): BenchRun {
  return { instance: inst.id, group: inst.group, runner, outcome: 'skipped', check: 'unchecked', value: null, bound: null, winners: 0, wallMs: null, coldMs: null, warmMs: null, solverMs: null, reason };
}

/** Verification of one answer against the instance. */
type Verdict = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly reason: string };

/** Re-evaluates an answer's winners exactly. */
export function verifyAnswer(inst: BenchInstance, answer: RunnerAnswer): Verdict {
  if (answer.status === 'infeasible') return { ok: false, reason: 'claims the instance infeasible, but the empty allocation is always feasible' };
  const market = compileMarket(inst.instance);
  const indices: number[] = [];
  for (const id of answer.winners) {
    const b = market.bidIndex.get(id);
    if (b === undefined) return { ok: false, reason: `winner ${JSON.stringify(id)} is not a bid of the instance` };
    indices.push(b);
  }
  const e = evaluateWinners(market, indices);
  if (e.feasible) return { ok: true, value: e.value };
  const bidId = (b: number): string => JSON.stringify(inst.instance.bids[b]?.id ?? String(b));
  const r = e.reason;
  switch (r.kind) {
    case 'unknown-bid':
      return { ok: false, reason: `unknown bid ${r.bid}` };
    case 'repeated-bid':
      return { ok: false, reason: `bid ${bidId(r.bid)} listed twice` };
    case 'shared-rollup':
      return { ok: false, reason: `bids ${bidId(r.other)} and ${bidId(r.bid)} share rollup ${JSON.stringify(inst.instance.rollups[r.rollup]?.id ?? String(r.rollup))}` };
    case 'exclusive-group':
      return { ok: false, reason: `bids ${bidId(r.other)} and ${bidId(r.bid)} are in the same exclusive group` };
  }
}

/** Turns what was observed into a run record, verifying the cold (and warm) answers. */
function judge(inst: BenchInstance, runner: string, obs: RunObservation, capSec: number): BenchRun {
  const base = { instance: inst.id, group: inst.group, runner };
  const cold = obs.cold;
  if (cold === null) {
    const timeout = obs.timedOut !== null;
    return {
      ...base, outcome: timeout ? 'timeout' : 'error', check: 'unchecked', value: null, bound: null, winners: 0,
      wallMs: null, coldMs: null, warmMs: null, solverMs: null,
      reason: timeout ? `no answer within ${capSec} s: killed` : (obs.failure ?? 'no answer'),
    };
  }
  const times = { wallMs: round(cold.wallMs), coldMs: round(cold.ms), warmMs: warmTime(inst, obs.warm) };
  if (cold.answer === undefined) {
    return { ...base, outcome: 'error', check: 'unchecked', value: null, bound: null, winners: 0, ...times, warmMs: null, solverMs: null, reason: cold.error ?? 'no answer' };
  }
  const answer = fromWire(cold.answer);
  const solverMs = answer.solverMs === undefined ? null : round(answer.solverMs);
  const claimedBound = answer.bound ?? null;
  const trace = answer.trace === undefined ? {} : { trace: answer.trace };
  if (answer.status === 'none' && answer.winners.length === 0) {
    return { ...base, outcome: 'none', check: 'unchecked', value: null, bound: claimedBound, winners: 0, ...times, solverMs, ...trace, reason: 'no allocation returned' };
  }
  const v = verifyAnswer(inst, answer);
  if (!v.ok) {
    return { ...base, outcome: answer.status, check: 'invalid', value: null, bound: claimedBound, winners: answer.winners.length, ...times, warmMs: null, solverMs, ...trace, reason: v.reason };
  }
  const bound = answer.status === 'optimal' ? v.value : claimedBound;
  const run: BenchRun = { ...base, outcome: answer.status, check: 'ok', value: v.value, bound, winners: answer.winners.length, ...times, solverMs, ...trace };
  if (obs.timedOut === 'warm') run.reason = `warm run: no answer within ${capSec} s: killed`;
  else if (obs.warm?.error !== undefined) run.reason = `warm run failed: ${obs.warm.error}`;
  if (answer.status === 'optimal' && claimedBound !== null && claimedBound < v.value) {
    run.check = 'disagree';
    run.reason = `claims optimal ${fmt(inst, v.value)} with a bound ${fmt(inst, claimedBound)} below it`;
  }
  return run;
}

/** The warm time when the warm answer verifies, else null. */
function warmTime(inst: BenchInstance, warm: TaskLine | null): number | null {
  if (warm === null || warm.answer === undefined) return null;
  const a = fromWire(warm.answer);
  if (a.status === 'none' && a.winners.length === 0) return null;
  return verifyAnswer(inst, a).ok ? round(warm.ms) : null;
}

/**
 * Marks runs whose optimality claim or bound is beaten by another runner's verified value on
 * the same instance. (Two `optimal` claims with different values: the lower one is beaten.)
 */
export function crossCheck(inst: BenchInstance, runs: BenchRun[]): void {
  let best: BenchRun | null = null;
  for (const r of runs) if ((r.check === 'ok' || r.check === 'disagree') && r.value !== null && (best === null || r.value > (best.value as bigint))) best = r;
  if (best === null || best.value === null) return;
  const top = best.value;
  for (const r of runs) {
    if (r === best || r.check === 'invalid') continue;
    if (r.outcome === 'optimal' && r.value !== null && r.value < top) {
      r.check = 'disagree';
      r.reason = `claims optimal ${fmt(inst, r.value)} but ${best.runner} found ${fmt(inst, top)}`;
    } else if (r.bound !== null && r.bound < top) {
      r.check = 'disagree';
      r.reason = `claims bound ${fmt(inst, r.bound)} but ${best.runner} found ${fmt(inst, top)}`;
    }
  }
}

function fmt(inst: BenchInstance, v: bigint): string {
  return formatAmount(v, inst.instance.decimals);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function machine(): BenchReport['machine'] {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cpus: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
