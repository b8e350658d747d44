/**
 * Realised welfare of a slot: what sequencing its rollups is worth to whoever does it. A sold
 * bundle is worth its proposer's value of it in that slot (the generator's valuation: realised
 * MEV × synergy × skill, `rollupMarketValuation`; the shill sequencing its own rollup is worth
 * that rollup's own value), a rollup that sequences itself its own value. Exact in wei.
 */
import { rollupMarketValuation } from '../generators/rollup-market.js';
import { shillBidder, type SimulatedMarket } from './market.js';
import type { SlotOutcome } from './outcome.js';

/** Welfare of outcomes of `market`, one valuation per slot drawn once (the generator's own draws). */
export function welfareMeter(market: SimulatedMarket): (outcome: SlotOutcome) => bigint {
  const { rollups, bidders, seed } = market.config;
  const own = new Map(market.rollups.map((r) => [r.id, r.ownValue] as const));
  const shill = shillBidder(market.shillRollup);
  const valuations = new Map<number, ReturnType<typeof rollupMarketValuation>>();
  const ownValue = (ids: readonly string[]): bigint => ids.reduce((s, r) => s + (own.get(r) ?? 0n), 0n);
  return (outcome) => {
    let value = valuations.get(outcome.slot);
    if (value === undefined) {
      value = rollupMarketValuation(rollups, 10 * bidders, seed, outcome.slot);
      valuations.set(outcome.slot, value);
    }
    let total = ownValue(outcome.selfSequenced);
    for (const w of outcome.winners) total += w.proposer === shill ? ownValue(w.bundle) : value(w.proposer, w.bundle);
    return total;
  };
}
