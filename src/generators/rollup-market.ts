/**
 * The rollup market of the talk: rollups in a few ecosystems, each with a typical MEV value per
 * slot (log-normal, in ETH) that spikes in some slots; reserves (some zero, some near or above
 * the typical value, a few high); builders with home ecosystems, a skill factor and rollups they
 * refuse to sequence, bidding on bundles of related rollups (cross-rollup MEV makes a bundle
 * worth a little more than its parts), sometimes several alternatives joined by XOR.
 * Amounts are wei with a random sub-gwei tail, so answers must be exact to the unit.
 * The market (rollups, reserves, builders) depends on the seed only; MEV spikes and bids on
 * the seed and the slot.
 */
import { finish, type DraftBid } from './build.js';
import { Rng } from './rng.js';
import type { Instance } from '../model/types.js';

const ECOSYSTEMS = ['op', 'orbit', 'zk', 'stark', 'based', 'sov', 'app', 'game'] as const;
const GWEI = 1_000_000_000n;

interface Builder {
  readonly name: string;
  readonly home: readonly number[];
  readonly skill: number;
  readonly refuses: Uint8Array;
}

/** The market of a seed: rollups, ecosystems, typical MEV, reserves and builders (no slot yet). */
interface Market {
  readonly ids: readonly string[];
  readonly members: readonly (readonly number[])[];
  readonly typical: Float64Array;
  readonly reserves: readonly bigint[];
  readonly builders: readonly Builder[];
}

/** Draws the market of `(rollups, bids, seed)`; the same for every slot. */
function marketOf(rollups: number, bids: number, seed: number): Market {
  const market = new Rng(seed, 0x7011);
  const ecosystems = Math.max(1, Math.min(ECOSYSTEMS.length, Math.ceil(rollups / 6)));
  const ecosystemOf = Array.from({ length: rollups }, (_, i) => (i < ecosystems ? i : market.int(0, ecosystems - 1)));
  const counters = new Array<number>(ecosystems).fill(0);
  const ids = ecosystemOf.map((e) => `${ECOSYSTEMS[e] ?? 'x'}-${(counters[e] = (counters[e] ?? 0) + 1)}`);
  const members = Array.from({ length: ecosystems }, (_, e) => ecosystemOf.flatMap((f, i) => (f === e ? [i] : [])));
  // Typical MEV per slot: log-normal around 0.01 ETH.
  const typical = Float64Array.from({ length: rollups }, () => 0.01 * Math.exp(1.1 * market.normal()));
  const reserves = Array.from(typical, (v) => {
    const kind = market.float();
    const eth = kind < 0.35 ? 0 : kind < 0.92 ? v * market.between(0.3, 1.1) : v * market.between(2, 4);
    return ethToWei(eth, market);
  });
  const builderCount = Math.max(3, Math.min(40, Math.ceil(bids / 10)));
  const builders: Builder[] = Array.from({ length: builderCount }, (_, k) => ({
    name: `builder-${String(k + 1).padStart(2, '0')}`,
    home: market.sample(ecosystems, Math.min(ecosystems, market.int(1, 2))),
    skill: market.between(0.7, 1),
    refuses: Uint8Array.from({ length: rollups }, () => (market.chance(0.08) ? 1 : 0)),
  }));
  return { ids, members, typical, reserves, builders };
}

/** A slot's realised MEV per rollup (most near typical, some spike) and the slot's generator, positioned after it. */
function realisedOf(market: Market, seed: number, slot: number): { realised: Float64Array; rng: Rng } {
  const rng = new Rng(seed, 0x510f, slot);
  const realised = market.typical.map((v) => v * rng.between(0.6, 1.4) * (rng.chance(0.1) ? rng.between(3, 30) : 1));
  return { realised, rng };
}

/** Cross-rollup MEV: a bundle of n rollups is worth this factor times the sum of its parts. */
function synergy(n: number): number {
  return 1 + 0.06 * (n - 1);
}

