/**
 * The "arbitrary relationships" scheme of CATS (Leyton-Brown, Pearson & Shoham 2000, §4.3), in
 * the form learning-to-branch papers use (Gasse et al. 2019, "combinatorial auction"): common
 * item values, per-bidder interests, bundles grown by interest × compatibility with the items
 * already in it, price = Σ private values + |bundle|^(1+additivity), up to `maxSubBids`
 * substitutable bundles per bidder under a budget and a resale floor, joined by XOR.
 * `regions` is the same scheme on a grid, where only neighbouring cells are compatible.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { hashUnit2, hashUnit3, Rng } from './rng.js';
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

/**
 * Goods up to which the scheme runs on dense per-bidder arrays, as the published generator does
 * (O(n) per item added; the instances of earlier releases, byte for byte). Above it a lazy
 * sampler draws from the same law in O(bundle²) per bidder, so 10,000 × 100,000 takes seconds.
 */
export const DENSE_MAX_GOODS = 2048;

/**
 * Symmetric compatibility of two distinct goods, in [0, 1]. A sparse relation (the grid's) also
 * numbers the `slots` of each good's neighbourhood: `neighbourAt(i, s)` is a good or −1, and every
 * good compatible with `i` sits in one of its slots.
 */
export interface Compat {
  value(i: number, j: number): number;
  readonly slots?: number;
  neighbourAt?(i: number, slot: number): number;
}

/** Random pairwise compatibility in [0, 1), from a hash: no n×n matrix is stored. */
export function randomCompat(salt: number): Compat {
  return { value: (i, j) => (i < j ? hashUnit3(salt, i, j) : hashUnit3(salt, j, i)) };
}

/** Grid compatibility for `regions`: 4-neighbours 1, a random third of diagonals 0.5, else 0. */
export function gridCompat(n: number, salt: number): Compat {
  const w = Math.max(1, Math.ceil(Math.sqrt(n)));
  return {
    value: (i, j) => {
      const dx = Math.abs((i % w) - (j % w));
      const dy = Math.abs(Math.floor(i / w) - Math.floor(j / w));
      if (dx + dy === 1) return 1;
      if (dx === 1 && dy === 1) return hashUnit3(salt, Math.min(i, j), Math.max(i, j)) < 1 / 3 ? 0.5 : 0;
      return 0;
    },
    slots: 8,
    neighbourAt: (i, slot) => {
      const k = slot < 4 ? slot : slot + 1; // the 3×3 block without its centre
      const dx = (k % 3) - 1;
      const dy = Math.floor(k / 3) - 1;
      const x = i % w;
      const j = i + dy * w + dx;
      return x + dx >= 0 && x + dx < w && j >= 0 && j < n ? j : -1;
    },
  };
}

/** What a bundle grower needs of one bidder: its interest in each good, and a bundle under construction. */
interface Grower {
  readonly size: number;
  start(item: number): void;
  grow(): void;
  bundle(): number[];
}

