/**
 * The canonical optimum of a component (issue 13 item 3): among its packings of maximal gain
 * V*, the one whose characteristic vector over the component's bids in index (canonical id)
 * order is lexicographically greatest: earlier bids are preferred. It does not depend on which
 * optimal packing a solver (or a race of solvers) found, and it composes: the canonical optima
 * of independent components together are the canonical optimum of the instance.
 *
 * Bids are decided in order: bid i wins iff some packing of gain ≥ V* contains it and agrees
 * with the decisions so far. The last witness answers "yes" for free when it contains i; the
 * exact Lagrangian bound (bigint prices, per-bid slack) and the cheap rollup-price bound answer
 * "no" for free for most bids; greedy on the residual may answer "yes". On lossless models one
 * cut-off solve first asks whether any other optimum agrees with the decisions (if not, the
 * witness is the answer); optionally (off by default, measured slower) a gallop of cut-off
 * solves with a covering row finds the first candidate any optimum can hold
 * (`firstPossible`). The rest is an exact
 * cut-off solve of the residual (bids after i compatible with the winners so far and i) that
 * only has to show whether it reaches V* − gain(winners) − gain(i): `solveComponent` with the
 * caller's held gain just below that target, so the rounded (wei-scale) models are proved for
 * the exact amounts as everywhere else. Every decision is a fact about the instance; the
 * witnesses only shorten the work, so the answer is the same whichever witness came first.
 */
import { bestGreedy, ConflictMarks, gainOf } from '../heuristics/greedy.js';
import { BundleAuctionError } from '../model/errors.js';
import type { Market } from '../model/market.js';
import { cheapGainBound } from './bounds.js';
import { MIP_MARGIN_SEC, SAFE_BITS, solveComponent, type ComponentContext, type ComponentOutcome } from './component.js';
import { branchAndBound, conflictMasks, ENUMERATION_LIMIT, sharesItem, type EnumerationIndex } from './enumerate.js';
import { lagrangianBound } from './lagrangian.js';
import { bitLength, gcd } from '../model/money.js';
import { buildPacking, localIndices, toGlobal } from './packing.js';
import { splitComponents } from './presolve.js';
import type { LinearRow } from './problem.js';

/** Share of the remaining time the component's Lagrangian bound may use (at most its iteration cap). */
export const CANONICAL_LAGRANGIAN_SHARE = 0.05;

/**
 * Counters of canonicalisation in this thread (tests, benchmarks): components canonicalised,
 * components whose answer it changed, components it could not finish (time), and how bids were
 * decided: by a conflict, by the witness, by a bound, by greedy on the residual, by a residual
 * solve (and how many of those said "yes").
 */
export const canonicalCounters = { components: 0, changed: 0, failed: 0, conflict: 0, witness: 0, bound: 0, greedy: 0, solves: 0, solvedYes: 0, others: 0, unique: 0, gallops: 0, galloped: 0 };

/**
 * The shortcuts of the search; tests and measurements switch them off to make every undecided
 * bid a residual solve: bounds (certificate and cheap bound), greedy on the residual, the
 * "another optimum?" solve. The gallop (`firstPossible`, needs `others`) is off: measured
 * slower than residual solves on the corpus files with ties (BENCHMARKS.md §13.4).
 */
export const canonicalShortcuts = { bounds: true, greedy: true, others: true, gallop: false };

/** Result of {@link canonicalise}. */
export interface CanonicalOutcome extends ComponentOutcome {
  /** False when the time ran out first: the outcome is the proven optimum it was given. */
  readonly canonical: boolean;
}

/**
 * The canonical optimum of a component whose optimum `outcome` proves (see the module comment).
 * Unproven outcomes, and proofs the residual solves cannot finish in time, are returned as
 * they are with `canonical: false`.
 */
