/**
 * Payment rules for the auction mode: what each winning bidder pays for its allocation.
 *
 * - `pay-as-bid`: each winning bid pays its amount (first price).
 * - `vcg`: bidder i pays the value the others lose by its presence,
 *   p_i = V(N∖i) − (V(N) − v_i), with V the best allocation value (reserves count as the
 *   rollups' own bids) and v_i the Σ of i's winning amounts. One winner determination per
 *   winning bidder, started from the allocation without i (incremental re-solve).
 * - `core`: bidder-optimal core payments nearest to VCG (Day & Raghavan's constraint generation,
 *   Day & Cramton's quadratic rule): no coalition of bidders, losers included, would pay the
 *   rollups more than the winners do; among such payments the least total, then the nearest to
 *   VCG. Each round finds the most blocking coalition by one winner determination, then
 *   {@link nearestCorePoint} adds its constraint.
 *
 * Agents are bidders (a bidder's several bids are one agent); a bidder's payment is split over
 * its winning bids (reserves first, the rest by each bid's amount above its reserves). Every
 * payment is ≥ the reserves of the bid's bundle and ≤ its amount, exactly in bigint.
 */
import { UsageError, describeValue } from '../model/errors.js';
import { createInstance } from '../model/instance.js';
import { compareIds } from '../model/order.js';
import type { Allocation, Bid, Instance } from '../model/types.js';
import { solve, type SolveOptions, type SolveResult } from '../solver/solve.js';
import { checkAllocation } from '../verify/check.js';
import { nearestCorePoint, type CoreConstraint } from './core-point.js';
import { largestRemainder } from './payouts.js';

/** How winning bidders pay. */
export type PaymentRule = 'pay-as-bid' | 'vcg' | 'core';

/** Payment rules, for option parsers. */
export const PAYMENT_RULES: readonly PaymentRule[] = ['pay-as-bid', 'vcg', 'core'];

/** Default cap on the core's constraint-generation rounds. */
export const CORE_MAX_ROUNDS = 200;

/** Options of {@link computePayments}; all optional. */
export interface PaymentOptions {
  /**
   * Options of every winner determination it runs (method, time limit per solve, …). With
   * `method: 'heuristic'`, `workers: 1`, an `iterations` budget and no `timeLimit` budget below
   * (so that no solve stops on time), the payments are reproducible: the same on every run and
   * machine (what a market node needs, see `node/slot-payments.ts`).
   */
  readonly solve?: SolveOptions;
  /** Core: at most this many constraint-generation rounds. Default {@link CORE_MAX_ROUNDS}. */
  readonly maxRounds?: number;
  /**
   * Total wall-clock budget in seconds for all re-solves, shared out as they run (VCG: evenly
   * over the winning bidders; core: half of what is left per separation round). Default: none,
   * each re-solve gets `solve.timeLimit` (see `solve()`).
   */
  readonly timeLimit?: number;
}

/** What one winning bid pays. */
export interface BidPayment {
  readonly bid: string;
  readonly bidder: string;
  /** The bid's amount. */
  readonly amount: bigint;
  /** What it pays: reserves of its bundle ≤ payment ≤ amount. */
  readonly payment: bigint;
}

/** What one winning bidder pays, beside its VCG payment. */
export interface BidderPayment {
  readonly bidder: string;
  /** Σ amounts of its winning bids (v_i). */
  readonly value: bigint;
  /** Σ reserves of its winning bundles: the least it may pay. */
  readonly reserves: bigint;
  /** Its VCG payment (0 under pay-as-bid, where it is not computed). */
  readonly vcg: bigint;
  readonly payment: bigint;
}

/** Result of {@link computePayments}. */
export interface Payments {
  readonly rule: PaymentRule;
  /** One entry per winning bid, canonical bid order. */
  readonly bids: readonly BidPayment[];
  /** One entry per winning bidder, canonical order. */
  readonly bidders: readonly BidderPayment[];
  /** Σ payments. */
  readonly revenue: bigint;
  /**
   * `optimal` when every winner determination it ran was proven optimal and none found more
   * than the allocation's value (so the allocation is optimal too): the payments are then exactly
   * the rule's. Otherwise `feasible`: still within [reserves, amount], computed from the best
   * allocations found.
   */
  readonly status: 'optimal' | 'feasible';
  /** Winner determinations run. */
  readonly solves: number;
  /** Core: blocking coalitions found (constraints generated). */
  readonly coalitions: number;
  readonly elapsedMs: number;
}

