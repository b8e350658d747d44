/**
 * Neighbourhoods of large-neighbourhood search (lns.ts). Each returns rollups in the order the
 * sub-problem builder frees them (it stops once enough bids are free):
 * - `random`: the component's rollups in random order;
 * - `region`: breadth-first over rollup–bid adjacency from a random rollup (bids that compete);
 * - `rins`: rollups of bids where the LP (or Lagrangian) solution and the incumbent disagree,
 *   as in RINS (Danna, Rothberg & Le Pape 2005), then their region;
 * - `relink`: rollups where the incumbent and an elite solution differ (path relinking).
 */
import type { Packing } from './lns-packing.js';
import type { PackingIndex } from './tabu.js';

/** The neighbourhood kinds, in the order the adaptive choice lists them. */
export const LNS_MOVES = ['random', 'region', 'rins', 'relink'] as const;
export type LnsMove = (typeof LNS_MOVES)[number];

/** A seeded xorshift32 stream. */
export class Rng {
  private x: number;
  constructor(seed: number) {
    this.x = (seed ^ 0x2545f491) >>> 0 || 1;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    let x = this.x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.x = x >>> 0;
    return this.x % Math.max(1, n);
  }

  /** Uniform float in [0, 1). */
  unit(): number {
    return this.below(0x40000000) / 0x40000000;
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [a[i], a[j]] = [a[j] as T, a[i] as T];
    }
    return a;
  }
}

/** What the neighbourhoods read: the index, the component's rollups and optional LP values. */
export interface MoveContext {
  readonly m: PackingIndex;
  /** Rollups touched by the candidate bids (ascending). */
  readonly rollups: readonly number[];
  /** Bids the search may use, and an LP value per bid index (0 when absent). */
  readonly allowed: Uint8Array;
  readonly lp: Float64Array | null;
  /** How many rollups a neighbourhood lists at most (the builder stops earlier). */
  readonly limit: number;
}

/** Rollups of the component's candidates, ascending. */
export function componentRollups(m: PackingIndex, candidates: ArrayLike<number>): number[] {
  const seen = new Uint8Array(m.nRollups);
  for (let i = 0; i < candidates.length; i++) {
    const b = candidates[i] as number;
    for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) seen[m.bundleItems[k] as number] = 1;
  }
  const out: number[] = [];
  seen.forEach((v, r) => { if (v === 1) out.push(r); });
  return out;
}

/** Random rollups. */
export function randomMove(ctx: MoveContext, rng: Rng): number[] {
  const out: number[] = [];
  const n = ctx.rollups.length;
  const seen = new Set<number>();
  // Sampling without replacement, bounded: enough for the builder's target.
  for (let tries = 0; out.length < Math.min(n, ctx.limit) && tries < 4 * ctx.limit; tries++) {
    const r = ctx.rollups[rng.below(n)] as number;
    if (seen.has(r)) continue;
    seen.add(r);
    out.push(r);
  }
  return out;
}

/** Breadth-first region from `seeds` (or a random rollup) over rollups that share bids. */
export function regionMove(ctx: MoveContext, rng: Rng, seeds?: readonly number[]): number[] {
  const m = ctx.m;
  const start = seeds !== undefined && seeds.length > 0 ? seeds : [ctx.rollups[rng.below(ctx.rollups.length)] as number];
  const seen = new Set<number>(start);
  const out = [...start];
  for (let head = 0; head < out.length && out.length < ctx.limit; head++) {
    const r = out[head] as number;
    const from = m.rollupBidStart[r] as number;
    const deg = (m.rollupBidStart[r + 1] as number) - from;
    // Bids of r from a random offset, so regions differ between calls.
    const offset = rng.below(deg);
    for (let i = 0; i < deg && out.length < ctx.limit; i++) {
      const b = m.rollupBidItems[from + ((i + offset) % deg)] as number;
      if (ctx.allowed[b] === 0) continue;
      for (let k = m.bundleStart[b] as number; k < (m.bundleStart[b + 1] as number); k++) {
        const s = m.bundleItems[k] as number;
        if (!seen.has(s)) {
          seen.add(s);
          out.push(s);
        }
      }
    }
  }
  return out;
}

/** Rollups where the LP values and the incumbent disagree (shuffled), grown into a region. */
export function rinsMove(ctx: MoveContext, rng: Rng, p: Packing): number[] {
  const lp = ctx.lp;
  if (lp === null) return regionMove(ctx, rng);
  const m = ctx.m;
  const out = new Set<number>();
  for (const r of ctx.rollups) {
    for (let q = m.rollupBidStart[r] as number; q < (m.rollupBidStart[r + 1] as number); q++) {
      const b = m.rollupBidItems[q] as number;
      if (ctx.allowed[b] === 0) continue;
      if (((lp[b] as number) > 0.5) !== p.has(b)) {
        out.add(r);
        break;
      }
    }
  }
  if (out.size === 0) return regionMove(ctx, rng);
  const seeds = rng.shuffle([...out]).slice(0, Math.max(1, Math.ceil(ctx.limit / 4)));
  return regionMove(ctx, rng, seeds);
}

/** Rollups whose owner differs between the incumbent and `elite` (shuffled), grown into a region. */
export function relinkMove(ctx: MoveContext, rng: Rng, p: Packing, elite: Packing | null): number[] {
  if (elite === null) return randomMove(ctx, rng);
  const diff = ctx.rollups.filter((r) => p.ownerR[r] !== elite.ownerR[r]);
  if (diff.length === 0) return randomMove(ctx, rng);
  const seeds = rng.shuffle(diff).slice(0, Math.max(1, Math.ceil(ctx.limit / 2)));
  return regionMove(ctx, rng, seeds);
}