export async function canonicalise(market: Market, bids: Int32Array, outcome: ComponentOutcome, ctx: ComponentContext, rowDual?: Float64Array): Promise<CanonicalOutcome> {
  if (!outcome.proven) return { ...outcome, canonical: false };
  canonicalCounters.components++;
  const target = outcome.gain;
  let winners: number[] | null;
  let extraSolves = 0;
  if (bids.length <= Math.min(ctx.enumerationLimit, ENUMERATION_LIMIT)) {
    winners = canonicalEnumeration(market, bids, target);
  } else {
    const r = await canonicalSearch(market, bids, target, outcome.winners, ctx, rowDual);
    winners = r.winners;
    extraSolves = r.solves;
  }
  if (winners === null) {
    canonicalCounters.failed++;
    return { ...outcome, mipSolves: outcome.mipSolves + extraSolves, canonical: false };
  }
  if (gainOf(market, winners) !== target) throw new BundleAuctionError('internal error: canonical packing differs from the proven optimum');
  if (winners.length !== outcome.winners.length || winners.some((b, k) => b !== outcome.winners[k])) canonicalCounters.changed++;
  return { ...outcome, winners, mipSolves: outcome.mipSolves + extraSolves, canonical: true };
}

/**
 * Lexicographically greatest packing of gain exactly `target` among at most
 * {@link ENUMERATION_LIMIT} bids (ascending indices), by depth-first search in index order,
 * x = 1 first, pruned by the gain still reachable; null when none reaches `target`. With
 * positive gains and `target` the optimum, the first packing reaching it is the answer.
 */
export function canonicalEnumeration(market: EnumerationIndex, bids: ArrayLike<number>, target: bigint): number[] | null {
  const n = bids.length;
  if (n > ENUMERATION_LIMIT) throw new RangeError(`canonicalEnumeration takes at most ${ENUMERATION_LIMIT} bids, got ${n}`);
  const gain = Array.from({ length: n }, (_, i) => market.gain[bids[i] as number] as bigint);
  const conflict = conflictMasks(market, bids);
  const search = (i: number, blocked: number, mask: number, current: bigint): number | null => {
    if (current === target) return mask;
    if (i === n || current > target) return null;
    let reach = current;
    for (let j = i; j < n; j++) if ((blocked & (1 << j)) === 0 && (gain[j] as bigint) > 0n) reach += gain[j] as bigint;
    if (reach < target) return null;
    if ((blocked & (1 << i)) === 0 && (gain[i] as bigint) > 0n) {
      const taken = search(i + 1, blocked | (conflict[i] as number), mask | (1 << i), current + (gain[i] as bigint));
      if (taken !== null) return taken;
    }
    return search(i + 1, blocked, mask, current);
  };
  const mask = search(0, 0, 0, 0n);
  if (mask === null) return null;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if ((mask & (1 << i)) !== 0) out.push(bids[i] as number);
  return out;
}