/** Generates `bids` bids on `n` goods by the scheme (`sampler`: tests compare the two laws). */
export function interestInstance(
  n: number, bids: number, seed: number, params: InterestParams, compatOf: (salt: number) => Compat,
  sampler: 'dense' | 'lazy' = n <= DENSE_MAX_GOODS ? 'dense' : 'lazy',
): Instance {
  const rng = new Rng(seed, 0x1e57);
  const compat = compatOf(rng.int(0, 2 ** 31 - 1));
  const values = Float64Array.from({ length: n }, () => rng.between(params.minValue, params.maxValue));
  const dense = sampler === 'dense' ? new DenseGrower(new DenseGoods(n, compat), rng) : undefined;
  const lazy = dense === undefined ? new LazyGrower(n, compat, rng) : undefined;
  const interestCache = new Float64Array(lazy === undefined ? 0 : n);
  const interestStamp = new Int32Array(lazy === undefined ? 0 : n);
  let interestGeneration = 0;
  const out: DraftBid[] = [];
  let bidder = 0;
  while (out.length < bids) {
    // Interest of this bidder in every good: drawn from the stream (dense) or hashed on demand (lazy).
    let interestOf: (g: number) => number;
    let grower: Grower;
    let firstItem: number;
    if (dense !== undefined) {
      const interest = Float64Array.from({ length: n }, () => rng.float());
      interestOf = (g) => interest[g] ?? 0;
      grower = dense.forBidder(interest);
      firstItem = rng.weighted(interest);
    } else {
      const salt = rng.int(0, 2 ** 31 - 1);
      // Hashed once per (bidder, good): the candidates revisit the goods around the first bundle.
      const generation = ++interestGeneration;
      interestOf = (g) => {
        if (interestStamp[g] === generation) return interestCache[g] as number;
        interestStamp[g] = generation;
        return (interestCache[g] = hashUnit2(salt, g));
      };
      grower = (lazy as LazyGrower).forBidder(interestOf);
      firstItem = drawByInterest(n, interestOf, rng, () => false);
    }
    const priv = (g: number): number => (values[g] ?? 0) + params.maxValue * params.valueDeviation * (2 * interestOf(g) - 1);
    // Summed in bundle order, as earlier releases did (the same floats, the same rounding).
    const priceOf = (bundle: readonly number[]): number => {
      let s = 0;
      for (let k = 0; k < bundle.length; k++) s += priv(bundle[k] as number);
      return s + Math.pow(bundle.length, 1 + params.additivity);
    };

    grower.start(firstItem);
    while (rng.chance(params.addItemProb) && grower.size < n) grower.grow();
    const first = grower.bundle();
    const price = priceOf(first);
    if (price < 0) continue;

    const name = `u${bidder++}`;
    const mine: DraftBid[] = [{ bidder: name, goods: first, price }];
    // Substitutes: one candidate grown from each item of the first bundle, same size.
    const candidates = new Array<{ goods: number[]; price: number }>(first.length);
    for (let k = 0; k < first.length; k++) {
      grower.start(first[k] as number);
      while (grower.size < first.length) grower.grow();
      const goods = grower.bundle();
      candidates[k] = { goods, price: priceOf(goods) };
    }
    candidates.sort((a, b) => b.price - a.price);
    const budget = params.budgetFactor * price;
    const resaleFloor = params.resaleFactor * valueOf(values, first);
    for (const c of candidates) {
      if (mine.length > params.maxSubBids || out.length + mine.length >= bids) break;
      if (c.price < 0 || c.price > budget || mine.some((b) => sameGoods(b.goods, c.goods))) continue;
      if (valueOf(values, c.goods) < resaleFloor) continue;
      mine.push({ bidder: name, goods: c.goods, price: c.price });
    }
    const group = mine.length > 1 ? `x${name}` : undefined;
    for (const b of mine) out.push(group === undefined ? b : { bidder: b.bidder, goods: b.goods, price: b.price, group });
  }
  return finish({ rollupIds: goodIds(n), bids: out, decimals: 4 });
}

/** Σ common values of a bundle, in bundle order. */
function valueOf(values: Float64Array, goods: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < goods.length; k++) s += values[goods[k] as number] ?? 0;
  return s;
}

/** Whether two sorted bundles hold the same goods (what comparing their joined keys gave). */
function sameGoods(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** A good drawn with probability ∝ interest (+1e-12) among those not `taken`, by rejection. */
function drawByInterest(n: number, interestOf: (g: number) => number, rng: Rng, taken: (g: number) => boolean): number {
  for (;;) {
    const j = rng.int(0, n - 1);
    if (!taken(j) && rng.float() * (1 + 1e-12) < interestOf(j) + 1e-12) return j;
  }
}

/** The compatibility matrix of the dense path (n ≤ DENSE_MAX_GOODS), computed once per instance. */
class DenseGoods {
  readonly matrix: Float64Array;

  constructor(readonly n: number, compat: Compat) {
    this.matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const c = compat.value(i, j);
        this.matrix[i * n + j] = c;
        this.matrix[j * n + i] = c;
      }
    }
  }
}

/** Grows one bundle on dense arrays: next item drawn ∝ interest × summed compatibility with the bundle. */
class DenseGrower implements Grower {
  private readonly inBundle: Uint8Array;
  private readonly affinity: Float64Array;
  private readonly weights: Float64Array;
  private items: number[] = [];
  private interest: Float64Array = new Float64Array(0);

