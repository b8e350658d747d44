/**
 * The read-only JSON behind the dashboard (`GET /v1/dashboard/…`, not part of §7): a window of
 * slots in compact per-rollup arrays (reserves, proposers, payouts), one slot's allocation
 * picture, and each slot's incumbent history as seen by this node since it started.
 */
import { compareIds } from '../model/order.js';
import type { MarketEvents } from './events.js';
import type { Market } from './market.js';

/** Most slots per overview request. */
export const MAX_OVERVIEW_SLOTS = 200;
/** Slots of the default overview window (ending with the last opened slot). */
export const DEFAULT_OVERVIEW_SLOTS = 100;

/** One point of a slot's incumbent history. */
export interface IncumbentPoint {
  readonly at: number;
  readonly value: string;
  readonly bound: string | null;
  readonly by: string;
  readonly seq: number;
}

/**
 * Records every accepted allocation per slot from the market's events (the last
 * {@link IncumbentHistory.SLOTS} slots, at most {@link IncumbentHistory.POINTS} points each).
 */
export class IncumbentHistory {
  static readonly SLOTS = 64;
  static readonly POINTS = 2000;
  private readonly slots = new Map<number, IncumbentPoint[]>();
  private readonly stop: () => void;

  constructor(events: MarketEvents) {
    this.stop = events.subscribe((e) => {
      if (e.type !== 'incumbent') return;
      const d = e.data;
      let list = this.slots.get(d.slot);
      if (list === undefined) {
        list = [];
        this.slots.set(d.slot, list);
        if (this.slots.size > IncumbentHistory.SLOTS) this.slots.delete(Math.min(...this.slots.keys()));
      }
      if (list.length < IncumbentHistory.POINTS) list.push({ at: d.at, value: d.value, bound: d.bound, by: d.by, seq: d.seq });
    }, { maxQueue: 100_000 });
  }

  /** A slot's points, oldest first. */
  of(slot: number): readonly IncumbentPoint[] {
    return this.slots.get(slot) ?? [];
  }

  close(): void {
    this.stop();
  }
}

/** A final slot's overview row, with proposers by address (fixed once final: cached). */
interface FinalRow {
  readonly bids: number;
  readonly value: string;
  readonly by: string | null;
  readonly reserves: readonly (string | null)[];
  /** Per rollup: the proposer's address, or null when it sequenced itself. */
  readonly proposers: readonly (string | null)[];
  readonly payouts: readonly string[];
  readonly refunds: string;
  readonly burned: string;
  readonly nextPrice: string | null;
}

/** Final rows kept per market (a result never changes, so neither does its row). */
const FINAL_ROWS = 512;
const finalRows = new WeakMap<Market, Map<number, FinalRow>>();

/** The configured rollup ids, canonical order (the index of every per-rollup array). */
function rollupIds(market: Market): string[] {
  return market.config.rollups.map((r) => r.id).sort(compareIds);
}

interface ResultBody {
  readonly value: string;
  readonly by: string | null;
  readonly bids: number;
  readonly proposers: readonly { readonly rollup: string; readonly proposer: string }[];
  readonly payouts: readonly { readonly rollup: string; readonly amount: string }[];
  readonly refunds: readonly { readonly amount: string }[];
  readonly burned: string;
  readonly nextPrice?: string;
  readonly bundles: readonly { readonly bundle: readonly string[]; readonly paid: string; readonly drawn: string; readonly proposer: string }[];
}

/**
 * The overview of slots [from, to] (default: the {@link DEFAULT_OVERVIEW_SLOTS} slots up to the
 * last opened one): per slot its phase, times, bids, value, and per rollup (in `rollups` order)
 * its reserve (null: not offered), proposer (index into `proposers`, −1: itself) and payout.
 */