/** The sequential decisions of the module comment, for a component above the enumeration limit. */
async function canonicalSearch(market: Market, bids: Int32Array, target: bigint, witness: readonly number[], ctx: ComponentContext, rowDual?: Float64Array): Promise<{ winners: number[] | null; solves: number }> {
  const n = bids.length;
  // The LP's duals as exact prices when the solve had them, else the Lagrangian bound's.
  const lag = (rowDual === undefined ? null : priceCertificate(market, bids, rowDual)) ?? lagrangianCertificate(market, bids, target, ctx);
  const marks = new ConflictMarks(market);
  const taken: number[] = [];
  let takenGain = 0n;
  let takenSlack = 0n;
  let current = new Set(witness);
  let solves = 0;
  // Ask "is there another optimum?" before the next residual solve (again after each change of witness).
  let askOthers = true;
  // Then, before each residual solve, gallop over the candidates (see `firstPossible`); off for good once it cannot decide.
  let quietUntil = -1; // no gallop up to the candidate the last one found (bid index)
  let gallopOff = false;
  const excluded = new Set<number>();
  const take = (j: number): void => {
    const b = bids[j] as number;
    taken.push(b);
    takenGain += market.gain[b] as bigint;
    takenSlack += lag.slack[j] as bigint;
    marks.take(b);
  };
  // Whether bid k may be in an optimal packing with the winners so far (and `extra` more slack).
  const possible = (k: number, extra: bigint): boolean => !canonicalShortcuts.bounds || lag.bound - takenSlack - extra - (lag.slack[k] as bigint) >= target;
  // Bids from position j on that fit beside the winners so far and that the certificate allows (the witness's all pass).
  const openFrom = (j: number): number[] => {
    const open: number[] = [];
    for (let k = j; k < n; k++) if (!marks.conflicts(bids[k] as number) && possible(k, 0n)) open.push(bids[k] as number);
    return open;
  };
  // The witness's bids not yet taken, ascending.
  const restOfWitness = (): number[] => [...current].filter((c) => !taken.includes(c)).sort((x, y) => x - y);
  for (let j = 0; j < n && takenGain < target; j++) {
    const b = bids[j] as number;
    if (marks.conflicts(b)) {
      canonicalCounters.conflict++;
      continue;
    }
    if (current.has(b)) {
      canonicalCounters.witness++;
      take(j);
      continue;
    }
    if (excluded.has(b)) {
      canonicalCounters.galloped++;
      continue;
    }
    // Any packing with the winners so far and b gains at most bound − their slack (exact).
    // (The certificate's slack of b does not shrink as winners are added: deciding b here holds.)
    if (canonicalShortcuts.bounds && lag.bound - takenSlack - (lag.slack[j] as bigint) < target) {
      canonicalCounters.bound++;
      continue;
    }
    const need = target - takenGain - (market.gain[b] as bigint);
    if (need <= 0n) {
      // The winners so far and b already reach the optimum (need < 0 would beat it).
      take(j);
      current = new Set(taken);
      continue;
    }
    if (askOthers && canonicalShortcuts.others) {
      askOthers = false;
      const open = openFrom(j);
      const rest = restOfWitness();
      const other = await anotherOptimum(market, open, rest, target - takenGain, ctx);
      solves += other === 'unknown' ? 0 : 1;
      if (other === null) {
        // The witness is the only optimum that agrees with the decisions: it is the answer.
        canonicalCounters.unique++;
        return { winners: [...taken, ...rest].sort((x, y) => x - y), solves };
      }
      if (other !== 'unknown') {
        const alternative = [...taken, ...other];
        if (lexGreater(alternative, [...current])) current = new Set(alternative);
        if (current.has(b)) {
          canonicalCounters.witness++;
          take(j);
          continue;
        }
      }
    }
    if (b > quietUntil && !gallopOff && canonicalShortcuts.others && canonicalShortcuts.gallop) {
      const open = openFrom(j);
      const rest = restOfWitness();
      const first = await firstPossible(market, open, open.filter((c) => !current.has(c)), target - takenGain, ctx);
      solves += first.solves;
      if (first.kind === 'unknown') gallopOff = true;
      else {
        for (const c of first.impossible) excluded.add(c);
        if (first.kind === 'none') {
          canonicalCounters.unique++;
          return { winners: [...taken, ...rest].sort((x, y) => x - y), solves };
        }
        quietUntil = first.candidate;
        // The packing holds the first possible candidate: a witness if it keeps the witness's bids before it.
        const inP = new Set(first.packing);
        if (rest.every((w) => w > first.candidate || inP.has(w))) current = new Set([...taken, ...first.packing]);
      }
      if (excluded.has(b)) {
        canonicalCounters.galloped++;
        continue;
      }
      if (current.has(b)) {
        canonicalCounters.witness++;
        take(j);
        continue;
      }
      // b is the first possible candidate and still undecided: its own residual solve follows.
    }
    const residual: number[] = [];
    for (let k = j + 1; k < n; k++) {
      const c = bids[k] as number;
      if (!marks.conflicts(c) && !sharesItem(market, b, c) && possible(k, lag.slack[j] as bigint)) residual.push(c);
    }
    const found = await reach(market, residual, need, ctx);
    if (found === 'unknown') return { winners: null, solves };
    solves += found.solves;
    if (found.winners === null) continue;
    take(j);
    current = new Set([...taken, ...found.winners]);
    askOthers = true;
  }
  return { winners: takenGain === target ? taken.sort((x, y) => x - y) : null, solves };
}

