/**
 * The node's durable store, behind an interface narrow enough for another engine (Postgres)
 * to implement: the market never sees SQL. Every method that writes resolves only once the
 * input is committed (durable); a result is written once and never changes.
 */
import type { Address } from './config.js';

/** An accepted bid (auction) or ticket (lottery), exactly as signed. */
export interface StoredBid {
  readonly slot: number;
  readonly kind: 'bid' | 'ticket';
  /** The bidder or ticket holder (lower-case). */
  readonly signer: Address;
  /** uint64 as a decimal string. */
  readonly nonce: string;
  /** The EIP-712 digest of the signed message (0x…, 32 bytes). */
  readonly id: string;
  /** As signed (order kept). */
  readonly bundle: readonly string[];
  /** Base units as a decimal string. */
  readonly amount: string;
  /** `""` when none (always `""` for tickets). */
  readonly exclusive: string;
  readonly signature: string;
}

/** An accepted signed reserve/opt-in update of a rollup. */
export interface StoredUpdate {
  readonly rollup: string;
  readonly fromSlot: number;
  readonly reserve: string;
  readonly optIn: boolean;
  readonly nonce: string;
  readonly signature: string;
}

/** An accepted improvement of a slot's allocation (by the node's solver or an outside challenger). */
export interface StoredAllocation {
  readonly slot: number;
  /** Order of acceptance across the store (ties keep the earlier). Assigned by the store. */
  readonly seq?: number;
  readonly submitter: string;
  /** Winner ids as accepted (bid ids; in lottery mode bundle keys). */
  readonly winners: readonly string[];
  /** Its value when accepted (base units, decimal string). */
  readonly value: string;
}

/** The operator's signed beacon value for a slot. */
export interface StoredBeacon {
  readonly slot: number;
  readonly value: string;
  readonly signature: string;
}

/** A slot's published result. */
export interface StoredResult {
  readonly slot: number;
  readonly digest: string;
  /** The result JSON as published. */
  readonly body: string;
}

/** Everything the node needs to rebuild its unfinished slots. */
export interface StoredSlots {
  readonly bids: readonly StoredBid[];
  readonly allocations: readonly StoredAllocation[];
  readonly beacons: readonly StoredBeacon[];
}

/** Row counts, for tests and metrics. */
export interface StoreCounts {
  readonly bids: number;
  readonly updates: number;
  readonly allocations: number;
  readonly beacons: number;
  readonly results: number;
}

/** The market's storage. Writes resolve after commit; a failed write rejects. */
export interface MarketStore {
  /** A value of the store's metadata (market name, chain id, first slot), or undefined. */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  addBid(bid: StoredBid): Promise<void>;
  addUpdate(update: StoredUpdate): Promise<void>;
  addAllocation(allocation: StoredAllocation): Promise<void>;
  addBeacon(beacon: StoredBeacon): Promise<void>;
  /** Stores a result unless the slot has one; resolves false when it already had one. */
  addResult(result: StoredResult): Promise<boolean>;
  /** Bids, allocations (in acceptance order) and beacons of the slots ≥ `fromSlot` without a result. */
  loadUnfinished(fromSlot: number): Promise<StoredSlots>;
  /** The bids of one slot, in acceptance order. */
  slotBids(slot: number): Promise<StoredBid[]>;
  /** Every reserve update, in acceptance order. */
  updates(): Promise<StoredUpdate[]>;
  result(slot: number): Promise<StoredResult | undefined>;
  /** Results of slots in [from, to], ascending. */
  results(from: number, to: number): Promise<StoredResult[]>;
  /** The highest slot with a result, or undefined. */
  lastResultSlot(): Promise<number | undefined>;
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}
