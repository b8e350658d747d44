/**
 * bundle-auction: the ad hoc shared-sequencing market. Rollups sell block-proposal rights slot
 * by slot, builders bid on bundles of rollups, and winner determination picks the
 * value-maximising set of disjoint bids, exactly. This module re-exports the public API only
 * (see docs/DESIGN.md §5); tuning constants and building blocks on compiled markets are in
 * `bundle-auction/tuning`, the property-testing kit in `bundle-auction/testing`.
 */

// Instances, amounts and errors.
export type { Allocation, Bid, Certificate, Instance, Rollup } from './model/types.js';
export { createInstance, type AmountInput, type BidInput, type CreateInstanceOptions, type InstanceInput, type RollupInput } from './model/instance.js';
export { formatAmount, parseAmount, UnsafeNumberError, type ValueSite } from './model/money.js';
export { BackendError, BundleAuctionError, InputError, UsageError, type ErrorDetails } from './model/errors.js';
export { canonicalJson, sha256Hex } from './model/digest.js';

// Files and formats.
export { instanceToJson, parseAllocationJson, parseInstanceJson, parseJsonText } from './formats/json.js';
export { detectCatsDialect, instanceToCats, parseCats, type CatsDialect } from './formats/cats.js';
export { instanceToLp } from './formats/lp.js';
export { certificateToJson, parseCertificateJson } from './formats/certificate.js';
export {
  formatOfPath, INSTANCE_FORMATS, parseInstanceText, readAllocationFile, readCertificateFile, readInstanceFile, writeInstance,
  type InstanceFormat,
} from './formats/files.js';

// Winner determination, verification, certificates.
export {
  DEFAULT_TIME_LIMIT_SEC, relativeGap, solve, SOLVE_METHODS,
  type SolveMethod, type SolveOptions, type SolveProgress, type SolveResult, type SolveStats,
} from './solver/solve.js';
export type { BackendName } from './solver/problem.js';
export { BACKEND_NAMES } from './solver/backends.js';
export { lpCertificate, type CertificateOptions, type CertifiedBound } from './solver/certificate.js';
export { checkAllocation, compareAllocations, type CheckResult, type Comparison } from './verify/check.js';
export { checkCertificate, type CertificateCheck } from './verify/certificate.js';
export { allocationCommitment, type AllocationCommitment } from './verify/commitment.js';

// Generators.
export { GENERATOR_FAMILIES, generateInstance, type GenerateOptions, type GeneratorFamily } from './generators/index.js';

// The mechanism: registrations, lottery rounds, auction mode, payments, draw, pricing, payouts, schedule.
export type {
  AuctionOptions, DrawRecord, LotteryOptions, PayoutRule, PricingRule, ProposerSchedule, Round, RoundResult, RoundRollup, RoundWinner, Ticket,
} from './mechanism/types.js';
export { reservesAt, type OptInStep, type ReserveStep, type RollupRegistration } from './mechanism/registry.js';
export { groupTickets, runLottery, settleLottery, type BundleGroup } from './mechanism/lottery.js';
export { auctionPayments, runAuction, settleAuction } from './mechanism/auction.js';
export {
  PAYMENT_RULES, computePayments, type BidPayment, type BidderPayment, type PaymentOptions, type PaymentRule, type Payments,
} from './mechanism/payments.js';
export { DRAW_RULE, bundleKey, drawTicket, type DrawEntry, type DrawOutcome } from './mechanism/draw.js';
export { DEFAULT_EIP1559_PRICING, DEFAULT_PRICING, nextPrice } from './mechanism/pricing.js';
export {
  DEFAULT_PAYOUT_RULE, PAYOUT_RULES, burnOf, splitPayout, type BundleValue, type PayoutMarket, type PayoutShare,
} from './mechanism/payouts.js';
export { proposerSchedule, type ScheduledSlot } from './mechanism/schedule.js';
export { parseRoundJson, roundDigest, roundResultObject, roundResultToJson, validateRound } from './mechanism/round-json.js';

// The simulator: markets over many slots, sweeps with confidence intervals, reports.
export { simulate, simulationDrawSeed } from './simulation/run.js';
export type { Simulation, SimulationOptions, SimulationParams } from './simulation/types.js';
export { TICKET_MODELS, ticketsFromBids, type TicketModel } from './simulation/tickets.js';
export {
  generateSimulatedMarket, shillBidder, type SimulatedMarket, type SimulatedMarketConfig, type SimulatedRollup, type SimulatedSlot,
} from './simulation/market.js';
export { SIMULATION_MECHANISMS, type SimulatedMechanism, type SlotOutcome, type SlotWinner } from './simulation/outcome.js';
export { summarizeSimulation, type MechanismSummary, type RollupSummary } from './simulation/metrics.js';
export { rollupsCsv, scheduleCsv, simulationJson, simulationObject, slotsCsv, summaryJson } from './simulation/report.js';
export { pricePathSvg, revenueSvg } from './simulation/svg.js';
export {
  runSweep, sweepGrid, SWEEP_AXES, type SweepAxis, type SweepAxisValues, type SweepOptions, type SweepPoint, type SweepResult, type SweepSpec,
} from './simulation/sweep.js';
export { SWEEP_PRESETS } from './simulation/presets.js';
export { estimate, type Estimate } from './simulation/stats.js';
export { sweepCsv, sweepJson, sweepMarkdown } from './simulation/sweep-report.js';