/**
 * Whether the bids `residual` (ascending) hold a packing of gain ≥ `need`: such a packing, or
 * null when none exists, or `unknown` when a solve could not finish. Independent parts are
 * solved apart (smallest first, by enumeration where small); the largest only has to show
 * whether it reaches what the others leave (a held gain just below it).
 */
async function reach(market: Market, residual: number[], need: bigint, ctx: ComponentContext): Promise<{ winners: number[] | null; solves: number } | 'unknown'> {
  const parts = splitComponents(market, residual);
  let upper = 0n;
  for (const p of parts) upper += cheapGainBound(market, p);
  if (canonicalShortcuts.bounds && upper < need) {
    canonicalCounters.bound++;
    return { winners: null, solves: 0 };
  }
  const greedy = bestGreedyAll(market, parts);
  if (canonicalShortcuts.greedy && greedy.gain >= need) {
    canonicalCounters.greedy++;
    return { winners: greedy.winners, solves: 0 };
  }
  canonicalCounters.solves++;
  const winners: number[] = [];
  let sum = 0n;
  let solves = 0;
  for (const [k, part] of parts.entries()) {
    const last = k === parts.length - 1;
    if (part.length <= Math.min(ctx.enumerationLimit, ENUMERATION_LIMIT)) {
      const r = branchAndBound(market, part);
      winners.push(...r.winners);
      sum += r.gain;
      continue;
    }
    const held = need - sum - 1n;
    const sub: ComponentContext = {
      backend: ctx.backend, deadline: ctx.deadline, enumerationLimit: ctx.enumerationLimit, search: 'short', seed: ctx.seed, workers: 1,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.tuning === undefined ? {} : { tuning: ctx.tuning }),
      ...(last && held >= 0n ? { heldGain: () => held } : {}),
    };
    const o = await solveComponent(market, part, sub);
    solves += o.mipSolves;
    // Proven with a held gain: nothing in the part beats max(its answer, held).
    if (!o.proven) return 'unknown';
    winners.push(...o.winners);
    sum += o.gain;
  }
  if (sum < need) return { winners: null, solves };
  canonicalCounters.solvedYes++;
  return { winners, solves };
}

/**
 * An exact bound with per-bid slack: every packing P of the component gains at most
 * `bound − Σ_{j∈P} slack[j]` (local indices j of `bids`).
 */
interface SlackCertificate {
  readonly bound: bigint;
  readonly slack: readonly bigint[];
}

/**
 * Exact prices from an LP's row duals (rows of `buildPacking(bids)`, objective in units of the
 * gains' gcd): π = ⌈|y|·unit⌉ per row, rc_j = gain_j − Σ_{rows∋j} π in bigint; then
 * gain(P) ≤ Σπ + Σ_{j∈P} rc_j ≤ Σπ + Σ max(rc, 0) − Σ_{j∈P} max(−rc_j, 0) for every packing P
 * (a row is used at most once). Valid for any duals: float error only weakens it. Null when
 * the duals do not fit the rows or are not finite.
 */
