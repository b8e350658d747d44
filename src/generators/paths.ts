/**
 * CATS `paths` (Leyton-Brown et al. 2000, §4.1): goods are the edges of a random near-planar
 * road network between cities in the plane; each bidder wants to connect two cities and bids,
 * XOR, on up to five alternative routes, paying its budget minus the route's length.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { hashPrefix2, Rng } from './rng.js';
import type { Instance } from '../model/types.js';

interface Edge {
  readonly a: number;
  readonly b: number;
  readonly length: number;
}

/** `bids` route bids over a network with exactly `n` edges (goods) (`sampler`: tests compare the two laws). */
export function pathsInstance(n: number, bids: number, seed: number, sampler: 'dense' | 'lazy' = n <= PATHS_DENSE_MAX_GOODS ? 'dense' : 'lazy'): Instance {
  const rng = new Rng(seed, 0x9a7);
  const cities = n === 1 ? 2 : Math.max(3, Math.round(n / 2.2));
  const x = Float64Array.from({ length: cities }, () => rng.between(0, 100));
  const y = Float64Array.from({ length: cities }, () => rng.between(0, 100));
  const dist = (i: number, j: number): number => Math.hypot((x[i] ?? 0) - (x[j] ?? 0), (y[i] ?? 0) - (y[j] ?? 0));
  const edges = network(cities, n, dist, new NearestIndex(x, y, dist));
  const adjacency: number[][] = Array.from({ length: cities }, () => []);
  edges.forEach((e, k) => {
    adjacency[e.a]?.push(k);
    adjacency[e.b]?.push(k);
  });

  const lazy = sampler === 'lazy';
  const search = lazy ? new AStar(edges, adjacency, x, y) : undefined;
  const out: DraftBid[] = [];
  let bidder = 0;
  while (out.length < bids) {
    const [s, t] = rng.sample(cities, 2) as [number, number];
    const shortest = search !== undefined ? search.route(s, t, 0, 0) : route(edges, adjacency, s, t, () => 1);
    if (shortest === null) continue;
    const budget = shortest.cost * rng.between(1.2, 2);
    const name = `u${bidder++}`;
    const salt = lazy ? rng.int(0, 2 ** 31 - 1) : 0;
    const mine: DraftBid[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 10 && mine.length < 5 && out.length + mine.length < bids; attempt++) {
      // Alternatives: shortest routes under randomly perturbed edge lengths (uniform in [1, 1.6)),
      // drawn from the stream for every edge (dense) or hashed for the edges a search reaches (lazy).
      const r = attempt === 0 ? shortest
        : search !== undefined ? search.route(s, t, salt, attempt)
          : route(edges, adjacency, s, t, () => rng.between(1, 1.6));
      if (r === null || r.cost >= budget) continue;
      const key = r.edges.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      mine.push({ bidder: name, goods: r.edges, price: budget - r.cost, group: `x${name}` });
    }
    out.push(...mine);
  }
  return finish({ rollupIds: goodIds(n), bids: out, decimals: 4 });
}

/**
 * Goods (edges) up to which each alternative route draws a perturbation for every edge from the
 * stream, as earlier releases did (their instances byte for byte); above it the perturbations are
 * hashed per (bidder, attempt, edge) and routes found by A*, which reaches few edges: same law.
 */
export const PATHS_DENSE_MAX_GOODS = 2048;

/** Cities up to which the nearest earlier city is found by a plain scan. */
const NEAREST_SCAN = 64;

/** Landmarks of the lazy sampler's A* lower bounds (ALT: Goldberg & Harrelson 2005). */
const LANDMARKS = 8;

/** A connected network with exactly `n` edges: nearest-earlier-city tree, then shortest extra links. */
function network(cities: number, n: number, dist: (i: number, j: number) => number, index: NearestIndex): Edge[] {
  const edges: Edge[] = [];
  const used = new Set<string>();
  const add = (a: number, b: number): void => {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (used.has(key) || edges.length >= n) return;
    used.add(key);
    edges.push({ a: Math.min(a, b), b: Math.max(a, b), length: dist(a, b) });
  };
  for (let i = 1; i < cities; i++) add(i, index.nearestEarlier(i));
  // Extra links from each city's k nearest, shortest first; k grows until there are enough.
  for (let k = 4; edges.length < n && k < cities + 4; k *= 2) {
    const extra: [number, number, number][] = [];
    for (let i = 0; i < cities; i++) {
      for (const j of index.nearest(i, k)) extra.push([dist(i, j), Math.min(i, j), Math.max(i, j)]);
    }
    extra.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
    for (const [, a, b] of extra) add(a, b);
  }
  return edges;
}

