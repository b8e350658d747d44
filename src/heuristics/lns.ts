/**
 * Large-neighbourhood search for weighted set packing (Shaw 1998; Ropke & Pisinger 2006 for
 * the adaptive choice of neighbourhoods). A step frees a neighbourhood of the current packing
 * (lns-moves.ts), solves the sub-problem exactly (lns-packing.ts) and keeps the answer only when
 * its exact bigint gain is strictly higher. Neighbourhoods are drawn by roulette on their recent
 * gain per unit of work (with a floor, so none starves). The sub-problem size adapts as in
 * variable-neighbourhood search: it starts at enumeration size, grows when sub-problems are
 * proven to hold no improvement (into HiGHS sub-MIPs), halves after an improvement and shrinks
 * when the sub-MIP runs out of time. After {@link LNS_STALL_STEPS} steps without improvement the search restarts
 * from a perturbed elite (a few best distinct packings), alternating with path relinking.
 *
 * Determinism: with `maxSteps` and `deterministic`, the answer depends only on the input, seed
 * and budget (work is counted in steps, sub-MIPs are node-capped), unless the deadline or a
 * sub-MIP's time cap comes first.
 */
import { ConflictMarks } from './greedy.js';
import { componentRollups, LNS_MOVES, randomMove, regionMove, relinkMove, rinsMove, Rng, type LnsMove, type MoveContext } from './lns-moves.js';
import { LNS_MAX_FREE, LNS_MAX_FREE_LIMIT, Packing, solveSubProblem, SubProblemBuilder } from './lns-packing.js';
import { ENUMERATION_LIMIT } from '../solver/enumerate.js';
import type { PackingIndex } from './tabu.js';

export type { LnsMove } from './lns-moves.js';
export { LNS_MOVES } from './lns-moves.js';

/** Options of {@link lnsSearch}; all optional but one of `deadline` and `maxSteps`. */
export interface LnsOptions {
  /** Default 0. */
  readonly seed?: number;
  /** `performance.now()` time after which no step starts. */
  readonly deadline?: number;
  /**
   * Work budget in enumeration-sized steps: a sub-problem of F free bids counts
   * max(1, F / {@link ENUMERATION_LIMIT}) of it, so that grown neighbourhoods (sub-MIPs) do not
   * make an iteration-budgeted run slower by orders of magnitude.
   */
  readonly maxSteps?: number;
  /** Count work in steps, not milliseconds, for the adaptive choices (reproducible runs). Default false. */
  readonly deterministic?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Called at every check of the deadline. It may block (to let a racing MIP thread have the core),
   * and `true` ends the search there, with its best so far (so that this thread can serve the
   * racing MIP's next step; see `mip-governor.ts`).
   */
  readonly pause?: () => boolean;
  /** LP (or Lagrangian) value per bid index, for the `rins` neighbourhood. */
  readonly lp?: Float64Array;
  /** Other good packings (e.g. the portfolio's elites) for path relinking and restarts. */
  readonly elites?: readonly (readonly number[])[];
  /** Largest sub-problem (free bids). Default {@link LNS_MAX_FREE}. */
  readonly maxFree?: number;
  /**
   * Sub-problem size (free bids) to start from, e.g. where a previous search's adaptation
   * ended. Default {@link ENUMERATION_LIMIT}.
   */
  readonly startFree?: number;
  /** Seconds one sub-MIP may run. Default {@link LNS_SUB_MIP_SEC}. */
  readonly subMipSec?: number;
  /** Called on each new best with its exact gain and the neighbourhood that found it. */
  readonly onImprove?: (gain: bigint, move: LnsMove) => void;
}

/** Default time cap of one sub-MIP (seconds). */
export const LNS_SUB_MIP_SEC = 0.3;

/** A sub-solve slower than this share of its time cap shrinks the neighbourhood (clocked runs). */
export const LNS_SLOW_SHARE = 0.5;

/** Factor by which a sub-problem proven without improvement grows the next one. */
export const LNS_GROWTH = 1.1;

/** Steps without improvement before a restart from a perturbed elite. */
export const LNS_STALL_STEPS = 40;

/** Elite packings kept (best distinct gains). */
export const LNS_ELITES = 5;

/** Share of an elite's winners a restart removes before refilling at random. */
export const LNS_PERTURB_SHARE = 0.2;

/** Floor of each neighbourhood's selection probability. */
const MOVE_FLOOR = 0.08;

/** Result of {@link lnsSearch}. */
export interface LnsResult {
  /** Best packing (ascending bid indices) and its exact gain. */
  readonly winners: number[];
  readonly gain: bigint;
  readonly steps: number;
  /** The sub-problem size (free bids) the adaptation ended at: where a next search may start. */
  readonly free: number;
  /** The neighbourhood that found the best, or null when the start was never improved. */
  readonly move: LnsMove | null;
  /** Steps and improving steps per neighbourhood. */
  readonly stats: Readonly<Record<LnsMove, { steps: number; improved: number }>>;
}

/**
 * Improves `initial` (a feasible packing of `candidates`) by large-neighbourhood search until
 * the deadline, the step budget or abort. Never returns less than `initial`.
 */
export async function lnsSearch(m: PackingIndex, candidates: ArrayLike<number>, initial: readonly number[], options: LnsOptions = {}): Promise<LnsResult> {
  if (options.deadline === undefined && options.maxSteps === undefined) throw new RangeError('lnsSearch needs a deadline or maxSteps');
  const rng = new Rng(options.seed ?? 0);
  const allowed = new Uint8Array(m.nBids);
  const cands: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const b = candidates[i] as number;
    if ((m.gain[b] as bigint) > 0n && allowed[b] === 0) {
      allowed[b] = 1;
      cands.push(b);
    }
  }
  const rollups = componentRollups(m, cands);
  // A neighbourhood never frees the whole component: that would be the full problem.
  const maxFree = Math.min(options.maxFree ?? LNS_MAX_FREE, LNS_MAX_FREE_LIMIT, Math.max(2, cands.length - 1));
  const builder = new SubProblemBuilder(m, cands);
  const deadline = options.deadline ?? Infinity;
  const maxSteps = options.maxSteps ?? Infinity;
  const deterministic = options.deterministic === true;
  const subMipSec = options.subMipSec ?? LNS_SUB_MIP_SEC;

