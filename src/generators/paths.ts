/**
 * CATS `paths` (Leyton-Brown et al. 2000, §4.1): goods are the edges of a random near-planar
 * road network between cities in the plane; each bidder wants to connect two cities and bids,
 * XOR, on up to five alternative routes, paying its budget minus the route's length.
 */
import { finish, goodIds, type DraftBid } from './build.js';
import { Rng } from './rng.js';
import type { Instance } from '../model/types.js';

interface Edge {
  readonly a: number;
  readonly b: number;
  readonly length: number;
}

/** `bids` route bids over a network with exactly `n` edges (goods). */
export function pathsInstance(n: number, bids: number, seed: number): Instance {
  const rng = new Rng(seed, 0x9a7);
  const cities = n === 1 ? 2 : Math.max(3, Math.round(n / 2.2));
  const x = Float64Array.from({ length: cities }, () => rng.between(0, 100));
  const y = Float64Array.from({ length: cities }, () => rng.between(0, 100));
  const edges = network(cities, n, (i, j) => Math.hypot((x[i] ?? 0) - (x[j] ?? 0), (y[i] ?? 0) - (y[j] ?? 0)));
  const adjacency: number[][] = Array.from({ length: cities }, () => []);
  edges.forEach((e, k) => {
    adjacency[e.a]?.push(k);
    adjacency[e.b]?.push(k);
  });

  const out: DraftBid[] = [];
  let bidder = 0;
  while (out.length < bids) {
    const [s, t] = rng.sample(cities, 2) as [number, number];
    const shortest = route(edges, adjacency, s, t, () => 1);
    if (shortest === null) continue;
    const budget = shortest.cost * rng.between(1.2, 2);
    const name = `u${bidder++}`;
    const mine: DraftBid[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 10 && mine.length < 5 && out.length + mine.length < bids; attempt++) {
      // Alternatives: shortest routes under randomly perturbed edge lengths.
      const r = attempt === 0 ? shortest : route(edges, adjacency, s, t, () => rng.between(1, 1.6));
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

/** A connected network with exactly `n` edges: nearest-earlier-city tree, then shortest extra links. */
function network(cities: number, n: number, dist: (i: number, j: number) => number): Edge[] {
  const edges: Edge[] = [];
  const used = new Set<string>();
  const add = (a: number, b: number): void => {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (used.has(key) || edges.length >= n) return;
    used.add(key);
    edges.push({ a: Math.min(a, b), b: Math.max(a, b), length: dist(a, b) });
  };
  for (let i = 1; i < cities; i++) {
    let best = 0;
    for (let j = 1; j < i; j++) if (dist(i, j) < dist(i, best)) best = j;
    add(i, best);
  }
  // Extra links from each city's k nearest, shortest first; k grows until there are enough.
  for (let k = 4; edges.length < n && k < cities + 4; k *= 2) {
    const extra: [number, number, number][] = [];
    for (let i = 0; i < cities; i++) {
      const near = Array.from({ length: cities }, (_, j) => j).filter((j) => j !== i).sort((a, b) => dist(i, a) - dist(i, b)).slice(0, k);
      for (const j of near) extra.push([dist(i, j), Math.min(i, j), Math.max(i, j)]);
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
