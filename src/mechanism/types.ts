/**
 * Types of the market mechanism (DESIGN.md §1): a lottery round of execution tickets, the plain
 * auction mode, payouts and the proposer schedule. All money is `bigint` in base units.
 *
 * Contract between the modules of `src/mechanism/` (and the simulator in `src/simulation/`):
 * - `runLottery(round: Round, options: LotteryOptions): Promise<RoundResult>`  (lottery.ts)
 * - `runAuction(instance: Instance, options: AuctionOptions): Promise<RoundResult>` (auction.ts)
 * - `splitPayout(...)` per {@link PayoutRule}                                    (payouts.ts)
 * - `nextPrice(price, sold, cap, rule: PricingRule): bigint`                    (pricing.ts)
 * - `drawTicket(seedHex, bundleKey, tickets): DrawOutcome`                      (draw.ts)
 * - `proposerSchedule(slots): ProposerSchedule`                                  (schedule.ts)
 * - `parseRoundJson(text, source?): Round`, `roundResultToJson(result): string`  (round-json.ts)
 */
import type { SolveOptions } from '../solver/solve.js';
import type { PaymentRule } from './payments.js';

/** How a winning bundle's net payment is split among its rollups (each gets ≥ its reserve). */
export type PayoutRule = 'committed' | 'standalone' | 'reserve' | 'equal' | 'shapley';

/** A rollup in a round: its reserve for this slot. */
export interface RoundRollup {
  readonly id: string;
  /** Reserve price in base units (≥ 0). */
  readonly reserve: bigint;
}

/** An execution ticket: a claim on a bundle of rollups, paying `amount` ≥ price·|bundle|. */
export interface Ticket {
  readonly id: string;
  /** Who bought it; becomes the proposer if drawn. */
  readonly holder: string;
  /** Rollup ids, non-empty, no repeats (canonical: sorted by id). */
  readonly bundle: readonly string[];
  readonly amount: bigint;
}

/** Price update between rounds. */
export type PricingRule =
  /** Sold out (≥ cap) → price·(1 + raiseBps/10⁴), rounded up; below `lowerBelowBps`·cap/10⁴ sold → price·(1 − lowerBps/10⁴), rounded down. */
  | { readonly kind: 'multiplicative'; readonly raiseBps: number; readonly lowerBps: number; readonly lowerBelowBps: number }
  /** EIP-1559 style: price·(1 + (sold − target)/target/denominator), target = `targetBps`·cap/10⁴. */
  | { readonly kind: 'eip1559'; readonly targetBps: number; readonly denominator: number };

/** One round of ticket sales (the `lottery` CLI's ROUND.json). */
export interface Round {
  readonly rollups: readonly RoundRollup[];
  readonly tickets: readonly Ticket[];
  /** Current ticket price P per rollup in the bundle. */
  readonly price: bigint;
  /** At most this many tickets per sale (K). */
  readonly cap: number;
  /** Burned share of each winning bundle's payment, in basis points (0–10000). */
  readonly burnBps: number;
  readonly payoutRule: PayoutRule;
  /** Price update for the next round. Default: see `DEFAULT_PRICING` in pricing.ts. */
  readonly pricing?: PricingRule;
}

/** Options of `runLottery`. */
export interface LotteryOptions {
  /** Public randomness (hex, e.g. a beacon output): the draw is reproducible from it. */
  readonly seed: string;
  /** Passed to winner determination (method, time limit, …). */
  readonly solve?: SolveOptions;
}

/** Options of `runAuction` (no lottery: each winning bid pays by `paymentRule`, its bidder proposes). */
export interface AuctionOptions {
  readonly burnBps: number;
  readonly payoutRule: PayoutRule;
  /** What winners pay: their amounts (`pay-as-bid`, default), VCG or core payments (see payments.ts). */
  readonly paymentRule?: PaymentRule;
  readonly solve?: SolveOptions;
}

/** A winning bundle of a round. */
export interface RoundWinner {
  readonly bundle: readonly string[];
  /** Ticket (or bid) ids on this bundle, canonical order. */
  readonly tickets: readonly string[];
  /** Σ of those tickets' amounts. */
  readonly paid: bigint;
  /** The drawn ticket's id (lottery) or the winning bid's id (auction). */
  readonly proposer: string;
  /** The drawn ticket's holder (or winning bidder): who proposes for these rollups. */
  readonly proposerHolder: string;
}

/** Outcome of a round. Exactly: Σ ticket amounts = Σ refunds + Σ payouts + burned. */
export interface RoundResult {
  readonly winners: readonly RoundWinner[];
  /** Losing tickets, refunded in full. */
  readonly refunds: readonly { readonly ticket: string; readonly amount: bigint }[];
  /** Every rollup in the round (0 for self-sequenced), canonical order. */
  readonly payouts: readonly { readonly rollup: string; readonly amount: bigint }[];
  readonly burned: bigint;
  readonly selfSequenced: readonly string[];
  readonly nextPrice: bigint;
  /** sha256 hex of the canonical JSON of the result (without this field). */
  readonly digest: string;
  /** Winner determination's status: proven optimal or best found. */
  readonly status: 'optimal' | 'feasible';
  /** Lottery only: how to recompute each winning bundle's draw from the public seed. */
  readonly draw?: DrawRecord;
  /** Auction only, when not `pay-as-bid`: the payment rule winners paid by (`paid` ≤ their amounts). */
  readonly paymentRule?: PaymentRule;
}

/** How a lottery's draws are recomputed (the `draw` key of the lottery JSON). */
export interface DrawRecord {
  /** The public seed, normalised: lowercase hex without `0x`. */
  readonly seed: string;
  /** The draw rule in words (see `DRAW_RULE` in draw.ts). */
  readonly rule: string;
  /** One entry per winning bundle, in the order of `winners`. */
  readonly bundles: readonly {
    /** The bundle key hashed with the seed: JSON array of the rollup ids in canonical order. */
    readonly key: string;
    /** T = Σ ticket amounts on the bundle. */
    readonly total: bigint;
    /** The accepted uniform value u ∈ [0, T). */
    readonly value: bigint;
    /** Candidates rejected (≥ T) before u. */
    readonly rejections: number;
  }[];
}

/** Who proposes for each rollup in each slot. */
export interface ProposerSchedule {
  readonly slots: readonly {
    readonly slot: number;
    /** rollup id → proposer (holder/bidder, or the rollup id itself when self-sequenced). */
    readonly proposers: readonly { readonly rollup: string; readonly proposer: string; readonly self: boolean }[];
    /** Digest of that slot's allocation (sha256 of its canonical JSON). */
    readonly digest: string;
  }[];
}
