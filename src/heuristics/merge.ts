/**
 * Population and exact crossover (solution merging, as in Blum et al.'s CMSA and the
 * "optimised crossover" of genetic algorithms): two good packings found by independent
 * searches usually agree on most rollups; freeing the rollups where their owners differ leaves
 * a sub-problem that holds both (a few hundred free bids at most on the families measured), and
 * its exact solve (lns-packing.ts) is a child at least as good as the better parent, often
 * better than both. The portfolio (portfolio.ts) puts the best of every search lineage into a
 * {@link Population} and merges it with the others.
 */
import { LNS_MAX_FREE, Packing, solveSubProblem, type SubProblemBuilder } from './lns-packing.js';
import type { PackingIndex } from './tabu.js';

/** Distinct packings a population keeps (best gains). */
export const POPULATION_SIZE = 10;

/** Default time cap (seconds) of one merge's sub-MIP (clocked runs). */
export const MERGE_SUB_MIP_SEC = 1;

/** A population member: a packing, its winners' key and an id for the pairs already merged. */
interface Member {
  readonly packing: Packing;
  readonly key: string;
  readonly id: number;
}

/** Options of {@link Population.mergeRound}. */
export interface MergeRoundOptions {
  /** `performance.now()` time after which no merge starts. */
  readonly deadline: number;
  /** Most merges in this round. */
  readonly maxMerges: number;
  /** Seconds one merge's sub-MIP may run. Default {@link MERGE_SUB_MIP_SEC}. */
  readonly subMipSec?: number;
  readonly signal?: AbortSignal;
  /** Checked before each merge; `true` ends the round (see `LnsOptions.pause`). */
  readonly pause?: () => boolean;
}

/** What a merge round did. */
export interface MergeRoundResult {
  readonly merges: number;
  /** Best member after the round (winners ascending) and its exact gain. */
  readonly best: { readonly winners: number[]; readonly gain: bigint };
}

/** The best distinct packings seen, merged pairwise (each pair once). */
export class Population {
  private readonly members: Member[] = [];
  private readonly tried = new Set<string>();
  private nextId = 0;

  constructor(private readonly m: PackingIndex, private readonly builder: SubProblemBuilder, private readonly size = POPULATION_SIZE) {}

  get length(): number {
    return this.members.length;
  }

  /**
   * Adds a packing (a copy) unless it is already present or worse than every member of a full
   * population; returns whether it was added.
   */
  offer(winners: readonly number[]): boolean {
    const sorted = [...winners].sort((a, b) => a - b);
    const key = sorted.join(',');
    if (this.members.some((e) => e.key === key)) return false;
    const packing = new Packing(this.m, sorted);
    const worst = this.members[this.members.length - 1];
    if (this.members.length >= this.size && worst !== undefined && packing.gain <= worst.packing.gain) return false;
    this.members.push({ packing, key, id: this.nextId++ });
    // Best gain first; ties by key, so the order depends on the packings only.
    this.members.sort((a, b) => (a.packing.gain === b.packing.gain ? (a.key < b.key ? -1 : 1) : a.packing.gain > b.packing.gain ? -1 : 1));
    if (this.members.length > this.size) this.members.length = this.size;
    return true;
  }

  /** Winners of the best members (ascending each), best first. */
  top(n: number): number[][] {
    return this.members.slice(0, n).map((e) => e.packing.winners());
  }

  /**
   * Merges pairs not merged before, best pairs first, until none is left, the budget or the
   * deadline; each child that enters the population is merged in turn. Never loses a member
   * better than the children.
   */
  async mergeRound(options: MergeRoundOptions): Promise<MergeRoundResult> {
    let merges = 0;
    for (;;) {
      if (merges >= options.maxMerges || performance.now() > options.deadline || options.signal?.aborted === true || options.pause?.() === true) break;
      const pair = this.untriedPair();
      if (pair === null) break;
      const [a, b] = pair;
      this.tried.add(`${a.id},${b.id}`);
      const left = (options.deadline - performance.now()) / 1000;
      const child = await mergePackings(this.m, this.builder, a.packing, b.packing, Math.max(0.01, Math.min(options.subMipSec ?? MERGE_SUB_MIP_SEC, left)));
      merges++;
      if (child !== null) this.offer(child.winners());
    }
    const best = this.members[0];
    return { merges, best: best === undefined ? { winners: [], gain: 0n } : { winners: best.packing.winners(), gain: best.packing.gain } };
  }

  /** The first pair (by rank: best member first) not merged yet. */
  private untriedPair(): [Member, Member] | null {
    for (let i = 0; i < this.members.length; i++) {
      for (let j = i + 1; j < this.members.length; j++) {
        const a = this.members[i] as Member;
        const b = this.members[j] as Member;
        if (!this.tried.has(`${a.id},${b.id}`)) return [a, b];
      }
    }
    return null;
  }
}

/**
 * Exact crossover of two packings: frees, in `better`, the rollups whose owner differs in
 * `other` (a winner of `better` that owns one has all its rollups freed with it; so do the
 * rollups neither owns), and solves that sub-problem exactly within the time cap. The other
 * parent's differing winners are all free, so a sub-problem solved to optimality gives at least
 * the better parent's gain. Returns the child when it is strictly better than `better`, else
 * null.
 */
export async function mergePackings(m: PackingIndex, builder: SubProblemBuilder, better: Packing, other: Packing, timeLimitSec: number): Promise<Packing | null> {
  const diff: number[] = [];
  for (let r = 0; r < m.nRollups; r++) if (better.ownerR[r] !== other.ownerR[r]) diff.push(r);
  if (diff.length === 0) return null;
  const sub = builder.build(better, diff, Infinity, LNS_MAX_FREE);
  const solved = await solveSubProblem(m, sub, { timeLimitSec });
  if (solved.gain <= sub.removedGain) return null;
  const child = new Packing(m, better.winners());
  for (const x of sub.removed) child.remove(x);
  for (const x of solved.winners) child.add(x);
  return child;
}