/**
 * Computes the payments of an allocation's winners under `rule`. The allocation should be
 * optimal for the instance (as `solve()` returns it); VCG and core payments are defined
 * relative to it.
 *
 * @throws {UsageError} on an unknown rule, an allocation that is not feasible for the instance,
 *   or bad solve options.
 */
export async function computePayments(instance: Instance, allocation: Allocation, rule: PaymentRule, options: PaymentOptions = {}): Promise<Payments> {
  const started = performance.now();
  if (!PAYMENT_RULES.includes(rule)) throw new UsageError(`unknown payment rule ${describeValue(rule)}: expected one of ${PAYMENT_RULES.join(', ')}`);
  const check = checkAllocation(instance, allocation);
  if (!check.valid) throw new UsageError(`allocation is not feasible: ${check.reason}`);
  const reserve = new Map(instance.rollups.map((r) => [r.id, r.reserve]));
  const bundleReserve = (b: Bid): bigint => b.bundle.reduce((s, r) => s + (reserve.get(r) ?? 0n), 0n);
  const winnerIds = new Set(allocation.winners);
  const winning = instance.bids.filter((b) => winnerIds.has(b.id));
  const names = [...new Set(winning.map((b) => b.bidder))].sort(compareIds);
  const agents = names.map((bidder) => {
    const bids = winning.filter((b) => b.bidder === bidder);
    return { bidder, bids, value: sum(bids.map((b) => b.amount)), reserves: sum(bids.map(bundleReserve)) };
  });
  if (options.timeLimit !== undefined && !(typeof options.timeLimit === 'number' && options.timeLimit > 0)) {
    throw new UsageError(`payments time limit must be a positive number of seconds (received ${describeValue(options.timeLimit)})`);
  }
  const deadline = options.timeLimit === undefined ? null : started + options.timeLimit * 1000;
  const ctx: Context = { instance, base: check.value, solve: options.solve ?? {}, solves: 0, exact: true, deadline, left: 0 };

  let vcg = agents.map(() => 0n);
  let pay = agents.map((a) => a.value);
  let coalitions = 0;
  if (rule !== 'pay-as-bid') {
    vcg = [];
    // With a budget, VCG gets all of it without core, half of it with core.
    const vcgEnd = deadline === null ? null : rule === 'core' ? started + (deadline - started) / 2 : deadline;
    for (const [k, a] of agents.entries()) {
      ctx.left = vcgEnd === null ? 0 : Math.max(MIN_SOLVE_SEC, (vcgEnd - performance.now()) / 1000 / (agents.length - k));
      const without = await valueWithout(ctx, new Set([a.bidder]), winning.filter((b) => b.bidder !== a.bidder));
      vcg.push(clamp(without - (ctx.base - a.value), a.reserves, a.value));
    }
    pay = [...vcg];
  }
  if (rule === 'core' && agents.length > 0) {
    const core = await corePayments(ctx, agents, vcg, options.maxRounds ?? CORE_MAX_ROUNDS);
    pay = core.payments;
    coalitions = core.coalitions;
  }

  const bids = agents.flatMap((a, i) => splitOverBids(a.bids, pay[i] ?? a.value, bundleReserve))
    .sort((x, y) => compareIds(x.bid, y.bid));
  return {
    rule,
    bids,
    bidders: agents.map((a, i) => ({ bidder: a.bidder, value: a.value, reserves: a.reserves, vcg: vcg[i] ?? 0n, payment: pay[i] ?? a.value })),
    revenue: sum(pay),
    status: ctx.exact ? 'optimal' : 'feasible',
    solves: ctx.solves,
    coalitions,
    elapsedMs: Math.round(performance.now() - started),
  };
}

interface Context {
  readonly instance: Instance;
  /** V(N): the allocation's value. */
  readonly base: bigint;
  readonly solve: SolveOptions;
  solves: number;
  /** Every solve proven optimal and none above `base`. */
  exact: boolean;
  /** End of the whole budget (performance.now() ms), or null. */
  readonly deadline: number | null;
  /** Time limit of the next solve under a budget, seconds (0: none). */
  left: number;
}

