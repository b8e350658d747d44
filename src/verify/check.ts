/**
 * The verifier of the challenge window: checks an allocation against an instance exactly, in
 * time linear in the allocation's size (after a one-time index of the instance), with no solver.
 */
import { LookalikeIds } from '../model/lookalike.js';
import { evaluateWinners, type InfeasibleReason } from '../model/evaluate.js';
import { compileMarket, type Market } from '../model/market.js';
import type { Allocation, Instance } from '../model/types.js';

/** Outcome of {@link checkAllocation}. Amounts are exact base units; `winnerCount` is the number of winners named. */
export type CheckResult =
  | { readonly valid: true; readonly value: bigint; readonly revenue: bigint; readonly winnerCount: number; readonly reason: null }
  | { readonly valid: false; readonly value: null; readonly revenue: null; readonly winnerCount: number; readonly reason: string };

/**
 * Checks that every winner names a bid of the instance exactly (ids are compared code unit by
 * code unit: no case folding, no Unicode normalisation), that no bid is named twice, that
 * winning bundles are pairwise disjoint and that each exclusive group wins at most once; then
 * computes value (Σ amounts + reserves of unsold rollups) and revenue exactly. The reason of a
 * rejection names the first offending position.
 */
export function checkAllocation(instance: Instance, allocation: Allocation): CheckResult {
  const market = compileMarket(instance);
  const winners = allocation.winners;
  const indices = new Int32Array(winners.length);
  for (let i = 0; i < winners.length; i++) {
    const id = winners[i] as string;
    const b = typeof id === 'string' ? market.bidIndex.get(id) : undefined;
    if (b === undefined) return invalid(winners.length, `winners[${i}]: ${unknownBid(market, id)}`);
    indices[i] = b;
  }
  const e = evaluateWinners(market, indices);
  if (e.feasible) return { valid: true, value: e.value, revenue: e.revenue, winnerCount: winners.length, reason: null };
  return invalid(winners.length, explain(market, indices, e.reason));
}

function invalid(winnerCount: number, reason: string): CheckResult {
  return { valid: false, value: null, revenue: null, winnerCount, reason };
}

function explain(market: Market, indices: Int32Array, r: InfeasibleReason): string {
  const id = (b: number): string => JSON.stringify(market.instance.bids[b]?.id ?? String(b));
  const at = (b: number, from = 0): number => {
    for (let i = from; i < indices.length; i++) if (indices[i] === b) return i;
    return -1;
  };
  switch (r.kind) {
    case 'unknown-bid':
      return `unknown bid index ${r.bid}`;
    case 'repeated-bid': {
      const first = at(r.bid);
      return `winners[${at(r.bid, first + 1)}]: bid ${id(r.bid)} is named twice (first at winners[${first}])`;
    }
    case 'shared-rollup':
      return `winners[${at(r.bid)}]: bid ${id(r.bid)} shares rollup ${JSON.stringify(market.instance.rollups[r.rollup]?.id)} with bid ${id(r.other)} (winners[${at(r.other)}])`;
    case 'exclusive-group':
      return `winners[${at(r.bid)}]: bid ${id(r.bid)} is in exclusive group ${JSON.stringify(market.groupKeys[r.group])} already used by bid ${id(r.other)} (winners[${at(r.other)}])`;
  }
}

const lookalikes = new WeakMap<Market, LookalikeIds>();

/** "names no bid", with a hint when the id matches a bid up to case or Unicode normalisation. */
function unknownBid(market: Market, id: unknown): string {
  if (typeof id !== 'string') return `winner must be a bid id string, got ${typeof id}`;
  let near = lookalikes.get(market);
  if (near === undefined) {
    near = new LookalikeIds(() => market.instance.bids.map((b) => b.id));
    lookalikes.set(market, near);
  }
  return `${JSON.stringify(id)} names no bid of the instance${near.hint(id, 'bid')}`;
}

/** Outcome of {@link compareAllocations}. */
export interface Comparison {
  /** True only when the challenger is valid and its value strictly greater. */
  readonly accepted: boolean;
  readonly challenger: CheckResult;
  readonly incumbent: CheckResult;
  readonly reason: string;
}

/**
 * Challenge rule: the challenger replaces the incumbent only if it is valid and its value is
 * strictly greater (ties keep the incumbent). An invalid incumbent is reported as such and any
 * valid challenger replaces it.
 */
export function compareAllocations(instance: Instance, incumbent: Allocation, challenger: Allocation): Comparison {
  const inc = checkAllocation(instance, incumbent);
  const ch = checkAllocation(instance, challenger);
  if (!ch.valid) return { accepted: false, challenger: ch, incumbent: inc, reason: `challenger rejected: ${ch.reason}` };
  if (!inc.valid) return { accepted: true, challenger: ch, incumbent: inc, reason: `incumbent is invalid (${inc.reason}); challenger accepted` };
  if (ch.value > inc.value) return { accepted: true, challenger: ch, incumbent: inc, reason: 'challenger value is strictly greater' };
  return { accepted: false, challenger: ch, incumbent: inc, reason: ch.value === inc.value ? 'tie: the incumbent stays' : 'challenger value is lower' };
}
