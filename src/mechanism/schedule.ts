/** The proposer schedule (docs/DESIGN.md §1 "Output of a slot"): who proposes for each rollup in each slot. */
import { UsageError } from '../model/errors.js';
import { canonicalJson, sha256Hex } from '../model/digest.js';
import { compareIds } from '../model/order.js';
import type { ProposerSchedule, RoundResult, RoundRollup } from './types.js';

/** One slot's input to {@link proposerSchedule}. */
export interface ScheduledSlot {
  readonly slot: number;
  /** The slot's rollups (opted in; see `reservesAt`). */
  readonly rollups: readonly RoundRollup[];
  /** The slot's round (lottery or auction). */
  readonly result: RoundResult;
}

/**
 * For each slot (in the order given), each of its rollups in canonical order with its proposer:
 * the winning bundle's `proposerHolder` (drawn ticket holder or winning bidder), or the rollup
 * itself (`self: true`) when it is not in a winning bundle. The slot digest is sha256 hex of the
 * canonical JSON of `{ slot, proposers, result }` where `result` is the round's digest, so it
 * commits to both the schedule and the round's payments.
 *
 * @throws {UsageError} on repeated slot numbers or a winner naming a rollup not in its slot.
 */
export function proposerSchedule(slots: readonly ScheduledSlot[]): ProposerSchedule {
  const seen = new Set<number>();
  return {
    slots: slots.map(({ slot, rollups, result }) => {
      if (seen.has(slot)) throw new UsageError(`slot ${slot} appears twice in the schedule`);
      seen.add(slot);
      const ids = new Set(rollups.map((r) => r.id));
      const holder = new Map<string, string>();
      for (const w of result.winners) {
        for (const r of w.bundle) {
          if (!ids.has(r)) throw new UsageError(`slot ${slot}: winner ${w.proposer} names rollup ${JSON.stringify(r)}, which is not in the slot`);
          holder.set(r, w.proposerHolder);
        }
      }
      const proposers = [...ids].sort(compareIds).map((rollup) => {
        const by = holder.get(rollup);
        return { rollup, proposer: by ?? rollup, self: by === undefined };
      });
      return { slot, proposers, digest: sha256Hex(canonicalJson({ slot, proposers, result: result.digest })) };
    }),
  };
}