/** Least time limit of one re-solve under a budget, seconds. */
const MIN_SOLVE_SEC = 0.05;

/** Runs one winner determination and records whether it was proven and within `base`. */
async function run(ctx: Context, instance: Instance, incumbent: readonly string[]): Promise<SolveResult> {
  const limit = ctx.deadline === null ? {} : { timeLimit: Math.min(ctx.solve.timeLimit ?? Infinity, ctx.left > 0 ? ctx.left : MIN_SOLVE_SEC) };
  const result = await solve(instance, { ...ctx.solve, ...limit, incumbent: { winners: incumbent } });
  ctx.solves++;
  if (result.status !== 'optimal') ctx.exact = false;
  return result;
}

/**
 * V(N ∖ bidders): the best value without those bidders' bids. The re-solve starts from the
 * other winners (`incumbent`, still feasible) plus the best packing of the rollups the removed
 * bidders' bids touch and the others leave free (a small solve over the bids inside them), so even a short re-solve at scale starts
 * from a good allocation.
 */
async function valueWithout(ctx: Context, bidders: ReadonlySet<string>, incumbent: readonly Bid[]): Promise<bigint> {
  const others = ctx.instance.bids.filter((b) => !bidders.has(b.bidder));
  // Rollups that the removed bidders' bids touch and the other winners leave free.
  const kept = new Set(incumbent.flatMap((b) => b.bundle));
  const freed = new Set(ctx.instance.bids.filter((b) => bidders.has(b.bidder)).flatMap((b) => b.bundle).filter((r) => !kept.has(r)));
  const inside = others.filter((b) => b.bundle.every((r) => freed.has(r)));
  let fill: readonly string[] = [];
  if (inside.length > 0) {
    const local = createInstance({ rollups: ctx.instance.rollups.filter((r) => freed.has(r.id)), bids: inside });
    // Under an iteration budget (reproducible payments) the fill keeps the caller's options.
    const fillOptions = ctx.solve.iterations === undefined ? { ...ctx.solve, timeLimit: Math.min(ctx.solve.timeLimit ?? 1, 1) } : ctx.solve;
    fill = (await solve(local, fillOptions)).winners;
  }
  const instance = createInstance({ rollups: ctx.instance.rollups, bids: others });
  const result = await run(ctx, instance, [...incumbent.map((b) => b.id), ...fill]);
  if (result.value > ctx.base) ctx.exact = false;
  return result.value;
}

interface Agent {
  readonly bidder: string;
  readonly bids: readonly Bid[];
  readonly value: bigint;
  readonly reserves: bigint;
}

/**
 * Constraint generation: with payments p, winner i keeps surplus π_i = v_i − p_i. The most
 * blocking coalition maximises value(X) − Σ π_i over winners i with a bid in X; it blocks iff
 * that exceeds what the rollups get now, i.e. iff the separation's value exceeds V(N). The
 * separation is a set packing: each bid of a winning bidder gets a private dummy rollup, and an
 * "exclusion" bid worth π_i covers all of i's dummies, so leaving i out of X earns π_i back.
 * A found coalition X gives, for the winners K outside it: Σ_K p ≥ value(X) − V(N) + Σ_K v.
 */
async function corePayments(ctx: Context, agents: readonly Agent[], vcg: readonly bigint[], maxRounds: number): Promise<{ payments: bigint[]; coalitions: number }> {
  const upper = agents.map((a, i) => a.value - (vcg[i] ?? 0n));
  const constraints: CoreConstraint[] = [];
  const seen = new Set<string>();
  let q = agents.map(() => 0n);
  for (let round = 0; round < maxRounds; round++) {
    const pay = agents.map((_, i) => (vcg[i] ?? 0n) + (q[i] ?? 0n));
    if (ctx.deadline !== null) {
      const left = (ctx.deadline - performance.now()) / 1000;
      if (left < MIN_SOLVE_SEC) {
        ctx.exact = false;
        return { payments: pay, coalitions: constraints.length };
      }
      ctx.left = Math.max(MIN_SOLVE_SEC, left / 2);
    }
    const found = await mostBlocking(ctx, agents, pay);
    if (found === null) return { payments: pay, coalitions: constraints.length };
    const { outside, valueX } = found;
    const key = outside.join(',');
    if (outside.length === 0 || seen.has(key)) {
      // A better allocation than the given one, or no progress: not exact; stop here.
      ctx.exact = false;
      return { payments: pay, coalitions: constraints.length };
    }
    seen.add(key);
    const need = valueX - ctx.base + sum(outside.map((i) => agents[i]?.value ?? 0n));
    constraints.push({ members: outside, gap: need - sum(outside.map((i) => vcg[i] ?? 0n)) });
    q = await nearestCorePoint(upper, constraints);
  }
  ctx.exact = false;
  return { payments: agents.map((_, i) => (vcg[i] ?? 0n) + (q[i] ?? 0n)), coalitions: constraints.length };
}