/** Dijkstra from s to t with lengths scaled by `factor()` (one draw per edge); real length returned. */
function route(edges: readonly Edge[], adjacency: readonly number[][], s: number, t: number, factor: () => number): { edges: number[]; cost: number } | null {
  const scaled = edges.map((e) => e.length * factor());
  const dist = new Float64Array(adjacency.length).fill(Infinity);
  const via = new Int32Array(adjacency.length).fill(-1);
  const done = new Uint8Array(adjacency.length);
  dist[s] = 0;
  const heap = new MinHeap();
  heap.push(0, s);
  for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
    const u = top[1];
    if (done[u] === 1) continue;
    if (u === t) break;
    done[u] = 1;
    for (const k of adjacency[u] ?? []) {
      const e = edges[k] as Edge;
      const v = e.a === u ? e.b : e.a;
      const d = (dist[u] ?? 0) + (scaled[k] ?? 0);
      if (d < (dist[v] ?? Infinity)) {
        dist[v] = d;
        via[v] = k;
        heap.push(d, v);
      }
    }
  }
  if (via[t] === -1) return null;
  const path: number[] = [];
  let cost = 0;
  for (let v = t; v !== s;) {
    const k = via[v] ?? -1;
    const e = edges[k] as Edge;
    path.push(k);
    cost += e.length;
    v = e.a === v ? e.b : e.a;
  }
  return { edges: path.sort((a, b) => a - b), cost };
}

/**
 * A* from s to t with edge k's length scaled by a factor in [1, 1.6) hashed from (salt, attempt, k)
 * (attempt 0: no scaling) and the straight-line distance to t as the (consistent) heuristic: the
 * same shortest route as Dijkstra, reaching fewer edges. The network is held in flat arrays
 * (adjacency in CSR form), and the arrays are reused between searches (a stamp marks what is current).
 */
class AStar {
  private readonly start: Int32Array;
  private readonly edgeOf: Int32Array;
  private readonly other: Int32Array;
  private readonly length: Float64Array;
  private readonly dist: Float64Array;
  private readonly h: Float64Array;
  private readonly via: Int32Array;
  private readonly seen: Int32Array;
  private readonly done: Int32Array;
  private readonly heap = new FlatHeap();
  /** The route search's heap: one entry per arc at most, plus the source. */
  private readonly heapKeys: Float64Array;
  private readonly heapValues: Int32Array;
  private stamp = 0;
  /** Unperturbed distances from each landmark, city-major: `fromLandmark[v·landmarks + l]` (ALT lower bounds). */
  private readonly fromLandmark: Float64Array;
  private readonly landmarks: number;
  /** The current search's target's distances from each landmark. */
  private readonly targetFrom: Float64Array;
  /** Lower bounds to `boundTarget` are valid where `boundStamp[v] === boundGeneration` (a bidder's searches share a target). */
  private readonly boundStamp: Int32Array;
  private boundGeneration = 0;
  private boundTarget = -1;

