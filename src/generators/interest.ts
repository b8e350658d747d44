/**
 * The "arbitrary relationships" scheme of CATS (Leyton-Brown, Pearson & Shoham 2000, §4.3), in
 * the form learning-to-branch papers use (Gasse et al. 2019, "combinatorial auction"): common
 * item values, per-bidder interests, bundles grown by interest × compatibility with the items
 * already in it, price = Σ private values + |bundle|^(1+additivity), up to `maxSubBids`
 * substitutable bundles per bidder under a budget and a resale floor, joined by XOR.
 * `regions` is the same scheme on a grid, where only neighbouring cells are compatible.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { hashUnit, Rng } from './rng.js';
import type { Instance } from '../model/types.js';

/** Parameters of the scheme (names follow the published generator). */
export interface InterestParams {
  readonly minValue: number;
  readonly maxValue: number;
  readonly valueDeviation: number;
  readonly addItemProb: number;
  readonly maxSubBids: number;
  readonly additivity: number;
  readonly budgetFactor: number;
  readonly resaleFactor: number;
}

/** Learning-to-branch defaults (ecole's CombinatorialAuctionGenerator). */
export const BIDDER_INTEREST: InterestParams = {
  minValue: 1, maxValue: 100, valueDeviation: 0.5, addItemProb: 0.65,
  maxSubBids: 5, additivity: 0.2, budgetFactor: 1.5, resaleFactor: 0.5,
};

/** CATS arbitrary.cfg: larger bundles (additional-good probability 0.9). */
export const ARBITRARY: InterestParams = { ...BIDDER_INTEREST, addItemProb: 0.9 };

/** Symmetric compatibility of two distinct goods (≥ 0). */
export type Compat = (i: number, j: number) => number;

/** Random pairwise compatibility in [0, 1), from a hash: no n×n matrix is stored. */
export function randomCompat(salt: number): Compat {
  return (i, j) => (i < j ? hashUnit(salt, i, j) : hashUnit(salt, j, i));
}

/** Grid compatibility for `regions`: 4-neighbours 1, a random third of diagonals 0.5, else 0. */
export function gridCompat(n: number, salt: number): Compat {
  const w = Math.max(1, Math.ceil(Math.sqrt(n)));
  return (i, j) => {
    const dx = Math.abs((i % w) - (j % w));
    const dy = Math.abs(Math.floor(i / w) - Math.floor(j / w));
    if (dx + dy === 1) return 1;
    if (dx === 1 && dy === 1) return hashUnit(salt, Math.min(i, j), Math.max(i, j)) < 1 / 3 ? 0.5 : 0;
    return 0;
  };
}

/** Generates `bids` bids on `n` goods by the scheme. */
export function interestInstance(n: number, bids: number, seed: number, params: InterestParams, compatOf: (salt: number) => Compat): Instance {
  const rng = new Rng(seed, 0x1e57);
  const compat = compatOf(rng.int(0, 2 ** 31 - 1));
  const values = Float64Array.from({ length: n }, () => rng.between(params.minValue, params.maxValue));
  const out: DraftBid[] = [];
  let bidder = 0;
  while (out.length < bids) {
    const interest = Float64Array.from({ length: n }, () => rng.float());
    const priv = values.map((v, i) => v + params.maxValue * params.valueDeviation * (2 * (interest[i] ?? 0) - 1));
    const priceOf = (bundle: readonly number[]): number =>
      bundle.reduce((s, g) => s + (priv[g] ?? 0), 0) + Math.pow(bundle.length, 1 + params.additivity);

    const grower = new BundleGrower(n, interest, compat, rng);
    grower.start(rng.weighted(interest));
    while (rng.chance(params.addItemProb) && grower.size < n) grower.grow();
    const first = grower.bundle();
    const price = priceOf(first);
    if (price < 0) continue;

    const name = `u${bidder++}`;
    const mine: DraftBid[] = [{ bidder: name, goods: first, price }];
    const seen = new Set([first.join(',')]);
    // Substitutes: one candidate grown from each item of the first bundle, same size.
    const candidates = first.map((item) => {
      grower.start(item);
      while (grower.size < first.length) grower.grow();
      const goods = grower.bundle();
      return { goods, price: priceOf(goods) };
    });
    candidates.sort((a, b) => b.price - a.price);
    const budget = params.budgetFactor * price;
    const resaleFloor = params.resaleFactor * first.reduce((s, g) => s + (values[g] ?? 0), 0);
    for (const c of candidates) {
      if (mine.length > params.maxSubBids || out.length + mine.length >= bids) break;
      const key = c.goods.join(',');
      if (c.price < 0 || c.price > budget || seen.has(key)) continue;
      if (c.goods.reduce((s, g) => s + (values[g] ?? 0), 0) < resaleFloor) continue;
      seen.add(key);
      mine.push({ bidder: name, goods: c.goods, price: c.price });
    }
    for (const b of mine) out.push(mine.length > 1 ? { ...b, group: `x${name}` } : b);
  }
  return finish({ rollupIds: goodIds(n), bids: out, decimals: 4 });
}

/** Grows one bundle: next item drawn ∝ interest × mean compatibility with the bundle. */
class BundleGrower {
  private readonly inBundle: Uint8Array;
  private readonly affinity: Float64Array;
  private readonly weights: Float64Array;
  private items: number[] = [];

  constructor(
    private readonly n: number,
    private readonly interest: Float64Array,
    private readonly compat: Compat,
    private readonly rng: Rng,
  ) {
    this.inBundle = new Uint8Array(n);
    this.affinity = new Float64Array(n);
    this.weights = new Float64Array(n);
  }

  get size(): number {
    return this.items.length;
  }

  start(item: number): void {
    for (const g of this.items) this.inBundle[g] = 0;
    this.affinity.fill(0);
    this.items = [];
    this.add(item);
  }

  grow(): void {
    let any = false;
    for (let j = 0; j < this.n; j++) {
      const w = this.inBundle[j] === 1 ? 0 : (this.interest[j] ?? 0) * (this.affinity[j] ?? 0);
      this.weights[j] = w;
      if (w > 0) any = true;
    }
    if (!any) {
      // Nothing compatible left (e.g. an enclosed grid cell): any free item by interest.
      for (let j = 0; j < this.n; j++) this.weights[j] = this.inBundle[j] === 1 ? 0 : (this.interest[j] ?? 0) + 1e-12;
    }
    this.add(this.rng.weighted(this.weights));
  }

  bundle(): number[] {
    return [...this.items].sort((a, b) => a - b);
  }

  private add(item: number): void {
    this.inBundle[item] = 1;
    this.items.push(item);
    for (let j = 0; j < this.n; j++) if (j !== item) this.affinity[j] = (this.affinity[j] ?? 0) + this.compat(item, j);
  }
}
