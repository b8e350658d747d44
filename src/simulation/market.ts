/**
 * The simulated multi-slot market: the rollup-market generator's ecosystem (rollup ids, base
 * reserves, builders with refusals, spiky per-slot MEV and bundle bids), plus a reserve schedule
 * per rollup, a builder group that refuses one rollup, and a shill bidder on one rollup.
 * Deterministic in the configuration (same config, same slots).
 */
import { rollupMarketInstance } from '../generators/rollup-market.js';
import { UsageError } from '../model/errors.js';
import type { Bid } from '../model/types.js';
import { reservesAt, type ReserveStep, type RollupRegistration } from '../mechanism/registry.js';
import type { RoundRollup } from '../mechanism/types.js';

/** Size and parameters of the simulated market. */
export interface SimulatedMarketConfig {
  /** Slots (rounds) simulated, ≥ 1. */
  readonly slots: number;
  /** Rollups in the market, ≥ 3 (roles: a cautious rollup, a late joiner, a shill). */
  readonly rollups: number;
  /** Builders bidding each slot, 3–40; each slot has 10 bids per builder. */
  readonly bidders: number;
  /** Seed of the generator: the market is fixed by it, MEV and bids vary per slot. */
  readonly seed: number;
  /** The shill's self-bid as a multiple of its rollup's standalone value, in basis points (10000 = at value). */
  readonly shillMarkupBps: number;
  /** Share of builders refusing the refused rollup, basis points (5000: every second builder). Default 5000. */
  readonly refuserShareBps?: number;
}

/** A rollup of the simulated market and its role. */
export interface SimulatedRollup {
  readonly id: string;
  /** Reserve the generator gave it: its own value of sequencing itself (and its isolated-auction reserve). */
  readonly ownValue: bigint;
  /** Its registration with the shared market: reserve schedule and opt-in steps. */
  readonly registration: RollupRegistration & { readonly reserve: readonly ReserveStep[] };
  readonly role: 'cautious' | 'late-joiner' | 'shill' | 'refused' | 'plain';
}

/** One slot of the simulated market. */
export interface SimulatedSlot {
  readonly slot: number;
  /** Rollups opted in to shared sequencing this slot, with this slot's reserve, canonical order. */
  readonly rollups: readonly RoundRollup[];
  /** Honest builders' bids (≤ their value), only on opted-in rollups, refusals applied. */
  readonly bids: readonly Bid[];
  /** The shill's self-bid on its own rollup (null when its rollup is opted out). */
  readonly shill: Bid | null;
}

/** The whole simulated market. */
export interface SimulatedMarket {
  readonly config: SimulatedMarketConfig;
  /** All rollups in canonical order. */
  readonly rollups: readonly SimulatedRollup[];
  /** The shill's rollup id. */
  readonly shillRollup: string;
  /** The rollup refused by the builders listed in `refusers`. */
  readonly refusedRollup: string;
  /** Builders that refuse `refusedRollup` (their bids naming it are withdrawn). */
  readonly refusers: readonly string[];
  readonly slots: readonly SimulatedSlot[];
}

/** Bidder name of the shill (the shill rollup bidding on itself). */
export function shillBidder(rollup: string): string {
  return `shill:${rollup}`;
}

const ETH = 10n ** 18n;

/**
 * Generates the market. Roles (by generator order): rollup 0 is *cautious* (reserve 1 ETH for
 * the first fifth of the slots, then halved every tenth of the slots until it reaches its own
 * value), rollup 1 *joins late* (opted out for the first third), rollup 2 is the *shill's*, and
 * the last rollup is *refused* by `refuserShareBps` of the builders (default every second one). Honest bids are the generator's bids
 * (builders bid at most about their value: skill × realised MEV × synergy). The shill bids
 * `shillMarkupBps`/10⁴ × its standalone value (the larger of its own value and the best honest
 * singleton bid on it) on its own rollup.
 * @throws UsageError on sizes out of range.
 */
