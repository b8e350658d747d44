/**
 * `bundle-auction/tuning`: the solver's tuning constants and its building blocks on compiled
 * markets (bid indices, not ids), for experiments and benchmarks. Not part of the stable public
 * API (docs/DESIGN.md §5): names and signatures here may change in any release.
 */

// Compiled markets and exact evaluation.
export { bundleOf, compileMarket, type Market } from './model/market.js';
export { evaluateWinners, type Evaluation, type InfeasibleReason } from './model/evaluate.js';
export { idsToWinners, winnersToIds } from './model/allocation.js';
export { compareIds, sortIds } from './model/order.js';
export { bitLength, ceilDiv, floorDiv, fractionDigits, gcd, parseScaledDecimal } from './model/money.js';
export { hashUnit, mix32 } from './model/hash.js';
export { closestKey, editDistance, rejectUnknownKeys, type ObjectSite } from './model/keys.js';
export { INSTANCE_KEYS, instanceFromData } from './model/instance.js';

// Heuristics.
export { bestGreedy, greedy, greedyFromOrder, GREEDY_ORDERS, orderBids, orderByLp, type GreedyOrder } from './heuristics/greedy.js';
export { improveByInsertion, type InsertionOptions } from './heuristics/local-search.js';
export { tabuSearch, TABU_SAMPLE, type PackingIndex, type TabuOptions, type TabuResult } from './heuristics/tabu.js';
export { runPortfolio, PORTFOLIO_SAMPLES, type PortfolioOptions, type PortfolioResult } from './heuristics/portfolio.js';

// Solver internals and constants.
export { AUTO_MIP_MAX_BIDS } from './solver/solve.js';
export type { BackendOptions, BackendProgress, BackendResult, LinearRow, LpRelaxation, MipBackend, PackingProblem } from './solver/problem.js';
export { getBackend } from './solver/backends.js';
export { presolve, type Presolved, type PresolveOptions } from './solver/presolve.js';
export {
  AUTO_LP_SHARE, AUTO_MIP_GAP, AUTO_MIP_MIN_SEC, AUTO_SEARCH_MS_PER_BID, AUTO_SEARCH_SHARE, INSERTION_SHARE, LOCAL_SEARCH_MS,
  MAX_REFINEMENTS, MIP_MARGIN_SEC, SAFE_BITS, type ComponentMode,
} from './solver/component.js';
export { ENUMERATION_LIMIT } from './solver/enumerate.js';
export { delayWasmTierUp } from './solver/wasm-tiering.js';

// Mechanism internals.
export { grossFor } from './mechanism/auction.js';
export { CORE_MAX_ROUNDS } from './mechanism/payments.js';
export { nearestCorePoint, type CoreConstraint } from './mechanism/core-point.js';
export { HashStream, seedBytes } from './mechanism/draw.js';
export { checkPricingRule } from './mechanism/pricing.js';
export { largestRemainder, payoutWeights, SHAPLEY_EXACT_MAX, SHAPLEY_SAMPLES } from './mechanism/payouts.js';
export { sellBundles, settle, type NetBid, type Sale } from './mechanism/wdp.js';
export { ROUND_KEYS } from './mechanism/round-json.js';

// Simulation internals.
export { SHADER } from './simulation/run.js';
export { marginalTickets } from './simulation/tickets.js';
export { isolatedSlot, strawmanSlot, wholeBundleBids } from './simulation/isolated.js';
export { rollupIncome, shillProfit } from './simulation/outcome.js';
export { runOptions } from './simulation/sweep.js';
export { runMetrics, type RunMetrics } from './simulation/run-metrics.js';
export { t975 } from './simulation/stats.js';
export { formatEstimate } from './simulation/sweep-report.js';
