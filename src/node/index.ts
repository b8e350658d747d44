/**
 * `bundle-auction/node`: the market node (DESIGN.md §7) — config, slot clock, EIP-712 types,
 * signer recovery, store interface, SQLite and Postgres stores, market, HTTP API and the typed client.
 * A subpath of its own so the root import stays free of Fastify, SQLite, pg and viem.
 */
export { FileClock, ManualClock, lastFinalSlot, lastOpenedSlot, slotPhase, slotTimes, systemClock, type Clock, type SlotPhase, type SlotTimes, type SlotTiming } from './clock.js';
export { NODE_KEY_ENV, parseNodeConfig, type Address, type LotteryConfig, type MarketMode, type NodeConfig, type NodeRollup, type RateLimitConfig } from './config.js';
export {
  MARKET_TYPES, domainSeparator, marketDomain, referenceDigest, typedData, typedDigest,
  type BeaconMessage, type BidMessage, type MarketDomain, type MarketMessages, type MarketStruct, type ReserveUpdateMessage, type ResultMessage, type TicketMessage,
} from './eip712.js';
export { NodeError, type NodeErrorCode, type NodeErrorStatus } from './errors.js';
export { recoverSigner, referenceRecover } from './recover.js';
export type {
  AddBeaconOutcome, AddBidOutcome, AddUpdateOutcome, BidLimits, MarketStore, SlotInputs, StoreChange, StoreCounts,
  StoredAllocation, StoredBeacon, StoredBid, StoredResult, StoredSlots, StoredUpdate,
} from './store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { PG_CHANNEL, PgStore, migrations, type PgStoreOptions } from './pg-store.js';
export { Market, fallbackSeed, type BidInput, type ChallengeVerdict, type MarketObservers, type MarketOptions, type SlotState, type UpdateInput } from './market.js';
export { DEFAULT_QUEUE, MarketEvents, sseFrame, type MarketEvent, type MarketEventData, type MarketEventListener, type MarketEventType, type SubscribeOptions } from './events.js';
export { InlineSolver, WorkerSolver, type NodeSolver } from './solver-pool.js';
export { BODY_LIMIT, buildServer, type ServerOptions } from './server.js';
export { NodeMetrics } from './metrics.js';
export { createNode, type MarketNode, type NodeOptions } from './node.js';
export { MarketClient, MarketClientError, httpTransport, type BidDraft, type TicketDraft, type Transport, type UpdateDraft } from './client.js';