  constructor(private readonly edges: readonly Edge[], adjacency: readonly number[][], private readonly x: Float64Array, private readonly y: Float64Array) {
    const c = adjacency.length;
    this.start = new Int32Array(c + 1);
    for (let v = 0; v < c; v++) this.start[v + 1] = (this.start[v] as number) + (adjacency[v]?.length ?? 0);
    this.edgeOf = new Int32Array(this.start[c] as number);
    this.other = new Int32Array(this.start[c] as number);
    this.length = new Float64Array(this.start[c] as number);
    for (let v = 0; v < c; v++) {
      let at = this.start[v] as number;
      for (const k of adjacency[v] ?? []) {
        const e = edges[k] as Edge;
        this.edgeOf[at] = k;
        this.other[at] = e.a === v ? e.b : e.a;
        this.length[at++] = e.length;
      }
    }
    this.heapKeys = new Float64Array((this.start[c] as number) + 1);
    this.heapValues = new Int32Array((this.start[c] as number) + 1);
    this.dist = new Float64Array(c);
    this.h = new Float64Array(c);
    this.via = new Int32Array(c);
    this.seen = new Int32Array(c);
    this.done = new Int32Array(c);
    // Landmarks by farthest-point selection from city 0; the triangle inequality on the
    // unperturbed network bounds every perturbed distance (factors are >= 1) from below.
    let next = 0;
    const nearest = new Float64Array(c).fill(Infinity);
    this.landmarks = Math.min(LANDMARKS, c);
    this.fromLandmark = new Float64Array(c * this.landmarks);
    for (let l = 0; l < this.landmarks; l++) {
      const d = this.distancesFrom(next);
      for (let v = 0; v < c; v++) this.fromLandmark[v * this.landmarks + l] = d[v] as number;
      let far = 0;
      for (let v = 0; v < c; v++) {
        const dv = d[v] as number;
        if (dv < (nearest[v] as number)) nearest[v] = dv;
        if ((nearest[v] as number) > (nearest[far] as number) && Number.isFinite(nearest[v])) far = v;
      }
      next = far;
    }
    this.targetFrom = new Float64Array(this.landmarks);
    this.boundStamp = new Int32Array(c);
  }

  /** Unperturbed shortest distances from `s` to every city (Dijkstra). */
  private distancesFrom(s: number): Float64Array {
    const { start, other, length, heap } = this;
    const dist = new Float64Array(start.length - 1).fill(Infinity);
    const done = new Uint8Array(start.length - 1);
    heap.clear();
    dist[s] = 0;
    heap.push(0, s);
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u] === 1) continue;
      done[u] = 1;
      const end = start[u + 1] as number;
      for (let a = start[u] as number; a < end; a++) {
        const v = other[a] as number;
        const d = (dist[u] as number) + (length[a] as number);
        if (d < (dist[v] as number)) {
          dist[v] = d;
          heap.push(d, v);
        }
      }
    }
    return dist;
  }

  /** A lower bound on the (perturbed) distance from v to the current target: straight line, or ALT. */
  private lower(v: number, tx: number, ty: number): number {
    let best = Math.hypot((this.x[v] as number) - tx, (this.y[v] as number) - ty);
    const { fromLandmark, targetFrom, landmarks } = this;
    const base = v * landmarks;
    for (let l = 0; l < landmarks; l++) {
      const b = Math.abs((targetFrom[l] as number) - (fromLandmark[base + l] as number));
      if (b > best) best = b;
    }
    return best;
  }

  /** The shortest route under the perturbation of (salt, attempt); attempt 0 is the unperturbed network. */
  route(s: number, t: number, salt: number, attempt: number): { edges: number[]; cost: number } | null {
    const { start, edgeOf, other, length, dist, h, via, seen, done, x, y } = this;
    const stamp = ++this.stamp;
    const prefix = hashPrefix2(salt, attempt);
    const tx = x[t] as number;
    const ty = y[t] as number;
    seen[s] = stamp;
    dist[s] = 0;
    via[s] = -1;
    const { boundStamp } = this;
    if (t !== this.boundTarget) {
      this.boundTarget = t;
      ++this.boundGeneration;
      for (let l = 0; l < this.landmarks; l++) this.targetFrom[l] = this.fromLandmark[t * this.landmarks + l] as number;
    }
    const bound = this.boundGeneration;
    if (boundStamp[s] !== bound) {
      h[s] = this.lower(s, tx, ty);
      boundStamp[s] = bound;
    }
    // The heap inline (the same order as FlatHeap: keys, ties by city); a search pushes at most once per arc.
    const keys = this.heapKeys;
    const values = this.heapValues;
    let size = 1;
    keys[0] = h[s] as number;
    values[0] = s;
    const scale = attempt === 0 ? 0 : 0.6;
    let reached = false;
    while (size > 0) {
      const u = values[0] as number;
      // Pop: the last entry sifted down from the root.
      const n = --size;
      const lk = keys[n] as number;
      const lv = values[n] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        let m = l;
        let mk = keys[l] as number;
        let mv = values[l] as number;
        if (l + 1 < n) {
          const rk = keys[l + 1] as number;
          const rv = values[l + 1] as number;
          if (rk < mk || (rk === mk && rv < mv)) { m = l + 1; mk = rk; mv = rv; }
        }
        if (lk < mk || (lk === mk && lv <= mv)) break;
        keys[i] = mk;
        values[i] = mv;
        i = m;
      }
      keys[i] = lk;
      values[i] = lv;
      if (done[u] === stamp) continue;
      if (u === t) { reached = true; break; }
      done[u] = stamp;
      const du = dist[u] as number;
      const end = start[u + 1] as number;
      for (let a = start[u] as number; a < end; a++) {
        const v = other[a] as number;
        if (done[v] === stamp) continue;
        // hashUnitAfter(prefix, k), inlined: two words of the murmur3 finaliser (k < 2^32).
        let w = Math.imul(prefix ^ (edgeOf[a] as number), 0x85ebca6b);
        w ^= w >>> 13;
        w = Math.imul(w, 0xc2b2ae35);
        w ^= w >>> 16;
        w = Math.imul(w, 0x85ebca6b);
        w ^= w >>> 13;
        w = Math.imul(w, 0xc2b2ae35);
        w ^= w >>> 16;
        const d = du + (length[a] as number) * (1 + scale * ((w >>> 0) / 2 ** 32));
        if (seen[v] !== stamp || d < (dist[v] as number)) {
          if (boundStamp[v] !== bound) {
            h[v] = this.lower(v, tx, ty);
            boundStamp[v] = bound;
          }
          seen[v] = stamp;
          dist[v] = d;
          via[v] = edgeOf[a] as number;
          // Push: sift up.
          const key = d + (h[v] as number);
          let j = size++;
          while (j > 0) {
            const q = (j - 1) >> 1;
            const qk = keys[q] as number;
            const qv = values[q] as number;
            if (qk < key || (qk === key && qv <= v)) break;
            keys[j] = qk;
            values[j] = qv;
            j = q;
          }
          keys[j] = key;
          values[j] = v;
        }
      }
    }
    if (!reached) return null;
    const path: number[] = [];
    let cost = 0;
    for (let v = t; v !== s;) {
      const k = via[v] ?? -1;
      const e = this.edges[k] as Edge;
      path.push(k);
      cost += e.length;
      v = e.a === v ? e.b : e.a;
    }
    return { edges: path.sort((a, b) => a - b), cost };
  }
}