/** The most blocking coalition at payments `pay`, or null when none blocks (p is in the core). */
async function mostBlocking(ctx: Context, agents: readonly Agent[], pay: readonly bigint[]): Promise<{ outside: number[]; valueX: bigint } | null> {
  const { instance } = ctx;
  const agentOf = new Map(agents.map((a, i) => [a.bidder, i]));
  const rollupName = new Map(instance.rollups.map((r, k) => [r.id, `r${k}`]));
  const dummies: { id: string; reserve: bigint }[] = [];
  const exclusion = agents.map(() => [] as string[]);
  const bids = instance.bids.map((b, k) => {
    const bundle = b.bundle.map((r) => rollupName.get(r) as string);
    const i = agentOf.get(b.bidder);
    if (i !== undefined) {
      const d = `d${dummies.length}`;
      dummies.push({ id: d, reserve: 0n });
      bundle.push(d);
      exclusion[i]?.push(d);
    }
    return { id: `b${k}`, bidder: `b${k}`, bundle, amount: b.amount, ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }) };
  });
  const excl = agents.flatMap((a, i) => {
    const bundle = exclusion[i] ?? [];
    return bundle.length === 0 ? [] : [{ id: `e${i}`, bidder: `e${i}`, bundle, amount: a.value - (pay[i] ?? 0n) }];
  });
  const separation = createInstance({
    rollups: [...instance.rollups.map((r, k) => ({ id: `r${k}`, reserve: r.reserve })), ...dummies],
    bids: [...bids, ...excl],
  });
  // Start from the allocation itself (every winner in, no exclusion bid): worth exactly V(N).
  const incumbent = instance.bids.flatMap((b, k) => (agentOf.has(b.bidder) && isWinner(agents, b) ? [`b${k}`] : []));
  const result = await run(ctx, separation, incumbent);
  if (result.value <= ctx.base) return null;
  const chosen = new Set(result.winners);
  const inside = new Set<number>();
  const xWinners: string[] = [];
  instance.bids.forEach((b, k) => {
    if (!chosen.has(`b${k}`)) return;
    xWinners.push(b.id);
    const i = agentOf.get(b.bidder);
    if (i !== undefined) inside.add(i);
  });
  const valueX = checkAllocation(instance, { winners: xWinners });
  if (!valueX.valid) throw new UsageError(`internal error: separation allocation infeasible (${valueX.reason})`);
  const outside = agents.flatMap((_, i) => (inside.has(i) ? [] : [i]));
  return { outside, valueX: valueX.value };
}

function isWinner(agents: readonly Agent[], bid: Bid): boolean {
  return agents.some((a) => a.bids.includes(bid));
}

/** A bidder's payment over its winning bids: each its reserves, the rest by amount above reserves. */
function splitOverBids(bids: readonly Bid[], payment: bigint, bundleReserve: (b: Bid) => bigint): BidPayment[] {
  const reserves = bids.map(bundleReserve);
  const rest = payment - sum(reserves);
  const shares = largestRemainder(rest, bids.map((b, k) => b.amount - (reserves[k] ?? 0n)));
  return bids.map((b, k) => ({ bid: b.id, bidder: b.bidder, amount: b.amount, payment: (reserves[k] ?? 0n) + (shares[k] ?? 0n) }));
}

function sum(xs: readonly bigint[]): bigint {
  return xs.reduce((s, x) => s + x, 0n);
}

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}
