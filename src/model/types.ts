/** Core data types. All money is `bigint` in base units; `decimals` says how to print it. */

/** A rollup offered for sale in a slot, with the reserve below which it sequences itself. */
export interface Rollup {
  readonly id: string;
  /** Reserve price in base units (≥ 0): the rollup's own singleton bid. */
  readonly reserve: bigint;
}

/** A bid on a bundle of rollups. */
export interface Bid {
  readonly id: string;
  readonly bidder: string;
  /** Rollup ids, non-empty, no repeats; canonical (sorted) inside an {@link Instance}. */
  readonly bundle: readonly string[];
  /** Offered amount in base units (≥ 0). */
  readonly amount: bigint;
  /** Exclusive group key: at most one bid per key may win (XOR). */
  readonly exclusive?: string;
}

/**
 * A validated winner-determination instance in canonical form: rollups and bids sorted by id
 * ({@link compareIds}), bundles sorted. Build one with {@link createInstance}.
 */
export interface Instance {
  readonly rollups: readonly Rollup[];
  readonly bids: readonly Bid[];
  /**
   * Decimal places of the unit the amounts are printed in: 0 for base units (JSON instances),
   * the file's own precision for CATS prices. Arithmetic never depends on it.
   */
  readonly decimals: number;
}

/** An allocation: the ids of the winning bids. */
export interface Allocation {
  readonly winners: readonly string[];
}

/**
 * Item prices (base units, integers) proving an upper bound by LP duality: every rollup priced
 * at least its reserve, every bid's bundle (plus its exclusive group) priced at least its
 * amount; then no allocation is worth more than Σ prices. Ids not listed are priced at 0.
 */
export interface Certificate {
  readonly rollups: ReadonlyMap<string, bigint>;
  readonly groups: ReadonlyMap<string, bigint>;
}
