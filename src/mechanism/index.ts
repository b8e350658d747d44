/** The market mechanism: registrations, lottery rounds, auction mode, draw, pricing, payouts, proposer schedule. */
export * from './types.js';
export { reservesAt, type OptInStep, type ReserveStep, type RollupRegistration } from './registry.js';
export { groupTickets, runLottery, settleLottery, type BundleGroup } from './lottery.js';
export { auctionPayments, grossFor, runAuction, settleAuction } from './auction.js';
export {
  CORE_MAX_ROUNDS, PAYMENT_RULES, computePayments,
  type BidPayment, type BidderPayment, type PaymentOptions, type PaymentRule, type Payments,
} from './payments.js';
export { nearestCorePoint, type CoreConstraint } from './core-point.js';
export { DRAW_RULE, HashStream, bundleKey, drawTicket, seedBytes, type DrawEntry, type DrawOutcome } from './draw.js';
export { DEFAULT_EIP1559_PRICING, DEFAULT_PRICING, checkPricingRule, nextPrice } from './pricing.js';
export {
  DEFAULT_PAYOUT_RULE, PAYOUT_RULES, SHAPLEY_EXACT_MAX, SHAPLEY_SAMPLES, burnOf, largestRemainder, payoutWeights, splitPayout,
  type BundleValue, type PayoutMarket, type PayoutShare,
} from './payouts.js';
export { proposerSchedule, type ScheduledSlot } from './schedule.js';
export { parseRoundJson, roundDigest, roundResultObject, roundResultToJson, validateRound } from './round-json.js';
export { sellBundles, settle, type NetBid, type Sale } from './wdp.js';