/** One slot of a generated market: `rollups` rollups and `bids` bids. */
export function rollupMarketInstance(rollups: number, bids: number, seed: number, slot = 0): Instance {
  const market = marketOf(rollups, bids, seed);
  const { ids, members, reserves, builders } = market;
  const { realised, rng } = realisedOf(market, seed, slot);
  const out: DraftBid[] = [];
  const openGroup = new Map<string, { key: string; size: number; last: DraftBid }>();
  let groups = 0;
  while (out.length < bids) {
    const b = builders[rng.int(0, builders.length - 1)] as Builder;
    const goods = bundleFor(b, members, rollups, rng);
    if (goods.length === 0) continue;
    const parts = goods.reduce((s, g) => s + (realised[g] ?? 0), 0);
    const eth = parts * synergy(goods.length) * b.skill * rng.between(0.85, 1.05);
    const bid: DraftBid = { bidder: b.name, goods, price: ethToWei(eth, rng) };
    // Alternatives: "at most one of these" with the builder's previous bid.
    const open = openGroup.get(b.name);
    if (open !== undefined && open.size < 4 && rng.chance(0.3)) {
      open.last.group ??= open.key;
      bid.group = open.key;
      open.size++;
    } else {
      openGroup.set(b.name, { key: `${b.name}/alt-${++groups}`, size: 1, last: bid });
    }
    out.push(bid);
  }
  return finish({ rollupIds: ids, reserves, bids: out, decimals: 0 });
}

/**
 * A builder's value of sequencing a bundle in a slot of the market `(rollups, bids, seed)`, in
 * wei (floored): the bundle's realised MEV times the synergy of its size times the builder's
 * skill. Its bids in that slot are 0.85–1.05 of this (the generator's noise). Unknown builders
 * and rollups are worth 0; the market and the slot's MEV are the generator's own draws.
 */
export function rollupMarketValuation(rollups: number, bids: number, seed: number, slot: number): (builder: string, bundle: readonly string[]) => bigint {
  const market = marketOf(rollups, bids, seed);
  const { realised } = realisedOf(market, seed, slot);
  const index = new Map(market.ids.map((id, i) => [id, i] as const));
  const skill = new Map(market.builders.map((b) => [b.name, b.skill] as const));
  return (builder, bundle) => {
    const k = skill.get(builder);
    if (k === undefined || bundle.length === 0) return 0n;
    let parts = 0;
    for (const r of bundle) parts += realised[index.get(r) ?? -1] ?? 0;
    const eth = parts * synergy(bundle.length) * k;
    return eth <= 0 ? 0n : BigInt(Math.floor(eth * 1e9)) * GWEI;
  };
}

/** A bundle of rollups the builder will sequence: one, or several mostly from one ecosystem. */
function bundleFor(b: Builder, members: readonly (readonly number[])[], rollups: number, rng: Rng): number[] {
  const home = members[rng.pick(b.home)] ?? [];
  const first = rng.chance(0.8) && home.length > 0 ? rng.pick(home) : rng.int(0, rollups - 1);
  if (b.refuses[first] === 1) return [];
  const bundle = new Set([first]);
  const target = rng.chance(0.35) ? 1 : Math.min(rollups, 2 + Math.floor(-Math.log(1 - rng.float()) * 1.5));
  for (let tries = 0; bundle.size < target && tries < 4 * target; tries++) {
    const g = rng.chance(0.85) && home.length > 0 ? rng.pick(home) : rng.int(0, rollups - 1);
    if (b.refuses[g] !== 1) bundle.add(g);
  }
  return [...bundle].sort((p, q) => p - q);
}

/** ETH (float) to wei: gwei precision from the float plus a random sub-gwei tail. */
function ethToWei(eth: number, rng: Rng): bigint {
  if (eth <= 0) return 0n;
  return BigInt(Math.round(eth * 1e9)) * GWEI + BigInt(rng.int(0, 999_999_999));
}
