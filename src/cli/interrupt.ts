/**
 * Ctrl-C (SIGINT) during `solve`: the first one aborts the solve, which returns its best
 * allocation so far; the command prints it as usual and exits {@link EXIT.interrupted}. A
 * second one exits at once. Work that holds the main thread (HiGHS in this thread) sees the
 * first only when it returns, so `exact --workers 1`, whose MIP runs in this thread to the time
 * limit, keeps Node's default: Ctrl-C ends the process at once, with nothing printed.
 */
import { EXIT, type RunState } from './state.js';

/** An installed interrupt handler: its signal, and how to remove it. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Whether a SIGINT arrived. */
  readonly interrupted: () => boolean;
  /** Removes the handler (Node's default comes back). */
  release(): void;
}

/** Installs the handler (see the module comment); `run.exitCode` becomes 130 on the first SIGINT. */
export function interruptOnSigint(run: RunState): Interrupt {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    run.exitCode = EXIT.interrupted;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    release: () => { process.off('SIGINT', onSigint); },
  };
}