export function priceCertificate(market: Market, bids: Int32Array, rowDual: Float64Array): SlackCertificate | null {
  const packing = buildPacking(market, bids, new Float64Array(bids.length));
  const rows = packing.rowStart.length - 1;
  if (rowDual.length !== rows) return null;
  const unit = Number(Array.from(bids, (b) => market.gain[b] as bigint).reduce((g, v) => gcd(g, v), 0n));
  const rc = Array.from(bids, (b) => market.gain[b] as bigint);
  let bound = 0n;
  for (let i = 0; i < rows; i++) {
    const v = Math.ceil(Math.abs(rowDual[i] as number) * unit);
    if (!Number.isFinite(v)) return null;
    const price = BigInt(v);
    bound += price;
    for (let k = packing.rowStart[i] as number; k < (packing.rowStart[i + 1] as number); k++) {
      const j = packing.rowItems[k] as number;
      rc[j] = (rc[j] as bigint) - price;
    }
  }
  for (const r of rc) if (r > 0n) bound += r;
  return { bound, slack: rc.map((r) => (r < 0n ? -r : 0n)) };
}

/** The Lagrangian bound's certificate (at most {@link CANONICAL_LAGRANGIAN_SHARE} of the time left). */
function lagrangianCertificate(market: Market, bids: Int32Array, target: bigint, ctx: ComponentContext): SlackCertificate {
  const lagDeadline = performance.now() + CANONICAL_LAGRANGIAN_SHARE * Math.max(0, ctx.deadline - performance.now());
  return lagrangianBound(market, bids, { lower: target, deadline: Math.min(lagDeadline, ctx.deadline), ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
}

/**
 * Another packing of `open` (ascending) than `rest` (a packing of gain exactly `need` inside
 * it) reaching `need`: the no-good row Σ_{j∈rest} x_j ≤ |rest| − 1 (strict subsets of `rest`
 * gain less). See {@link cutoffPacking}.
 */
function anotherOptimum(market: Market, open: number[], rest: number[], need: bigint, ctx: ComponentContext): Promise<number[] | null | 'unknown'> {
  if (open.length === rest.length) return Promise.resolve(null);
  return cutoffPacking(market, open, need, ctx, 'others', (cols) => {
    const members = localIndices(cols, rest);
    return { indices: Int32Array.from(members), values: new Float64Array(members.length).fill(1), lower: -Infinity, upper: members.length - 1 };
  }, rest);
}

/**
 * A packing of `open` (ascending) with gain ≥ `need` that satisfies `row` (built over the
 * local columns), by one cut-off solve; null when none exists; `unknown` when the solve cannot
 * decide it (time, or a model too large to be lossless: the caller then decides bid by bid).
 * With `differ`, a packing equal to it does not count.
 */
async function cutoffPacking(market: Market, open: number[], need: bigint, ctx: ComponentContext, counter: 'others' | 'gallops', row: (cols: Int32Array) => LinearRow, differ?: readonly number[]): Promise<number[] | null | 'unknown'> {
  const backend = ctx.backend;
  if (backend === null || (backend.maxColumns !== undefined && open.length > backend.maxColumns)) return 'unknown';
  const cols = Int32Array.from(open);
  const gains = open.map((b) => market.gain[b] as bigint);
  const unit = gains.reduce((g, v) => gcd(g, v), 0n);
  if (unit === 0n) return need <= 0n ? [] : null;
  const units = gains.map((g) => g / unit);
  if (bitLength(units.reduce((s, v) => s + v, 0n)) > Math.min(SAFE_BITS, backend.objectiveBits ?? SAFE_BITS)) return 'unknown';
  const weight = Float64Array.from(units, Number);
  const rows: LinearRow[] = [row(cols)];
  // Gains reaching `need` reach ⌈need/unit⌉ units.
  const cutoff = Number((need + unit - 1n) / unit) - 0.5;
  if (backend.cutoff !== true) rows.push({ indices: Int32Array.from(open, (_, j) => j), values: weight, lower: cutoff, upper: Infinity });
  const left = (ctx.deadline - performance.now()) / 1000;
  const timeLimitSec = left - Math.min(MIP_MARGIN_SEC, 0.2 * left);
  if (timeLimitSec <= 0 || ctx.signal?.aborted === true) return 'unknown';
  canonicalCounters[counter]++;
  const result = await backend.solve(buildPacking(market, cols, weight, rows), {
    timeLimitSec, cutoff, objectiveUnit: Number(unit),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    ...(ctx.tuning === undefined ? {} : { tuning: ctx.tuning }),
  });
  if (result.status === 'infeasible') return null;
  if (result.x !== null) {
    const found = toGlobal(cols, result.x);
    const marks = new ConflictMarks(market);
    let feasible = true;
    for (const b of found) {
      if (marks.conflicts(b)) feasible = false;
      marks.take(b);
    }
    const r = rows[0] as LinearRow;
    let lhs = 0;
    r.indices.forEach((j, k) => { lhs += (r.values[k] as number) * (result.x?.[j] ?? 0); });
    const rowHolds = lhs >= r.lower && lhs <= r.upper;
    // A vector that breaks a row is a backend error: trust nothing from it.
    if (!feasible || !rowHolds) return 'unknown';
    const differs = differ === undefined || found.length !== differ.length || found.some((b, k) => b !== differ[k]);
    if (differs && gainOf(market, found) >= need) return found;
    // The best packing under the row, proven, is below `need`.
    if (result.status === 'optimal') return null;
  }
  return 'unknown';
}

/**
 * The first candidate (in order) that some packing of `open` reaching `need` contains, by
 * galloping then bisecting over prefixes: "does a packing reaching `need` hold one of these
 * candidates?" (a covering row Σ x ≥ 1) for candidate ranges of 2, 4, 8, … from the front;
 * "no" rules out the whole range (more decisions only remove packings). `none`: no candidate
 * is possible; `first`: the candidates before `candidate` are impossible and `packing`
 * contains `candidate`; `unknown`: a solve could not decide (rounded model, time).
 */
async function firstPossible(market: Market, open: number[], candidates: readonly number[], need: bigint, ctx: ComponentContext): Promise<
  | { readonly kind: 'none'; readonly impossible: readonly number[]; readonly solves: number }
  | { readonly kind: 'first'; readonly impossible: readonly number[]; readonly candidate: number; readonly packing: readonly number[]; readonly solves: number }
  | { readonly kind: 'unknown'; readonly solves: number }> {
  let solves = 0;
  const query = async (lo: number, hi: number): Promise<number[] | null | 'unknown'> => {
    const range = candidates.slice(lo, hi);
    const r = await cutoffPacking(market, open, need, ctx, 'gallops', (cols) => {
      const members = localIndices(cols, range);
      return { indices: Int32Array.from(members), values: new Float64Array(members.length).fill(1), lower: 1, upper: Infinity };
    });
    if (r !== 'unknown') solves++;
    return r;
  };
  let lo = 0;
  let size = 2;
  while (lo < candidates.length) {
    let hi = Math.min(candidates.length, lo + size);
    const r = await query(lo, hi);
    if (r === 'unknown') return { kind: 'unknown', solves };
    if (r === null) {
      lo = hi;
      size *= 2;
      continue;
    }
    let packing = r;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const half = await query(lo, mid);
      if (half === 'unknown') return { kind: 'unknown', solves };
      if (half === null) lo = mid;
      else {
        packing = half;
        hi = mid;
      }
    }
    return { kind: 'first', impossible: candidates.slice(0, lo), candidate: candidates[lo] as number, packing, solves };
  }
  return { kind: 'none', impossible: candidates, solves };
}

/** Whether packing a (bid indices, any order) is lexicographically greater than b as 0/1 vectors in index order. */
export function lexGreater(a: readonly number[], b: readonly number[]): boolean {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k] !== y[k]) return (x[k] as number) < (y[k] as number);
  }
  return x.length > y.length;
}

/** Best greedy packing of each part, together. */
function bestGreedyAll(market: Market, parts: readonly Int32Array[]): { winners: number[]; gain: bigint } {
  const winners: number[] = [];
  let gain = 0n;
  for (const p of parts) {
    const g = bestGreedy(market, p);
    winners.push(...g.winners);
    gain += g.gain;
  }
  return { winners, gain };
}
