/** Messages between the node and its solver worker. */

/** A winner-determination job: a plain instance (amounts as decimal strings) and limits. */
export interface SolveJob {
  readonly id: number;
  readonly instance: {
    readonly rollups: readonly { readonly id: string; readonly reserve: string }[];
    readonly bids: readonly { readonly id: string; readonly bidder: string; readonly bundle: readonly string[]; readonly amount: string; readonly exclusive?: string }[];
  };
  readonly timeLimitSec: number;
  /** Winners of the current incumbent, to start from. */
  readonly incumbent: readonly string[];
}

/** The worker's answer. */
export type SolveAnswer =
  | { readonly id: number; readonly ok: true; readonly winners: readonly string[]; readonly value: string; readonly bound: string | null; readonly status: 'optimal' | 'feasible'; readonly elapsedMs: number }
  | { readonly id: number; readonly ok: false; readonly error: string };