  let current = new Packing(m, initial);
  let best = { winners: current.winners(), gain: current.gain };
  let bestMove: LnsMove | null = null;
  const elites = new ElitePool(m);
  elites.offer(best.winners, best.gain);
  for (const e of options.elites ?? []) elites.offer(e, gainOfSafe(m, e, allowed));

  const moves: LnsMove[] = LNS_MOVES.filter((k) => k !== 'rins' || options.lp !== undefined);
  const score = new Map<LnsMove, number>(moves.map((k) => [k, 1]));
  const stats = Object.fromEntries(LNS_MOVES.map((k) => [k, { steps: 0, improved: 0 }])) as Record<LnsMove, { steps: number; improved: number }>;
  let target = Math.max(8, Math.min(options.startFree ?? ENUMERATION_LIMIT, maxFree));
  let stall = 0;
  let restarts = 0;
  let steps = 0;
  if (rollups.length === 0 || cands.length < 2) return { ...best, steps, free: target, move: null, stats };

  let work = 0;
  while (work < maxSteps) {
    if (options.pause?.() === true || performance.now() > deadline || options.signal?.aborted === true) break;
    const move = pick(moves, score, rng);
    const ctx: MoveContext = { m, rollups, allowed, lp: options.lp ?? null, limit: Math.max(8, 4 * target) };
    const order = move === 'random' ? randomMove(ctx, rng)
      : move === 'region' ? regionMove(ctx, rng)
        : move === 'rins' ? rinsMove(ctx, rng, current)
          : relinkMove(ctx, rng, current, elites.other(current, rng));
    const sub = builder.build(current, order, target, maxFree);
    const t0 = performance.now();
    const left = (deadline - t0) / 1000;
    const solved = await solveSubProblem(m, sub, { timeLimitSec: Math.max(0.01, Math.min(subMipSec * (deterministic ? 5 : 1), left)) });
    const cost = deterministic ? 1 : Math.max(0.05, performance.now() - t0);
    steps++;
    work += Math.max(1, sub.free.length / ENUMERATION_LIMIT);
    stats[move].steps++;
    let gained = 0;
    if (solved.gain > sub.removedGain) {
      for (const b of sub.removed) current.remove(b);
      for (const b of solved.winners) current.add(b);
      gained = Number(solved.gain - sub.removedGain) / Math.max(1, Number(current.gain));
      stats[move].improved++;
    }
    score.set(move, 0.8 * (score.get(move) ?? 0) + 0.2 * (gained * 1e4) / cost);
    // Adapt the size as in variable-neighbourhood search: back towards small (cheap)
    // sub-problems after an improvement, larger after a proof that this one holds none; smaller
    // when the sub-MIP is cut short (or, on the clock, slow). Under `deterministic` only the
    // proofs count, not the clock.
    const slow = !deterministic && performance.now() - t0 > LNS_SLOW_SHARE * 1000 * subMipSec;
    if (gained > 0) target = Math.max(ENUMERATION_LIMIT, Math.floor(target / 2));
    else if (!solved.optimal || slow) target = Math.max(8, Math.floor(target * 0.8));
    else target = Math.min(maxFree, Math.ceil(target * LNS_GROWTH) + 1);
    if (current.gain > best.gain) {
      best = { winners: current.winners(), gain: current.gain };
      bestMove = move;
      elites.offer(best.winners, best.gain);
      options.onImprove?.(best.gain, move);
      stall = 0;
    } else if (gained > 0) {
      stall = 0;
    } else if (++stall >= LNS_STALL_STEPS) {
      // Diversify: a perturbed elite (relinking then pulls it towards the others).
      elites.offer(current.winners(), current.gain);
      current = elites.perturbed(rng, cands, restarts++);
      stall = 0;
    }
  }
  return { ...best, steps, free: target, move: bestMove, stats };
}

