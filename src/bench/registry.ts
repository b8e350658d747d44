/**
 * The runner registry: every solver the bench compares, looked up by spec. A runner only
 * answers; the harness times it, verifies the answer exactly and cross-checks claims.
 *
 * Built-in names: `highs`, `glpk`, `jslp`, `bnb` (our `solve` with method exact on that backend),
 * `heuristic`, `auto` (our `solve` with that method), `cbc` (native COIN-OR CBC on the LP
 * export), `scip` (SCIP through pyscipopt on the LP export), `command:<shell command>` (an
 * external program; see {@link commandRunner}) and `module:<path>` (an ES module whose default
 * export is a {@link BenchRunner}). {@link registerRunner} adds names in this process.
 */
import { UsageError } from '../model/errors.js';
import { cbcRunner } from './cbc.js';
import { commandRunner, moduleRunner } from './external.js';
import { solveRunner } from './ours.js';
import { scipRunner } from './scip.js';
import type { BenchRunner } from './types.js';

/** Names of the built-in runners (besides `command:…` and `module:…`). */
export const BUILTIN_RUNNERS = ['highs', 'glpk', 'jslp', 'bnb', 'heuristic', 'auto', 'cbc', 'scip'] as const;

/** Makes a fresh runner for a registered name. */
export type RunnerFactory = () => BenchRunner | Promise<BenchRunner>;

const builtins: ReadonlyMap<string, RunnerFactory> = new Map<string, RunnerFactory>([
  ['highs', () => solveRunner('highs', 'exact', 'highs')],
  ['glpk', () => solveRunner('glpk', 'exact', 'glpk')],
  ['jslp', () => solveRunner('jslp', 'exact', 'jslp')],
  ['bnb', () => solveRunner('bnb', 'exact', 'bnb')],
  ['heuristic', () => solveRunner('heuristic', 'heuristic', 'highs')],
  ['auto', () => solveRunner('auto', 'auto', 'highs')],
  ['cbc', () => cbcRunner()],
  ['scip', () => scipRunner()],
]);

/** Names added by {@link registerRunner} (this process only). */
const registered = new Map<string, RunnerFactory>();

/**
 * Registers a runner under a name, so that specs (`runners: ['highs', 'mine']`) can name it in
 * this process. Registered names live in this process only: an isolated bench (one child
 * process per run) cannot see them, so use them with `isolate: false`, or put the runner in an
 * ES module and name it `module:<path>`.
 *
 * @throws {UsageError} when the name is malformed, built in, or already registered.
 */
export function registerRunner(name: string, factory: RunnerFactory | BenchRunner): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new UsageError(`bad runner name ${JSON.stringify(name)}: use lower-case letters, digits, "_" and "-", starting with a letter`);
  if (builtins.has(name)) throw new UsageError(`runner ${name} is built in`);
  if (registered.has(name)) throw new UsageError(`runner ${name} is already registered`);
  registered.set(name, typeof factory === 'function' ? factory : () => factory);
}

/** Removes a name added by {@link registerRunner}; true when it was registered. */
export function unregisterRunner(name: string): boolean {
  return registered.delete(name);
}

/** Whether a spec names a runner registered in this process (not one a child process can load). */
export function isRegisteredRunner(spec: string): boolean {
  return registered.has(spec);
}

/**
 * Resolves a runner spec: a built-in or registered name, `command:<shell command>` or
 * `module:<path>`; the last two may carry a label for tables, `label=command:…`.
 *
 * @throws {UsageError} for an unknown name.
 */
export async function resolveRunner(spec: string): Promise<BenchRunner> {
  const labelled = /^([A-Za-z][\w.-]*)=((?:command|module):[\s\S]*)$/.exec(spec);
  const label = labelled?.[1];
  const body = labelled?.[2] ?? spec;
  if (body.startsWith('command:')) return commandRunner(body.slice('command:'.length), label ?? spec);
  if (body.startsWith('module:')) {
    const runner = await moduleRunner(body.slice('module:'.length), spec);
    return label === undefined ? runner : { ...runner, name: label };
  }
  const factory = builtins.get(spec) ?? registered.get(spec);
  if (factory === undefined) {
    const names = [...BUILTIN_RUNNERS, ...registered.keys()].join(', ');
    throw new UsageError(`unknown bench runner ${JSON.stringify(spec)}: expected one of ${names}, command:<shell command> or module:<path>`);
  }
  return factory();
}
