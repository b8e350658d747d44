/** Options, parameters and result of a simulation (`simulate()` in run.ts; read by the report and SVG writers). */
import type { PaymentRule } from '../mechanism/payments.js';
import type { PayoutRule, PricingRule } from '../mechanism/types.js';
import type { SimulatedMarket } from './market.js';
import type { MechanismSummary } from './metrics.js';
import type { SimulatedMechanism, SlotOutcome } from './outcome.js';
import type { TicketModel } from './tickets.js';

/** Options of {@link simulate}; all optional. */
export interface SimulationOptions {
  /** Slots simulated. Default 50. */
  readonly slots?: number;
  /** Rollups, ≥ 3. Default 8. */
  readonly rollups?: number;
  /** Builders (10 bids each per slot), 3–40. Default max(3, min(40, rollups)). */
  readonly bidders?: number;
  /** Seed of everything (market, MEV, bids, lottery draws). Default 1. */
  readonly seed?: number;
  /** Mechanisms to run, in report order. Default all of {@link SIMULATION_MECHANISMS}. */
  readonly mechanisms?: readonly SimulatedMechanism[];
  /** Burn of auction and lottery payments in basis points. Default 0. */
  readonly burnBps?: number;
  /** Payout rule of auction and lottery. Default `DEFAULT_PAYOUT_RULE` (`committed`; the talk's rule is `standalone`). */
  readonly payoutRule?: PayoutRule;
  /** Shill's self-bid as a multiple of its standalone value, basis points. Default 30000 (3×). */
  readonly shillMarkupBps?: number;
  /** Auction: what winners pay. Default `pay-as-bid`. */
  readonly paymentRule?: PaymentRule;
  /** Share of builders refusing the refused rollup, basis points. Default 5000 (every second builder). */
  readonly refuserShareBps?: number;
  /** Lottery: how builders buy tickets. Default `bids` (each bid becomes one ticket). */
  readonly ticketModel?: TicketModel;
  /** Auction: the first builder bids this share of its values, basis points. Default 10000 (no shading). */
  readonly shadeBps?: number;
  /** Lottery: tickets per slot (cap K). Default 2 × rollups. */
  readonly cap?: number;
  /** Lottery: starting ticket price per rollup, wei. Default 10¹⁵ (0.001 ETH). */
  readonly startPrice?: bigint;
  /** Lottery price rule. Default `DEFAULT_PRICING`. */
  readonly pricing?: PricingRule;
  /**
   * Lottery: slots per sale and draw (the lottery runs once per window of this many slots; its
   * tickets are valid for the window; see `lottery-window.ts`). Default 1 (every slot).
   */
  readonly lotteryWindow?: number;
  /** Winner-determination time limit per slot, seconds. Default 2. */
  readonly timeLimit?: number;
  /** Called after each slot (of both runs: with and without the shill): done, total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The resolved parameters of a simulation (recorded in its JSON). */
export interface SimulationParams {
  readonly slots: number;
  readonly rollups: number;
  readonly bidders: number;
  readonly seed: number;
  readonly mechanisms: readonly SimulatedMechanism[];
  readonly burnBps: number;
  readonly payoutRule: PayoutRule;
  readonly shillMarkupBps: number;
  readonly paymentRule: PaymentRule;
  readonly refuserShareBps: number;
  readonly ticketModel: TicketModel;
  readonly shadeBps: number;
  readonly cap: number;
  readonly startPrice: bigint;
  readonly pricing: PricingRule;
  readonly lotteryWindow: number;
}

/** Result of {@link simulate}. */
export interface Simulation {
  readonly params: SimulationParams;
  readonly market: SimulatedMarket;
  /** Slot-major, mechanisms in `params.mechanisms` order. */
  readonly outcomes: readonly SlotOutcome[];
  /** The same mechanisms on the same market without the shill's self-bid (the honest baseline). */
  readonly honest: readonly SlotOutcome[];
  readonly summaries: readonly MechanismSummary[];
  /** Auction: the shading builder's profit (Σ of its true values − payments over the bids it won). */
  readonly shading: { readonly bidder: string; readonly profit: bigint; readonly wins: number } | null;
}