export function generateSimulatedMarket(config: SimulatedMarketConfig): SimulatedMarket {
  const int = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new UsageError(`simulate: ${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  };
  int('slots', config.slots, 1, 100_000);
  int('rollups', config.rollups, 3, 1000);
  int('bidders', config.bidders, 3, 40);
  int('seed', config.seed, 0, Number.MAX_SAFE_INTEGER);
  int('shill markup (bps)', config.shillMarkupBps, 0, 1_000_000);
  const bidsPerSlot = 10 * config.bidders;
  const base = rollupMarketInstance(config.rollups, bidsPerSlot, config.seed, 0);
  // The generator's rollup order is canonical; roles follow the generator's draft order (ids op-1, orbit-1, …).
  const draftOrder = draftIds(base.rollups.map((r) => r.id));
  const role = new Map<string, SimulatedRollup['role']>([
    [draftOrder[0] ?? '', 'cautious'], [draftOrder[1] ?? '', 'late-joiner'], [draftOrder[2] ?? '', 'shill'],
  ]);
  const refusedRollup = draftOrder[draftOrder.length - 1] ?? '';
  if (!role.has(refusedRollup)) role.set(refusedRollup, 'refused');
  const rollups: SimulatedRollup[] = base.rollups.map((r) => {
    const kind = role.get(r.id) ?? 'plain';
    return { id: r.id, ownValue: r.reserve, registration: registrationFor(r.id, kind, r.reserve, config.slots), role: kind };
  });
  const share = config.refuserShareBps ?? 5_000;
  int('refuser share (bps)', share, 0, 10_000);
  // Builder k refuses when ⌊(k+1)·share⌋ > ⌊k·share⌋: evenly spread (5000: builders 2, 4, 6, …).
  const refusers = builderNames(config.bidders).filter((_, k) => Math.floor(((k + 1) * share) / 10_000) > Math.floor((k * share) / 10_000));
  const refusing = new Set(refusers);
  const shillRollup = draftOrder[2] ?? '';
  const slots: SimulatedSlot[] = [];
  for (let s = 0; s < config.slots; s++) {
    const round = reservesAt(rollups.map((r) => r.registration), s);
    const open = new Set(round.map((r) => r.id));
    const instance = s === 0 ? base : rollupMarketInstance(config.rollups, bidsPerSlot, config.seed, s);
    const bids = instance.bids.filter((b) =>
      b.bundle.every((r) => open.has(r)) && !(refusing.has(b.bidder) && b.bundle.includes(refusedRollup)));
    const own = rollups.find((r) => r.id === shillRollup);
    let shill: Bid | null = null;
    if (own !== undefined && open.has(shillRollup)) {
      const bestSingleton = bids.reduce((m, b) => (b.bundle.length === 1 && b.bundle[0] === shillRollup && b.amount > m ? b.amount : m), 0n);
      const standalone = bestSingleton > own.ownValue ? bestSingleton : own.ownValue;
      shill = { id: 'shill', bidder: shillBidder(shillRollup), bundle: [shillRollup], amount: (standalone * BigInt(config.shillMarkupBps)) / 10_000n };
    }
    slots.push({ slot: s, rollups: round, bids, shill });
  }
  return { config, rollups, shillRollup, refusedRollup, refusers, slots };
}

/** Registration of a rollup by role (see {@link generateSimulatedMarket}). */
function registrationFor(id: string, role: SimulatedRollup['role'], own: bigint, slots: number): SimulatedRollup['registration'] {
  if (role === 'late-joiner') return { id, reserve: [{ fromSlot: 0, reserve: own }], optIn: [{ fromSlot: 0, optIn: false }, { fromSlot: Math.ceil(slots / 3), optIn: true }] };
  if (role !== 'cautious') return { id, reserve: [{ fromSlot: 0, reserve: own }] };
  // 1 ETH for the first fifth of the slots, then halved every tenth, then its own value.
  const reserve: ReserveStep[] = [{ fromSlot: 0, reserve: ETH }];
  const every = Math.max(1, Math.round(slots / 10));
  let from = Math.max(1, Math.ceil(slots / 5));
  for (let r = ETH / 2n; r > own; r /= 2n, from += every) reserve.push({ fromSlot: from, reserve: r });
  reserve.push({ fromSlot: from, reserve: own });
  return { id, reserve };
}

/** The generator's builder names for `bidders` builders (10 bids each). */
function builderNames(bidders: number): string[] {
  return Array.from({ length: bidders }, (_, k) => `builder-${String(k + 1).padStart(2, '0')}`);
}

/** Rollup ids with each ecosystem's first rollup ("<eco>-1") first: a stable, seed-determined order for the roles. */
function draftIds(ids: readonly string[]): string[] {
  const heads = ids.filter((id) => id.endsWith('-1'));
  return [...heads, ...ids.filter((id) => !id.endsWith('-1'))];
}