  constructor(private readonly goods: DenseGoods, private readonly rng: Rng) {
    this.inBundle = new Uint8Array(goods.n);
    this.affinity = new Float64Array(goods.n);
    this.weights = new Float64Array(goods.n);
  }

  /** This grower, for the next bidder (one set of arrays serves every bidder). */
  forBidder(interest: Float64Array): this {
    this.interest = interest;
    return this;
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
    const { n } = this.goods;
    let any = false;
    let total = 0;
    for (let j = 0; j < n; j++) {
      const w = this.inBundle[j] === 1 ? 0 : (this.interest[j] ?? 0) * (this.affinity[j] ?? 0);
      this.weights[j] = w;
      total += w;
      if (w > 0) any = true;
    }
    if (any) return this.add(this.rng.weightedOfTotal(this.weights, total));
    // Nothing compatible left (e.g. an enclosed grid cell): any free item by interest.
    for (let j = 0; j < n; j++) this.weights[j] = this.inBundle[j] === 1 ? 0 : (this.interest[j] ?? 0) + 1e-12;
    this.add(this.rng.weighted(this.weights));
  }

  bundle(): number[] {
    return [...this.items].sort((a, b) => a - b);
  }

  private add(item: number): void {
    const { n, matrix } = this.goods;
    this.inBundle[item] = 1;
    this.items.push(item);
    const row = item * n;
    for (let j = 0; j < n; j++) if (j !== item) this.affinity[j] = (this.affinity[j] ?? 0) + (matrix[row + j] ?? 0);
  }
}

/**
 * Grows one bundle with the dense grower's law without O(n) work per item. Dense relation, by
 * rejection: draw a member g and a good j uniformly, accept with probability
 * interest(j)·compat(g, j) ≤ 1; an accepted j has probability ∝ Σ_g interest(j)·compat(g, j),
 * exactly the dense weight (after {@link LAZY_TRIES} rejections the weights are computed exactly:
 * the law is unchanged). Sparse relation (the grid): the exact weights of the bundle's frontier,
 * kept up to date as items are added (only the added item's neighbours change).
 */
class LazyGrower implements Grower {
  private readonly inBundle: Uint8Array;
  private items: number[] = [];
  /** A sparse relation tabulated once: good i's slot s holds neighbour `near[i·slots+s]` (or −1) at compatibility `nearCompat`. */
  private readonly slots: number;
  private readonly near: Int32Array;
  private readonly nearCompat: Float64Array;
  /**
   * Frontier of a sparse relation (the first `frontierSize` entries): goods, their summed
   * compatibility with the bundle, their interest, their weight interest × affinity, and the
   * weights' total. Interests are k/2^32 and compatibilities halves, so every weight and every
   * partial sum is exact in a double: the total kept up to date is the total summed afresh.
   */
  private readonly position: Int32Array;
  private readonly frontier: Int32Array;
  private readonly affinity: Float64Array;
  private readonly interest: Float64Array;
  private readonly weights: Float64Array;
  private frontierSize = 0;
  private total = 0;

  private interestOf: (g: number) => number = () => 0;

  constructor(private readonly n: number, private readonly compat: Compat, private readonly rng: Rng) {
    this.inBundle = new Uint8Array(n);
    this.slots = compat.slots ?? 0;
    const sparse = this.slots > 0 ? n : 0;
    this.near = new Int32Array(sparse * this.slots);
    this.nearCompat = new Float64Array(sparse * this.slots);
    for (let i = 0; i < sparse; i++) {
      for (let slot = 0; slot < this.slots; slot++) {
        const j = compat.neighbourAt?.(i, slot) ?? -1;
        this.near[i * this.slots + slot] = j;
        this.nearCompat[i * this.slots + slot] = j < 0 ? 0 : compat.value(i, j);
      }
    }
    this.position = new Int32Array(sparse).fill(-1);
    this.frontier = new Int32Array(sparse);
    this.affinity = new Float64Array(sparse);
    this.interest = new Float64Array(sparse);
    this.weights = new Float64Array(sparse);
  }

  /** This grower, for the next bidder (one set of arrays serves every bidder). */
  forBidder(interestOf: (g: number) => number): this {
    this.interestOf = interestOf;
    return this;
  }

