/**
 * bundle-auction: the ad hoc shared-sequencing market. Rollups sell block-proposal rights slot
 * by slot, builders bid on bundles of rollups, and winner determination picks the
 * value-maximising set of disjoint bids, exactly. This module only re-exports the public API.
 */
export * from './model/index.js';
export * from './formats/index.js';
export * from './solver/index.js';
export { bestGreedy, greedy, GREEDY_ORDERS, orderBids, orderByLp, type GreedyOrder } from './heuristics/greedy.js';
export { improveByInsertion, type InsertionOptions } from './heuristics/local-search.js';
export { tabuSearch, TABU_SAMPLE, type PackingIndex, type TabuOptions, type TabuResult } from './heuristics/tabu.js';
export { runPortfolio, PORTFOLIO_SAMPLES, type PortfolioOptions, type PortfolioResult } from './heuristics/portfolio.js';
export { checkAllocation, compareAllocations, type CheckResult, type Comparison } from './verify/check.js';
export { checkCertificate, type CertificateCheck } from './verify/certificate.js';
export { allocationCommitment, type AllocationCommitment } from './verify/commitment.js';
export { lpCertificate, type CertificateOptions, type CertifiedBound } from './solver/certificate.js';
export { GENERATOR_FAMILIES, generateInstance, type GenerateOptions } from './generators/index.js';
export * from './mechanism/index.js';
export * from './simulation/index.js';
