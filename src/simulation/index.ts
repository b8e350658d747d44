/**
 * The market simulator (`bundle-auction simulate`): drives the round mechanism of
 * `src/mechanism/` over many generated slots and compares mechanisms, payout and payment rules.
 */
export { SHADER, simulate, simulationDrawSeed } from './run.js';
export type { Simulation, SimulationOptions, SimulationParams } from './types.js';
export { marginalTickets, ticketsFromBids, TICKET_MODELS, type TicketModel } from './tickets.js';
export { generateSimulatedMarket, shillBidder, type SimulatedMarket, type SimulatedMarketConfig, type SimulatedRollup, type SimulatedSlot } from './market.js';
export { isolatedSlot, strawmanSlot, wholeBundleBids } from './isolated.js';
export { SIMULATION_MECHANISMS, rollupIncome, shillProfit, type SimulatedMechanism, type SlotOutcome, type SlotWinner } from './outcome.js';
export { summarizeSimulation, type MechanismSummary, type RollupSummary } from './metrics.js';
export { rollupsCsv, scheduleCsv, simulationJson, simulationObject, slotsCsv, summaryJson } from './report.js';
export { pricePathSvg, revenueSvg } from './svg.js';
export { runSweep, runOptions, sweepGrid, SWEEP_AXES, type SweepAxis, type SweepAxisValues, type SweepOptions, type SweepPoint, type SweepResult, type SweepSpec } from './sweep.js';
export { runMetrics, type RunMetrics } from './run-metrics.js';
export { SWEEP_PRESETS } from './presets.js';
export { estimate, t975, type Estimate } from './stats.js';
export { formatEstimate, sweepCsv, sweepJson, sweepMarkdown } from './sweep-report.js';
