/** Shared checks of the local searches (tabu, LNS) against the independent oracle. */
import { expect } from 'vitest';
import { gainOf } from '../../src/heuristics/greedy.js';
import { winnersToIds } from '../../src/model/allocation.js';
import type { Market } from '../../src/model/market.js';
import type { Instance } from '../../src/model/types.js';
import { bruteForceValue, recheck } from './oracle.js';

/** Every bid of the market, as search candidates. */
export const allBids = (m: Market): number[] => Array.from({ length: m.nBids }, (_, i) => i);

/** Exact value by the independent re-check of test/support (throws if infeasible). */
export const verified = (inst: Instance, m: Market, winners: readonly number[]): bigint => recheck(inst, winnersToIds(m, winners)).value;

/** A search answer is feasible, exact, never below its start and at most the brute-force optimum. */
export function expectSoundSearch(inst: Instance, m: Market, startGain: bigint, r: { readonly winners: readonly number[]; readonly gain: bigint }): void {
  expect(verified(inst, m, r.winners)).toBe(m.reserveTotal + r.gain);
  expect(r.gain).toBe(gainOf(m, r.winners));
  expect(r.gain >= startGain).toBe(true);
  expect(m.reserveTotal + r.gain <= bruteForceValue(inst)).toBe(true);
}