/** Binary min-heap of (key, value) on growable typed arrays, ties by value. */
class FlatHeap {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.keys = keys;
      this.values = values;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = this.keys[p] ?? 0;
      const pv = this.values[p] ?? 0;
      if (pk < key || (pk === key && pv <= value)) break;
      this.keys[i] = pk;
      this.values[i] = pv;
      i = p;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  /** Removes and returns the smallest value (the heap must not be empty). */
  pop(): number {
    const top = this.values[0] ?? 0;
    const n = --this.size;
    const key = this.keys[n] ?? 0;
    const value = this.values[n] ?? 0;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      if (r < n && ((this.keys[r] ?? 0) < (this.keys[l] ?? 0) || ((this.keys[r] ?? 0) === (this.keys[l] ?? 0) && (this.values[r] ?? 0) < (this.values[l] ?? 0)))) m = r;
      const mk = this.keys[m] ?? 0;
      const mv = this.values[m] ?? 0;
      if (key < mk || (key === mk && value <= mv)) break;
      this.keys[i] = mk;
      this.values[i] = mv;
      i = m;
    }
    this.keys[i] = key;
    this.values[i] = value;
    return top;
  }
}

/**
 * The k nearest other cities of a city, nearest first, ties by index: exactly what sorting all
 * cities by distance (stably) and keeping k gives, found from a uniform grid of cells.
 */
class NearestIndex {
  private readonly side: number;
  private readonly cells: number[][];

