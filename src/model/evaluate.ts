/** Exact feasibility and value of a set of winning bids, in time linear in its size. */
import type { Market } from './market.js';

/** Why a set of winners is not a feasible allocation. */
export type InfeasibleReason =
  | { readonly kind: 'unknown-bid'; readonly bid: number }
  | { readonly kind: 'repeated-bid'; readonly bid: number }
  | { readonly kind: 'shared-rollup'; readonly bid: number; readonly other: number; readonly rollup: number }
  | { readonly kind: 'exclusive-group'; readonly bid: number; readonly other: number; readonly group: number };

/** Result of {@link evaluateWinners}. */
export type Evaluation =
  | { readonly feasible: true; readonly value: bigint; readonly revenue: bigint }
  | { readonly feasible: false; readonly reason: InfeasibleReason };

interface Scratch {
  /** Generation in which each rollup / group / bid was last touched. */
  readonly rollupGen: Int32Array;
  readonly groupGen: Int32Array;
  readonly bidGen: Int32Array;
  /** The winner holding each rollup / group in the current generation. */
  readonly rollupOwner: Int32Array;
  readonly groupOwner: Int32Array;
  gen: number;
}

const scratch = new WeakMap<Market, Scratch>();

function scratchFor(market: Market): Scratch {
  let s = scratch.get(market);
  if (s === undefined) {
    s = {
      rollupGen: new Int32Array(market.nRollups), groupGen: new Int32Array(market.nGroups), bidGen: new Int32Array(market.nBids),
      rollupOwner: new Int32Array(market.nRollups), groupOwner: new Int32Array(market.nGroups), gen: 0,
    };
    scratch.set(market, s);
  }
  // Generation counters make the scratch arrays reusable without clearing them.
  if (++s.gen >= 0x7fffffff) {
    s.rollupGen.fill(0); s.groupGen.fill(0); s.bidGen.fill(0); s.gen = 1;
  }
  return s;
}

/**
 * Checks that the winners (bid indices) are distinct, existing, pairwise disjoint and use each
 * exclusive group at most once, and computes value = Σ amounts + Σ reserves of unsold rollups
 * and revenue = Σ amounts, exactly. O(Σ bundle sizes of the winners) after a one-time scratch
 * allocation per market.
 */
export function evaluateWinners(market: Market, winners: ArrayLike<number>): Evaluation {
  const s = scratchFor(market);
  const g = s.gen;
  let revenue = 0n;
  let gainSum = 0n;
  for (let i = 0; i < winners.length; i++) {
    const b = winners[i] as number;
    if (!Number.isInteger(b) || b < 0 || b >= market.nBids) return { feasible: false, reason: { kind: 'unknown-bid', bid: b } };
    if (s.bidGen[b] === g) return { feasible: false, reason: { kind: 'repeated-bid', bid: b } };
    s.bidGen[b] = g;
    for (let k = market.bundleStart[b] as number; k < (market.bundleStart[b + 1] as number); k++) {
      const r = market.bundleItems[k] as number;
      if (s.rollupGen[r] === g) {
        return { feasible: false, reason: { kind: 'shared-rollup', bid: b, other: s.rollupOwner[r] as number, rollup: r } };
      }
      s.rollupGen[r] = g;
      s.rollupOwner[r] = b;
    }
    const grp = market.group[b] as number;
    if (grp >= 0) {
      if (s.groupGen[grp] === g) {
        return { feasible: false, reason: { kind: 'exclusive-group', bid: b, other: s.groupOwner[grp] as number, group: grp } };
      }
      s.groupGen[grp] = g;
      s.groupOwner[grp] = b;
    }
    revenue += market.amount[b] as bigint;
    gainSum += market.gain[b] as bigint;
  }
  return { feasible: true, value: market.reserveTotal + gainSum, revenue };
}
