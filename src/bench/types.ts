/**
 * The bench's shared vocabulary: what a runner is asked ({@link BenchTask}), what it answers
 * ({@link RunnerAnswer}), the runner interface itself ({@link BenchRunner}), and what the harness
 * observes of one run. Every other bench module depends on this one; it depends on none of them.
 */
import type { Instance } from '../model/types.js';

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
  /**
   * Optional incumbent trace: every new best value the solver reported, in time order. Only a
   * claim, like the bound: the harness verifies the final answer, never a trace point.
   */
  readonly trace?: readonly TracePoint[];
}

/** One point of an incumbent trace: the best value known to the runner at `ms`. */
export interface TracePoint {
  /** Milliseconds since the runner started (its own clock; see the runner's docs for what it includes). */
  readonly ms: number;
  /**
   * The value in base units (Σ reserves included): a bigint from our own `solve()`, a float
   * (number) as an external solver printed it.
   */
  readonly value: bigint | number;
}

/** A trace point on the wire: `[ms, "123"]` (exact, a bigint's digits) or `[ms, 1.23e8]` (a float). */
export type WireTracePoint = readonly [number, string | number];

/**
 * A solver under benchmark. Implement this to plug in your own solver (see bench/README.md),
 * or build one from a function with `defineRunner`; `module:<path>` loads one from an ES
 * module's default export.
 */
export interface BenchRunner {
  /** Unique name, used in tables and on the command line. */
  readonly name: string;
  /** `true`, or the reason the runner cannot run here (it is then reported as skipped). */
  available(): Promise<true | string>;
  /** Solves one task. Rejections are reported as `error` for this run, not as crashes. */
  run(task: BenchTask): Promise<RunnerAnswer>;
}

/** A runner answer as it crosses the process boundary (bigint as string). */
export interface WireAnswer {
  readonly status: RunnerAnswer['status'];
  readonly winners: readonly string[];
  readonly bound: string | null;
  readonly solverMs: number | null;
  readonly trace?: readonly WireTracePoint[];
}

/** One run inside the child: its in-process time and its answer or error. */
export interface TaskLine {
  readonly phase: 'cold' | 'warm';
  /** Milliseconds spent in `runner.run` (in-process; excludes process start). */
  readonly ms: number;
  readonly answer?: WireAnswer;
  readonly error?: string;
}

/** What the parent saw of one run. */
export interface RunObservation {
  /** The cold line, with `wallMs` = time from spawn (or call) to its arrival. */
  readonly cold: (TaskLine & { readonly wallMs: number }) | null;
  readonly warm: TaskLine | null;
  /** Which phase hit the hard cap, if any. */
  readonly timedOut: 'cold' | 'warm' | null;
  /** Why the run produced no line (crash, bad output). */
  readonly failure?: string;
}

/** Caps of one run (isolated or in-process). */
export interface RunCaps {
  readonly timeLimitSec: number;
  /** Seconds past the time limit (per phase) before the run is killed. */
  readonly graceSec: number;
  readonly warm: boolean;
}
