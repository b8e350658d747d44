/**
 * Rollup registrations (docs/DESIGN.md §1 "Rollups"): each rollup's reserve per slot (a schedule or a
 * function, e.g. an oracle) and whether it opts in to shared sequencing in that slot.
 */
import { UsageError, describeValue } from '../model/errors.js';
import { compareIds } from '../model/order.js';
import type { RoundRollup } from './types.js';

/** From slot `fromSlot` on (until the next step), the reserve is `reserve`. */
export interface ReserveStep {
  readonly fromSlot: number;
  readonly reserve: bigint;
}

/** From slot `fromSlot` on (until the next step), the rollup is opted in or out. */
export interface OptInStep {
  readonly fromSlot: number;
  readonly optIn: boolean;
}

/** A rollup's registration with the market. */
export interface RollupRegistration {
  readonly id: string;
  /**
   * Reserve per slot: steps (the last step with `fromSlot` ≤ slot applies; before the first
   * step the rollup is not registered, i.e. not opted in), or a function of the slot.
   */
  readonly reserve: readonly ReserveStep[] | ((slot: number) => bigint);
  /** Opt-in per slot: steps (before the first step: opted in) or a function. Default: always opted in. */
  readonly optIn?: readonly OptInStep[] | ((slot: number) => boolean);
}

/**
 * The rollups on sale in `slot`: every registration opted in for it, with its reserve then, in
 * canonical id order (the `rollups` of that slot's `Round`).
 *
 * @throws {UsageError} on a slot that is not a non-negative integer, repeated ids, steps not
 *   strictly increasing in `fromSlot`, or a negative reserve.
 */
export function reservesAt(registrations: readonly RollupRegistration[], slot: number): RoundRollup[] {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new UsageError(`slot must be a non-negative integer (received ${describeValue(slot)})`);
  const seen = new Set<string>();
  const out: RoundRollup[] = [];
  for (const reg of registrations) {
    if (seen.has(reg.id)) throw new UsageError(`rollup ${JSON.stringify(reg.id)} is registered twice`);
    seen.add(reg.id);
    const optIn = reg.optIn === undefined ? true : typeof reg.optIn === 'function' ? reg.optIn(slot) : stepAt(reg.optIn, slot, reg.id)?.optIn ?? true;
    if (!optIn) continue;
    const reserve = typeof reg.reserve === 'function' ? reg.reserve(slot) : stepAt(reg.reserve, slot, reg.id)?.reserve;
    if (reserve === undefined) continue;
    if (reserve < 0n) throw new UsageError(`rollup ${JSON.stringify(reg.id)} has a negative reserve ${reserve} in slot ${slot}`);
    out.push({ id: reg.id, reserve });
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/** The last step with fromSlot ≤ slot (steps must be strictly increasing). */
function stepAt<S extends { readonly fromSlot: number }>(steps: readonly S[], slot: number, id: string): S | undefined {
  let current: S | undefined;
  let previous = -Infinity;
  for (const step of steps) {
    if (!(step.fromSlot > previous)) throw new UsageError(`rollup ${JSON.stringify(id)}: schedule steps must have strictly increasing fromSlot (received ${describeValue(step.fromSlot)} after ${previous})`);
    previous = step.fromSlot;
    if (step.fromSlot <= slot) current = step;
  }
  return current;
}