/** Roulette over the neighbourhoods' scores, each with probability at least {@link MOVE_FLOOR}. */
function pick(moves: readonly LnsMove[], score: ReadonlyMap<LnsMove, number>, rng: Rng): LnsMove {
  const total = moves.reduce((s, k) => s + Math.max(0, score.get(k) ?? 0), 0);
  const floor = Math.min(MOVE_FLOOR, 1 / moves.length);
  let u = rng.unit();
  for (const k of moves) {
    const p = floor + (1 - floor * moves.length) * (total > 0 ? Math.max(0, score.get(k) ?? 0) / total : 1 / moves.length);
    if (u < p) return k;
    u -= p;
  }
  return moves[moves.length - 1] as LnsMove;
}

/** A few best distinct packings. */
class ElitePool {
  private readonly items: { winners: number[]; gain: bigint; key: string }[] = [];

  constructor(private readonly m: PackingIndex) {}

  offer(winners: readonly number[], gain: bigint | null): void {
    if (gain === null) return;
    const sorted = [...winners].sort((a, b) => a - b);
    const key = sorted.join(',');
    if (this.items.some((e) => e.key === key)) return;
    this.items.push({ winners: sorted, gain, key });
    this.items.sort((a, b) => (a.gain === b.gain ? (a.key < b.key ? -1 : 1) : a.gain > b.gain ? -1 : 1));
    if (this.items.length > LNS_ELITES) this.items.length = LNS_ELITES;
  }

  /** An elite other than `p` (random), or null. */
  other(p: Packing, rng: Rng): Packing | null {
    const key = p.winners().join(',');
    const others = this.items.filter((e) => e.key !== key);
    if (others.length === 0) return null;
    return new Packing(this.m, (others[rng.below(others.length)] as { winners: number[] }).winners);
  }

  /**
   * Restart point: an elite (the best on even restarts, a random one on odd ones) with a
   * random {@link LNS_PERTURB_SHARE} of its winners removed and the gaps refilled in random order.
   */
  perturbed(rng: Rng, cands: readonly number[], restart: number): Packing {
    const e = this.items[restart % 2 === 0 ? 0 : rng.below(this.items.length)] as { winners: number[] };
    const p = new Packing(this.m, e.winners);
    for (const b of e.winners) if (rng.unit() < LNS_PERTURB_SHARE) p.remove(b);
    for (const b of rng.shuffle([...cands])) if (!p.has(b) && p.fits(b)) p.add(b);
    return p;
  }
}

/** Exact gain of a packing of allowed bids, or null when it is not one. */
function gainOfSafe(m: PackingIndex, winners: readonly number[], allowed: Uint8Array): bigint | null {
  const marks = new ConflictMarks(m);
  let gain = 0n;
  for (const b of winners) {
    if (!Number.isInteger(b) || b < 0 || b >= m.nBids || allowed[b] !== 1 || marks.conflicts(b)) return null;
    marks.take(b);
    gain += m.gain[b] as bigint;
  }
  return gain;
}
