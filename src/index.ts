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

// The mechanism (rounds, lottery, auction, draw, pricing, payouts, payments, schedule) and the simulation.
export * from './mechanism/index.js';
export * from './simulation/index.js';
