/**
 * The node's durable store, behind an interface two engines implement (SQLite embedded,
 * Postgres shared by several nodes): the market never sees SQL. Every method that writes
 * resolves only once the input is committed (durable); a result is written once and never
 * changes. The rules that must hold across nodes are the store's: (slot, signer, nonce) and
 * (slot, id) unique, the per-signer cap and the lottery's ticket cap counted inside the insert's
 * transaction, reserve-update nonces increasing, and no input added to a slot once it has a
 * result (the result is computed from the stored inputs under the same exclusion).
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

/** Limits a bid's insert enforces in its transaction. */
export interface BidLimits {
  /** Most bids (tickets) of one signer in one slot. */
  readonly perSigner: number;
  /** Most tickets in one slot (lottery `cap`); none when undefined. */
  readonly perSlot?: number;
}

/** What became of a bid's insert. Only `added` changed the store. */
export type AddBidOutcome =
  | { readonly status: 'added' }
  /** The slot already holds a bid of this signer with this nonce: its id (the same bid again when equal). */
  | { readonly status: 'duplicate'; readonly id: string }
  /** Another signer's bid in the slot has this id (same signed content). */
  | { readonly status: 'id_taken' }
  | { readonly status: 'over_cap' }
  /** The slot holds `perSlot` bids. */
  | { readonly status: 'slot_full' }
  /** The slot has a result. */
  | { readonly status: 'final' };

/** What became of a reserve update's insert. */
export type AddUpdateOutcome = { readonly status: 'added' } | { readonly status: 'stale'; readonly last: string };

/** What became of an allocation's insert. */
export type AddAllocationOutcome =
  /** Stored as the slot's `seq`-th input (store order). */
  | { readonly status: 'added'; readonly seq: number }
  /** An allocation already stored for the slot (perhaps by another node) is worth `best` ≥ this one. */
  | { readonly status: 'not_better'; readonly best: string }
  /** The slot has a result. */
  | { readonly status: 'final' };

/** What became of a beacon's insert. */
export type AddBeaconOutcome = { readonly status: 'added' } | { readonly status: 'exists'; readonly value: string } | { readonly status: 'final' };

/** One slot's stored inputs, as its result is computed from them. */
export interface SlotInputs {
  readonly slot: number;
  /** In acceptance order. */
  readonly bids: readonly StoredBid[];
  /** In acceptance order (`seq` set). */
  readonly allocations: readonly StoredAllocation[];
  readonly beacon: StoredBeacon | undefined;
  /** Every reserve update (reserves as of the slot follow from them). */
  readonly updates: readonly StoredUpdate[];
}

/** A change another writer (another node on the same database) committed. */
export interface StoreChange {
  readonly kind: 'bid' | 'allocation' | 'beacon' | 'update' | 'result';
  /** The slot (for updates: `fromSlot`). */
  readonly slot: number;
  /** The row's `seq` (bids, allocations, updates), else null. */
  readonly seq: number | null;
}

/** The market's storage. Writes resolve after commit; a failed write rejects. */
export interface MarketStore {
  /** A value of the store's metadata (market name, chain id, first slot), or undefined. */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key has one; resolves with the stored value (the first writer's). */
  initMeta(key: string, value: string): Promise<string>;
  /** Adds a bid unless a rule refuses it (see {@link AddBidOutcome}); atomic across nodes. */
  addBid(bid: StoredBid, limits: BidLimits): Promise<AddBidOutcome>;
  /** Adds a reserve update unless its nonce is not above the rollup's last. */
  addUpdate(update: StoredUpdate): Promise<AddUpdateOutcome>;
  /**
   * Adds an allocation when strictly worth more than every one stored for its slot, atomic
   * across nodes (the challenge rule's compare-and-set; see {@link AddAllocationOutcome}).
   */
  addAllocation(allocation: StoredAllocation): Promise<AddAllocationOutcome>;
  addBeacon(beacon: StoredBeacon): Promise<AddBeaconOutcome>;
  /** Stores a result unless the slot has one; resolves false when it already had one. */
  addResult(result: StoredResult): Promise<boolean>;
  /**
   * Finalises a slot exactly once: unless it has a result, loads its inputs, computes the result
   * from them and stores it, with no input added to the slot in between (across nodes). Resolves
   * with the stored result: `stored` false when another writer's was there first.
   */
  finaliseSlot(slot: number, compute: (inputs: SlotInputs) => Promise<StoredResult>): Promise<{ result: StoredResult; stored: boolean }>;
  /** The bids with these `seq`s, in acceptance order. */
  bidsBySeq(seqs: readonly number[]): Promise<StoredBid[]>;
  /** A slot's allocations, in acceptance order (`seq` set). */
  slotAllocations(slot: number): Promise<StoredAllocation[]>;
  beacon(slot: number): Promise<StoredBeacon | undefined>;
  /**
   * Changes committed by other writers, for a store shared by several nodes; undefined when the
   * store has one writer. `gap` is called when changes may have been missed (reconnect): reload.
   * Returns the unsubscribe function.
   */
  subscribe?(listener: (changes: readonly StoreChange[]) => void, gap: () => void): () => void;
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
