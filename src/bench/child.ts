/**
 * One bench run, isolated or not. The child side (`bundle-auction bench-run`) runs a task once
 * (cold) or twice (cold, then warm) and prints one tagged JSON line per run; the parent side
 * spawns it with a hard deadline and timestamps the lines as they arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { errorLine, killGroup } from './process.js';
import type { BenchRunner, BenchTask, RunCaps, RunnerAnswer, RunObservation, TaskLine, TracePoint, WireAnswer, WireTracePoint } from './types.js';

/** Isolated runs in progress (their process groups), for {@link killActiveRuns}. */
const active = new Set<ChildProcess>();

/** SIGKILLs the process groups of all isolated runs in progress (on Ctrl-C). */
export function killActiveRuns(): void {
  for (const child of active) killGroup(child);
}

/** Tag in front of every result line a child prints (anything else on stdout is ignored). */
export const LINE_TAG = '@bench-run ';

/** Runs the task once (cold) and, when `warm`, a second time in the same process. */
export async function executeTask(runner: BenchRunner, task: BenchTask, warm: boolean, emit: (line: TaskLine) => void): Promise<void> {
  for (const phase of warm ? (['cold', 'warm'] as const) : (['cold'] as const)) {
    const started = performance.now();
    try {
      const a = await runner.run(task);
      const ms = performance.now() - started;
      const answer: WireAnswer = { status: a.status, winners: [...a.winners], bound: a.bound === undefined || a.bound === null ? null : a.bound.toString(), solverMs: a.solverMs ?? null };
      emit({ phase, ms, answer: a.trace === undefined ? answer : { ...answer, trace: a.trace.map(traceToWire) } });
    } catch (error) {
      const ms = performance.now() - started;
      emit({ phase, ms, error: errorText(error) });
    }
  }
}

/** Decodes a wire answer. */
export function fromWire(w: WireAnswer): RunnerAnswer {
  return {
    status: w.status, winners: w.winners, bound: w.bound === null ? null : BigInt(w.bound),
    ...(w.solverMs === null ? {} : { solverMs: w.solverMs }),
    ...(w.trace === undefined ? {} : { trace: w.trace.map(traceFromWire) }),
  };
}

/** A trace point for the wire (a bigint as its digits, a float as a number). */
export function traceToWire(p: TracePoint): WireTracePoint {
  return [p.ms, typeof p.value === 'bigint' ? p.value.toString() : p.value];
}

/** Decodes a wire trace point. */
export function traceFromWire([ms, value]: WireTracePoint): TracePoint {
  return { ms, value: typeof value === 'string' ? BigInt(value) : value };
}

/**
 * Runs `node <cliPath> bench-run …` in its own process group. The cold phase must report
 * within time limit + grace of the spawn (process start and instance loading included), the
 * warm phase within time limit + grace of the cold line; otherwise the group is SIGKILLed.
 */
export function runIsolated(cliPath: string, spec: string, task: Omit<BenchTask, 'instance'>, caps: RunCaps): Promise<RunObservation> {
  const args = [cliPath, 'bench-run', '--runner', spec, '--instance', task.instanceFile, '--time-limit', String(task.timeLimitSec), '--seed', String(task.seed)];
  if (caps.warm) args.push('--warm');
  const capMs = (caps.timeLimitSec + caps.graceSec) * 1000;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    active.add(child);
    let cold: RunObservation['cold'] = null;
    let warm: TaskLine | null = null;
    let timedOut: RunObservation['timedOut'] = null;
    let failure: string | undefined;
    let buffer = '';
    let stderr = '';
    let settled = false;
    let timer = setTimeout(() => expire('cold'), capMs);
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child);
      active.delete(child);
      if (cold === null && timedOut === null && failure === undefined) failure = errorLine(stderr) || 'the run printed no result';
      resolve({ cold, warm, timedOut, ...(failure === undefined ? {} : { failure }) });
    };
    function expire(phase: 'cold' | 'warm'): void {
      timedOut = phase;
      finish();
    }
    const onLine = (line: string): void => {
      if (!line.startsWith(LINE_TAG)) return;
      let parsed: TaskLine;
      try {
        parsed = JSON.parse(line.slice(LINE_TAG.length)) as TaskLine;
      } catch {
        failure = 'unreadable result line';
        finish();
        return;
      }
      if (parsed.phase === 'cold' && cold === null) {
        cold = { ...parsed, wallMs: performance.now() - started };
        clearTimeout(timer);
        if (caps.warm) timer = setTimeout(() => expire('warm'), capMs);
        else finish();
      } else if (parsed.phase === 'warm' && cold !== null) {
        warm = parsed;
        finish();
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while (!settled && (nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        onLine(line);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { if (stderr.length < 1e6) stderr += chunk; });
    child.on('error', (error) => {
      failure = `cannot start ${process.execPath}: ${error.message}`;
      finish();
    });
    child.on('close', (code) => {
      if (!settled && cold === null) failure = `bench-run exited with code ${String(code)}: ${errorLine(stderr) || 'no output'}`;
      finish();
    });
  });
}

/**
 * Runs the task in this process (no isolation: for tests and for runner objects that cannot be
 * named on a command line). The cap is enforced by abandoning the run, not killing it: a
 * runner that ignores its time limit keeps running in the background.
 */
export async function runInProcess(runner: BenchRunner, task: BenchTask, caps: RunCaps): Promise<RunObservation> {
  const lines: TaskLine[] = [];
  const started = performance.now();
  let cold: RunObservation['cold'] = null;
  let wake: (() => void) | null = null;
  const work = executeTask(runner, task, caps.warm, (line) => {
    lines.push(line);
    if (line.phase === 'cold') cold = { ...line, wallMs: performance.now() - started };
    wake?.();
  });
  const capMs = (caps.timeLimitSec + caps.graceSec) * 1000;
  // Wait for each phase with its own cap.
  for (const phase of caps.warm ? (['cold', 'warm'] as const) : (['cold'] as const)) {
    const has = (): boolean => lines.some((l) => l.phase === phase);
    if (!has()) {
      let timer: NodeJS.Timeout | undefined;
      const expired = await Promise.race([
        work.then(() => false),
        new Promise<boolean>((resolve) => {
          wake = () => { if (has()) resolve(false); };
          timer = setTimeout(() => resolve(true), capMs);
        }),
      ]);
      clearTimeout(timer);
      wake = null;
      if (expired && !has()) return { cold, warm: null, timedOut: phase };
    }
  }
  return { cold, warm: lines.find((l) => l.phase === 'warm') ?? null, timedOut: null };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return 'shortMessage' in error && typeof error.shortMessage === 'string' ? error.shortMessage : error.message;
  return String(error);
}
