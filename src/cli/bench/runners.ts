/**
 * Benchmark runners: every solver the bench compares, behind one interface. A runner only
 * answers; the harness times it, verifies the answer exactly and cross-checks claims.
 *
 * Built-in names: `highs`, `glpk`, `jslp` (our `solve` with method exact on that backend),
 * `heuristic`, `auto` (our `solve` with that method), `cbc` (native COIN-OR CBC on the LP
 * export), `scip` (SCIP through pyscipopt on the LP export), `command:<shell command>` (an
 * external program; see {@link commandRunner}) and
 * `module:<path>` (an ES module whose default export is a {@link BenchRunner}).
 */
import { UsageError } from '../../model/errors.js';
import { createInstance } from '../../model/instance.js';
import type { Instance } from '../../model/types.js';
import type { BackendName } from '../../solver/problem.js';
import { solve, type SolveMethod } from '../../solver/solve.js';
import { cbcRunner } from './cbc.js';
import { scipRunner } from './scip.js';
import { commandRunner, moduleRunner } from './external.js';

/** One solve the harness asks a runner for. */
export interface BenchTask {
  /**
   * The instance as a JSON file (docs/DESIGN.md §2; CATS inputs are converted first), identical for
   * every runner.
   */
  readonly instanceFile: string;
  /** The same instance, parsed and canonical. */
  readonly instance: Instance;
  /** Wall-clock limit the runner should honour, in seconds. The harness kills it at limit + grace. */
  readonly timeLimitSec: number;
  /** Seed for randomised solvers. */
  readonly seed: number;
  /**
   * Aborted when the answer is no longer wanted (a follower saw an incumbent it cannot beat).
   * Optional: runners may ignore it; the bench harness passes none.
   */
  readonly signal?: AbortSignal;
}

/** A runner's answer. The harness recomputes the value itself; it never trusts a claimed one. */
export interface RunnerAnswer {
  /**
   * `optimal`: proven optimal (cross-checked against every other runner); `feasible`: an
   * allocation without proof; `infeasible`: the solver claims there is no allocation (always
   * wrong for this problem: the empty allocation is feasible); `none`: no answer (e.g. no
   * incumbent at the time limit).
   */
  readonly status: 'optimal' | 'feasible' | 'infeasible' | 'none';
  /** Winning bid ids (any order). */
  readonly winners: readonly string[];
  /** Claimed upper bound on the optimal value, in base units, when known. */
  readonly bound?: bigint | null;
  /** The solver's own time (ms), excluding process start and I/O the runner can separate. */
  readonly solverMs?: number;
}

/**
 * A solver under benchmark. Implement this to plug in your own solver (see bench/README.md);
 * `module:<path>` loads one from an ES module's default export.
 */
export interface BenchRunner {
  /** Unique name, used in tables and on the command line. */
  readonly name: string;
  /** `true`, or the reason the runner cannot run here (it is then reported as skipped). */
  available(): Promise<true | string>;
  /** Solves one task. Rejections are reported as `error` for this run, not as crashes. */
  run(task: BenchTask): Promise<RunnerAnswer>;
}

/** Names of the built-in runners (besides `command:…` and `module:…`). */
export const BUILTIN_RUNNERS = ['highs', 'glpk', 'jslp', 'bnb', 'heuristic', 'auto', 'cbc', 'scip'] as const;

/** A runner backed by our own `solve()`. */
export function solveRunner(name: string, method: SolveMethod, backend: BackendName): BenchRunner {
  return {
    name,
    available: async () => (method === 'heuristic' ? true : probeBackend(backend)),
    async run(task) {
      const r = await solve(task.instance, { method, backend, timeLimit: task.timeLimitSec, seed: task.seed });
      return { status: r.status, winners: r.winners, bound: r.bound, solverMs: r.elapsedMs };
    },
  };
}

/**
 * Resolves a runner spec: a built-in name, `command:<shell command>` or `module:<path>`; the
 * last two may carry a label for tables, `label=command:…`.
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
  switch (spec) {
    case 'highs':
    case 'glpk':
    case 'jslp':
    case 'bnb':
      return solveRunner(spec, 'exact', spec);
    case 'heuristic':
      return solveRunner(spec, 'heuristic', 'highs');
    case 'auto':
      return solveRunner(spec, 'auto', 'highs');
    case 'cbc':
      return cbcRunner();
    case 'scip':
      return scipRunner();
    default:
      throw new UsageError(`unknown bench runner ${JSON.stringify(spec)}: expected one of ${BUILTIN_RUNNERS.join(', ')}, command:<shell command> or module:<path>`);
  }
}

/**
 * Checks that a MIP backend loads and solves: a two-bid instance that neither presolve nor
 * enumeration can decide, so the backend itself must run.
 */
async function probeBackend(backend: BackendName): Promise<true | string> {
  const instance = createInstance({
    rollups: [{ id: 'a', reserve: '0' }, { id: 'b', reserve: '0' }],
    bids: [
      { id: 'p', bidder: 'x', bundle: ['a', 'b'], amount: '3' },
      { id: 'q', bidder: 'y', bundle: ['a'], amount: '2' },
    ],
  });
  try {
    const r = await solve(instance, { method: 'exact', backend, timeLimit: 10, presolve: false, enumerationLimit: 1 });
    return r.winners.join(',') === 'p' ? true : `backend ${backend} answered the probe wrongly (${r.winners.join(',')})`;
  } catch (error) {
    return error instanceof Error ? ('shortMessage' in error ? String(error.shortMessage) : error.message) : String(error);
  }
}
