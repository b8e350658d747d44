/** The market mechanism: registrations, lottery rounds, auction mode, draw, pricing, payouts, proposer schedule. */
export * from './types.js';
export { reservesAt, type OptInStep, type ReserveStep, type RollupRegistration } from './registry.js';
export { groupTickets, runLottery, settleLottery, type BundleGroup } from './lottery.js';
export { runAuction, settleAuction } from './auction.js';
export { DRAW_RULE, HashStream, bundleKey, drawTicket, seedBytes, type DrawEntry, type DrawOutcome } from './draw.js';
export { DEFAULT_EIP1559_PRICING, DEFAULT_PRICING, checkPricingRule, nextPrice } from './pricing.js';
export {
  PAYOUT_RULES, SHAPLEY_EXACT_MAX, SHAPLEY_SAMPLES, burnOf, payoutWeights, splitPayout,
  type BundleValue, type PayoutMarket, type PayoutShare,
} from './payouts.js';
export { proposerSchedule, type ScheduledSlot } from './schedule.js';
export { parseRoundJson, roundDigest, roundResultObject, roundResultToJson, validateRound } from './round-json.js';
export { sellBundles, settle, type NetBid, type Sale } from './wdp.js';