  get size(): number {
    return this.items.length;
  }

  start(item: number): void {
    for (const g of this.items) this.inBundle[g] = 0;
    for (let k = 0; k < this.frontierSize; k++) this.position[this.frontier[k] as number] = -1;
    this.items = [];
    this.frontierSize = 0;
    this.total = 0;
    this.add(item);
  }

  grow(): void {
    if (this.slots > 0) return this.add(this.frontierDraw());
    const { compat, rng, items, inBundle } = this;
    for (let tries = 0; tries < LAZY_TRIES; tries++) {
      const g = items[rng.int(0, items.length - 1)] as number;
      const j = rng.int(0, this.n - 1);
      if (inBundle[j] === 1) continue;
      // u < interest·compat implies u < interest (compat ≤ 1): the compatibility hash only when needed.
      const u = rng.float();
      const a = this.interestOf(j);
      if (u < a && u < a * compat.value(g, j)) return this.add(j);
    }
    this.add(this.exactDraw());
  }

  bundle(): number[] {
    return sortedCopy(this.items);
  }

  /** A frontier good ∝ interest × affinity; none positive: any free good by interest. */
  private frontierDraw(): number {
    const { weights, frontierSize: size, total } = this;
    if (total > 0) {
      // Rng.weightedOfTotal over the first `size` weights, without a subarray per draw.
      let r = this.rng.float() * total;
      let last = -1;
      for (let k = 0; k < size; k++) {
        const w = weights[k] as number;
        if (w <= 0) continue;
        last = k;
        r -= w;
        if (r < 0) return this.frontier[k] as number;
      }
      return this.frontier[last] as number;
    }
    return drawByInterest(this.n, this.interestOf, this.rng, (g) => this.inBundle[g] === 1);
  }

  /** The dense grower's draw, over all free goods. */
  private exactDraw(): number {
    const free: number[] = [];
    const weights: number[] = [];
    for (let j = 0; j < this.n; j++) {
      if (this.inBundle[j] === 1) continue;
      let a = 0;
      for (const g of this.items) a += this.compat.value(g, j);
      free.push(j);
      weights.push(this.interestOf(j) * a);
    }
    return free[this.rng.weighted(weights)] as number;
  }

  private add(item: number): void {
    this.inBundle[item] = 1;
    this.items.push(item);
    if (this.slots === 0) return;
    const { frontier, affinity, interest, weights, position } = this;
    const at = position[item] as number;
    if (at >= 0) {
      // Swap-remove the item from the frontier.
      this.total -= weights[at] as number;
      const last = --this.frontierSize;
      const moved = frontier[last] as number;
      frontier[at] = moved;
      affinity[at] = affinity[last] as number;
      interest[at] = interest[last] as number;
      weights[at] = weights[last] as number;
      position[moved] = at;
      position[item] = -1;
    }
    const base = item * this.slots;
    for (let slot = 0; slot < this.slots; slot++) {
      const j = this.near[base + slot] as number;
      if (j < 0 || this.inBundle[j] === 1) continue;
      const c = this.nearCompat[base + slot] as number;
      const k = position[j] as number;
      if (k >= 0) {
        const a = (affinity[k] as number) + c;
        const w = (interest[k] as number) * a;
        this.total += w - (weights[k] as number);
        affinity[k] = a;
        weights[k] = w;
      } else {
        const end = this.frontierSize++;
        const i = this.interestOf(j);
        position[j] = end;
        frontier[end] = j;
        affinity[end] = c;
        interest[end] = i;
        weights[end] = i * c;
        this.total += i * c;
      }
    }
  }
}

/** The goods in increasing order (insertion sort: bundles are small). */
function sortedCopy(items: readonly number[]): number[] {
  const out = items.slice();
  for (let i = 1; i < out.length; i++) {
    const v = out[i] as number;
    let j = i - 1;
    while (j >= 0 && (out[j] as number) > v) {
      out[j + 1] = out[j] as number;
      j--;
    }
    out[j + 1] = v;
  }
  return out;
}

/** Rejections before the lazy grower computes a dense relation's draw exactly. */
const LAZY_TRIES = 64;