  constructor(private readonly x: Float64Array, private readonly y: Float64Array, private readonly dist: (i: number, j: number) => number) {
    // About two cities per cell over the 100 × 100 square.
    this.side = Math.max(1, Math.floor(Math.sqrt(x.length / 2)));
    this.cells = Array.from({ length: this.side * this.side }, () => []);
    for (let i = 0; i < x.length; i++) this.cells[this.cellOf(i)]?.push(i);
  }

  /** The nearest city with a smaller index, ties by index (what a scan of 0 … i−1 keeping the first minimum gives). */
  nearestEarlier(i: number): number {
    if (i <= NEAREST_SCAN) {
      let best = 0;
      for (let j = 1; j < i; j++) if (this.dist(i, j) < this.dist(i, best)) best = j;
      return best;
    }
    const cell = 100 / this.side;
    const cx = this.coord(this.x[i] ?? 0);
    const cy = this.coord(this.y[i] ?? 0);
    let best = -1;
    let bestDist = Infinity;
    for (let ring = 0; ring <= this.side; ring++) {
      for (let gy = cy - ring; gy <= cy + ring; gy++) {
        if (gy < 0 || gy >= this.side) continue;
        const step = gy === cy - ring || gy === cy + ring ? 1 : 2 * ring;
        for (let gx = cx - ring; gx <= cx + ring; gx += Math.max(1, step)) {
          if (gx < 0 || gx >= this.side) continue;
          for (const j of this.cells[gy * this.side + gx] ?? []) {
            if (j >= i) continue;
            const d = this.dist(i, j);
            if (d < bestDist || (d === bestDist && j < best)) {
              best = j;
              bestDist = d;
            }
          }
        }
      }
      // Every city outside the rings seen so far is at least `ring · cell` away.
      if (best >= 0 && bestDist < ring * cell) return best;
    }
    return best;
  }

  nearest(i: number, k: number): number[] {
    const count = this.x.length;
    if (k >= count - 1) return this.sorted(i, Array.from({ length: count }, (_, j) => j).filter((j) => j !== i)).slice(0, k);
    const cell = 100 / this.side;
    const cx = this.coord(this.x[i] ?? 0);
    const cy = this.coord(this.y[i] ?? 0);
    const found: number[] = [];
    for (let ring = 0; ; ring++) {
      for (let gy = cy - ring; gy <= cy + ring; gy++) {
        for (let gx = cx - ring; gx <= cx + ring; gx++) {
          if (Math.max(Math.abs(gx - cx), Math.abs(gy - cy)) !== ring || gx < 0 || gy < 0 || gx >= this.side || gy >= this.side) continue;
          for (const j of this.cells[gy * this.side + gx] ?? []) if (j !== i) found.push(j);
        }
      }
      // Every city outside the rings seen so far is at least `ring · cell` away.
      if (found.length >= k) {
        const near = this.sorted(i, found);
        if (this.dist(i, near[k - 1] as number) < ring * cell || ring >= this.side) return near.slice(0, k);
      }
    }
  }

  private sorted(i: number, js: number[]): number[] {
    return js.sort((a, b) => this.dist(i, a) - this.dist(i, b) || a - b);
  }

  private coord(v: number): number {
    return Math.min(this.side - 1, Math.max(0, Math.floor(v / (100 / this.side))));
  }

  private cellOf(i: number): number {
    return this.coord(this.y[i] ?? 0) * this.side + this.coord(this.x[i] ?? 0);
  }
}

/** Binary min-heap of (key, value) pairs, ties by value (deterministic). */
class MinHeap {
  private readonly items: [number, number][] = [];

  push(key: number, value: number): void {
    const a = this.items;
    a.push([key, value]);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(a[i] as [number, number], a[p] as [number, number])) break;
      [a[i], a[p]] = [a[p] as [number, number], a[i] as [number, number]];
      i = p;
    }
  }

  pop(): [number, number] | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && less(a[l] as [number, number], a[m] as [number, number])) m = l;
      if (r < a.length && less(a[r] as [number, number], a[m] as [number, number])) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as [number, number], a[i] as [number, number]];
      i = m;
    }
    return top;
  }
}

function less(p: readonly [number, number], q: readonly [number, number]): boolean {
  return p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]);
}