export async function overview(market: Market, range: { from?: number; to?: number }): Promise<Record<string, unknown>> {
  const { now, open } = market.now();
  const to = range.to ?? Math.max(market.firstSlot, open.to);
  const from = Math.max(market.firstSlot, range.from ?? to - DEFAULT_OVERVIEW_SLOTS + 1);
  if (to - from + 1 > MAX_OVERVIEW_SLOTS) throw new RangeError(`at most ${MAX_OVERVIEW_SLOTS} slots per request (received ${to - from + 1})`);
  const ids = rollupIds(market);
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const proposers: string[] = [];
  const proposerIndex = new Map<string, number>();
  const slots: Record<string, unknown>[] = [];
  for (let slot = from; slot <= to; slot++) {
    const p = market.phase(slot);
    const times = { slot, phase: p.phase, opensAt: p.opensAt, closesAt: p.closesAt, finalAt: p.finalAt };
    if (p.phase !== 'final') {
      const s = await market.slotState(slot);
      slots.push({ ...times, reserves: reservesAt(market, slot, ids), bids: s.bids, value: s.incumbent?.value.toString() ?? null, bound: s.incumbent?.bound?.toString() ?? null, by: s.incumbent?.by ?? null, proposers: null, payouts: null, refunds: null, burned: null, nextPrice: null });
      continue;
    }
    const row = await finalRow(market, slot, ids, index);
    const who = row.proposers.map((p) => {
      if (p === null) return -1;
      let k = proposerIndex.get(p);
      if (k === undefined) {
        k = proposers.length;
        proposers.push(p);
        proposerIndex.set(p, k);
      }
      return k;
    });
    slots.push({ ...times, reserves: row.reserves, bids: row.bids, value: row.value, bound: null, by: row.by, proposers: who, payouts: row.payouts, refunds: row.refunds, burned: row.burned, nextPrice: row.nextPrice });
  }
  const c = market.config;
  return {
    market: c.market, mode: c.mode, slotMs: c.slotMs, now, firstSlot: market.firstSlot, from, to,
    lottery: c.lottery === undefined ? null : { price: c.lottery.price.toString(), cap: c.lottery.cap },
    rollups: ids, proposers, slots,
  };
}

/** Each rollup's reserve in `slot` (null: not offered), in `ids` order. */
function reservesAt(market: Market, slot: number, ids: readonly string[]): (string | null)[] {
  const offered = new Map(market.rollupsAt(slot).map((r) => [r.id, r.reserve.toString()] as const));
  return ids.map((id) => offered.get(id) ?? null);
}

/** A final slot's row: from the cache, else parsed from its result and cached. */
async function finalRow(market: Market, slot: number, ids: readonly string[], index: ReadonlyMap<string, number>): Promise<FinalRow> {
  let cache = finalRows.get(market);
  if (cache === undefined) {
    cache = new Map();
    finalRows.set(market, cache);
  }
  const hit = cache.get(slot);
  if (hit !== undefined) return hit;
  const r = (await market.resultObject(slot)) as unknown as ResultBody;
  const proposers = new Array<string | null>(ids.length).fill(null);
  for (const x of r.proposers) {
    const i = index.get(x.rollup);
    if (i !== undefined && x.proposer !== x.rollup) proposers[i] = x.proposer;
  }
  const payouts = new Array<string>(ids.length).fill('0');
  for (const x of r.payouts) {
    const i = index.get(x.rollup);
    if (i !== undefined) payouts[i] = x.amount;
  }
  const row: FinalRow = {
    bids: r.bids, value: r.value, by: r.by, reserves: reservesAt(market, slot, ids), proposers, payouts,
    refunds: r.refunds.reduce((a, x) => a + BigInt(x.amount), 0n).toString(), burned: r.burned, nextPrice: r.nextPrice ?? null,
  };
  cache.set(slot, row);
  if (cache.size > FINAL_ROWS) cache.delete(Math.min(...cache.keys()));
  return row;
}

/**
 * One slot's picture: every configured rollup with its reserve (offered or not), the winning
 * bids of the incumbent (final: of the result, with proposers), value, bound and history.
 */
export async function slotPicture(market: Market, history: IncumbentHistory, slot: number): Promise<Record<string, unknown>> {
  const state = await market.slotState(slot);
  const offered = new Map(market.rollupsAt(slot).map((r) => [r.id, r.reserve.toString()] as const));
  const rollups = rollupIds(market).map((id) => ({ id, reserve: offered.get(id) ?? null }));
  const auction = market.config.mode === 'auction';
  let winners: { id: string; bidder: string | null; bundle: readonly string[]; amount: string; proposer: string | null }[] = [];
  if (state.phase === 'final') {
    const r = (await market.resultObject(slot)) as unknown as ResultBody;
    winners = r.bundles.map((b) => ({ id: b.drawn, bidder: b.proposer, bundle: b.bundle, amount: b.paid, proposer: b.proposer }));
  } else {
    winners = (market.incumbentBids(slot) ?? []).map((b) => ({ id: b.id, bidder: auction ? b.bidder : null, bundle: b.bundle, amount: b.amount.toString(), proposer: auction ? b.bidder : null }));
  }
  return {
    slot, mode: market.config.mode, phase: state.phase, opensAt: state.opensAt, closesAt: state.closesAt, finalAt: state.finalAt, bids: state.bids,
    value: state.incumbent?.value.toString() ?? null, bound: state.incumbent?.bound?.toString() ?? null, by: state.incumbent?.by ?? null, digest: state.incumbent?.digest ?? null,
    rollups, winners, history: history.of(slot),
  };
}
