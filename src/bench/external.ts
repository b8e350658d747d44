/**
 * Runners for solvers that are not ours: a function ({@link defineRunner}), any program
 * (`command:<shell command>`) and any ES module exporting a {@link BenchRunner} (`module:<path>`).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../model/errors.js';
import { parseScaledDecimal } from '../model/money.js';
import type { Instance } from '../model/types.js';
import { errorLine, lastLine, runProcess, shellQuote } from './process.js';
import type { BenchRunner, BenchTask, RunnerAnswer } from './types.js';

/** What a {@link defineRunner} function gets besides the instance: the task's limits and file. */
export type RunnerLimits = Omit<BenchTask, 'instance'>;

/** Options of {@link defineRunner}. */
export interface DefineRunnerOptions {
  /** `true`, or why the runner cannot run here (it is then skipped). Default: always available. */
  readonly available?: () => Promise<true | string>;
}

/**
 * A runner from a function `(instance, limits) => Promise<answer>`. The harness verifies what it
 * returns like any other runner's answer (an infeasible allocation is `invalid`, a beaten
 * optimality claim `disagree`). Pass it to `runBench` with `isolate: false`, register it with
 * `registerRunner`, or export it from an ES module and name it `module:<path>` (isolated runs).
 *
 * @example
 *   const greedy = defineRunner('greedy', async (instance, { timeLimitSec }) => ({ status: 'feasible', winners: pick(instance) }));
 */
export function defineRunner(name: string, solve: (instance: Instance, limits: RunnerLimits) => Promise<RunnerAnswer>, options: DefineRunnerOptions = {}): BenchRunner {
  if (name.trim() === '') throw new UsageError('a bench runner needs a name');
  const available = options.available ?? (() => Promise.resolve(true as const));
  return {
    name,
    available,
    run: ({ instance, ...limits }) => solve(instance, limits),
  };
}

/** Seconds past the time limit before an external program is killed. */
export const EXTERNAL_GRACE_SEC = 10;

/**
 * An external solver: `/bin/sh -c '<command> <instance.json>'`. The program reads the instance
 * JSON (docs/DESIGN.md §2) whose path is appended, may read `BUNDLE_AUCTION_TIME_LIMIT` (seconds)
 * and `BUNDLE_AUCTION_SEED` from its environment, and prints on stdout one JSON object
 *
 *     { "winners": ["b1", …], "status"?: "optimal"|"feasible"|"none", "bound"?: "…", "solverMs"?: n }
 *
 * (status defaults to `feasible`; `bound` is a decimal string in the instance's printed units,
 * like `solve --json`). It is killed {@link EXTERNAL_GRACE_SEC} s after the time limit.
 */
export function commandRunner(command: string, name = `command:${command}`): BenchRunner {
  return {
    name,
    available: () => Promise.resolve(command.trim() === '' ? 'empty command' : true),
    async run(task) {
      const p = await runProcess(`${command} ${shellQuote(task.instanceFile)}`, [], {
        shell: true,
        timeoutMs: (task.timeLimitSec + EXTERNAL_GRACE_SEC) * 1000,
        env: { ...process.env, BUNDLE_AUCTION_TIME_LIMIT: String(task.timeLimitSec), BUNDLE_AUCTION_SEED: String(task.seed) },
      });
      if (p.timedOut) throw new Error(`killed after ${task.timeLimitSec + EXTERNAL_GRACE_SEC} s`);
      if (p.code !== 0) throw new Error(`exit ${String(p.code)}: ${errorLine(p.stderr) || lastLine(p.stdout)}`);
      return parseCommandOutput(p.stdout, task.instance);
    },
  };
}

/**
 * Parses an external solver's stdout: the whole text, or else its last line, as the JSON object
 * described at {@link commandRunner}.
 *
 * @throws {Error} naming the problem when the output does not follow the contract.
 */
export function parseCommandOutput(stdout: string, instance: Instance): RunnerAnswer {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    try {
      data = JSON.parse(lastLine(stdout.length > 1e6 ? stdout.slice(-1e6) : stdout));
    } catch {
      throw new Error(`stdout is not a JSON object: ${JSON.stringify(lastLine(stdout).slice(0, 80))}`);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('stdout must be a JSON object {"winners": [...]}');
  const o = data as Record<string, unknown>;
  const winners = o['winners'];
  if (!Array.isArray(winners) || !winners.every((w): w is string => typeof w === 'string')) throw new Error('"winners" must be an array of bid id strings');
  const status = o['status'] ?? 'feasible';
  if (status !== 'optimal' && status !== 'feasible' && status !== 'none' && status !== 'infeasible') {
    throw new Error(`"status" must be "optimal", "feasible", "none" or "infeasible" (received ${JSON.stringify(status)})`);
  }
  const answer: { -readonly [K in keyof RunnerAnswer]: RunnerAnswer[K] } = { status, winners };
  const bound = o['bound'];
  if (bound !== undefined && bound !== null) {
    if (typeof bound !== 'string') throw new Error('"bound" must be a decimal string');
    answer.bound = parseScaledDecimal(bound, instance.decimals, { path: 'bound' });
  }
  const solverMs = o['solverMs'];
  if (typeof solverMs === 'number' && Number.isFinite(solverMs) && solverMs >= 0) answer.solverMs = solverMs;
  return answer;
}

/**
 * Loads a runner from an ES module: its default export (or export `runner`) must be a
 * {@link BenchRunner}, or a function returning one (possibly async).
 *
 * @throws {UsageError} when the module cannot be loaded or exports no runner.
 */
export async function moduleRunner(path: string, name = `module:${path}`): Promise<BenchRunner> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`cannot load bench runner module ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value = mod['default'] ?? mod['runner'];
  if (typeof value === 'function') value = await (value as () => unknown)();
  if (!isRunner(value)) throw new UsageError(`bench runner module ${path} must export (default or "runner") an object with name, available() and run(task)`);
  const runner = value;
  // Keep the spec as the name unless the module names itself.
  return { name: runner.name === '' ? name : runner.name, available: () => runner.available(), run: (task) => runner.run(task) };
}

function isRunner(value: unknown): value is BenchRunner {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['name'] === 'string' && typeof r['available'] === 'function' && typeof r['run'] === 'function';
}
