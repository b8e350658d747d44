/**
 * Piscina emits pool-level `error` events that no task owns. The one seen here: a task aborted
 * (its worker terminated) while the worker's answer was already queued on its port arrives as
 * "Unexpected message from Worker". An EventEmitter without an `error` listener throws, so
 * that event became an uncaught exception that ended the process. Task failures still reach
 * their own promises; these strays are only counted.
 */
import type { Piscina } from 'piscina';

/** Pool-level errors absorbed in this process (tests and diagnostics). */
export const poolErrorCounters: { absorbed: number; last: string | null } = { absorbed: 0, last: null };

/** Gives `pool` an `error` listener that counts instead of throwing (see the module comment). */
export function absorbPoolErrors<P extends Piscina>(pool: P): P {
  pool.on('error', (error: unknown) => {
    poolErrorCounters.absorbed++;
    poolErrorCounters.last = error instanceof Error ? error.message.slice(0, 200) : String(error);
  });
  return pool;
}
