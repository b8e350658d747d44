/**
 * VCG and core payments of a final slot, reproducibly: every node that replays the same store
 * must publish the same result, so the re-solves the payment rules need run on an iteration
 * budget (tabu search on one thread, fixed seed), never on a clock. The payments are those of
 * the best allocations this budget finds without each winner: within [reserves, amount] of
 * every winning bid and exact in bigint, but not necessarily the rule's exact payments on a
 * slot too large for the budget to find the optimum (a re-solve that misses value undercharges).
 */
import { computePayments, type PaymentRule } from '../mechanism/payments.js';
import type { Instance } from '../model/types.js';
import type { SolveOptions } from '../solver/solve.js';

/**
 * The re-solves' options: `heuristic` on one thread, seed 0, {@link NODE_PAYMENT_ITERATIONS}
 * plateau moves; the time limit is only a safety net (a re-solve that reached it would no
 * longer be reproducible, and is reported by the node's `solverError` event).
 */
export const NODE_PAYMENT_SOLVE: SolveOptions = { method: 'heuristic', workers: 1, seed: 0, iterations: 2_000, timeLimit: 600 };

/** Plateau moves per re-solve (see {@link NODE_PAYMENT_SOLVE}). */
export const NODE_PAYMENT_ITERATIONS = NODE_PAYMENT_SOLVE.iterations ?? 0;

/**
 * What each winning bid of `winners` (ids of `wdp`'s bids) pays under `rule`, by bid index of
 * `wdp`; undefined under `pay-as-bid` (each pays its amount).
 */
export async function slotPayments(wdp: Instance, winners: readonly string[], rule: PaymentRule): Promise<ReadonlyMap<number, bigint> | undefined> {
  if (rule === 'pay-as-bid' || winners.length === 0) return undefined;
  const payments = await computePayments(wdp, { winners }, rule, { solve: NODE_PAYMENT_SOLVE });
  const index = new Map(wdp.bids.map((b, i) => [b.id, i] as const));
  return new Map(payments.bids.map((p) => [index.get(p.bid) ?? -1, p.payment] as const));
}
