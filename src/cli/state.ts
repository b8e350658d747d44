/** Exit codes and per-run state shared by the CLI commands. */

/**
 * Exit codes: 0 success, 1 rejected (verify) or internal error, 2 bad input or usage, 3 backend
 * unavailable, 130 interrupted (SIGINT; `solve` still prints its best allocation, see interrupt.ts).
 */
export const EXIT = { ok: 0, rejected: 1, badInput: 2, backend: 3, interrupted: 130 } as const;

/** Mutable state of one CLI run: commands that reject (verify) set a non-zero exit code. */
export interface RunState {
  exitCode: number;
}
