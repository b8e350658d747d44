/** One simulation run reduced to named metrics (floats: ETH amounts, shares, ratios) for sweeps. */
import type { Simulation } from './types.js';

/** Metrics of one run, by name (`auction.revenue`, `lottery.shillGain`, …); see {@link runMetrics}. */
export type RunMetrics = Readonly<Record<string, number>>;

const WEI_PER_ETH = 1e18;

/**
 * The metrics of one simulation, per mechanism m that ran: `m.revenue`, `m.collected`,
 * `m.welfare` (ETH, realised welfare, `welfare.ts`), `m.rounds` (rounds run), `m.shillGain` (ETH; `m.shillGainLosing`: over the slots its self-bid does not win, the gain of
 * a shill that only bids to inflate its share), `m.proposersPerSlot`, `m.jointShare`, and with isolated sequencing in
 * the run `m.honestKeep` (share of honest rollups, all but the shill, whose income is ≥ their
 * isolated income) and `m.allHonestKeep` (1 when every one is); ratios `auction.vsIsolated`,
 * `auction.vsStrawman`, `lottery.vsAuction` (revenue), `lottery.welfareVsAuction`; `auction.shaderProfit` (ETH, the
 * shading builder's profit).
 */
export function runMetrics(sim: Simulation): RunMetrics {
  const out: Record<string, number> = {};
  const eth = (x: bigint): number => Number(x) / WEI_PER_ETH;
  const revenue = new Map<string, bigint>();
  for (const s of sim.summaries) {
    const m = s.mechanism;
    revenue.set(m, s.revenue);
    out[`${m}.revenue`] = eth(s.revenue);
    out[`${m}.collected`] = eth(s.collected);
    out[`${m}.shillGain`] = eth(s.shill.gain);
    out[`${m}.shillGainLosing`] = eth(s.shill.gainLosing);
    out[`${m}.welfare`] = eth(s.welfare);
    out[`${m}.rounds`] = s.rounds;
    out[`${m}.proposersPerSlot`] = s.slots === 0 ? 0 : s.proposerSlots / s.slots;
    out[`${m}.jointShare`] = s.slots === 0 ? 0 : s.jointSlots / s.slots;
    const honest = s.rollups.filter((r) => r.role !== 'shill' && r.isolatedIncome !== null);
    if (honest.length > 0 && m !== 'isolated') {
      const keep = honest.filter((r) => r.income >= (r.isolatedIncome ?? 0n)).length;
      out[`${m}.honestKeep`] = keep / honest.length;
      out[`${m}.allHonestKeep`] = keep === honest.length ? 1 : 0;
    }
  }
  const ratio = (a: string, b: string, name: string): void => {
    const x = revenue.get(a);
    const y = revenue.get(b);
    if (x !== undefined && y !== undefined && y > 0n) out[name] = Number(x) / Number(y);
  };
  ratio('auction', 'isolated', 'auction.vsIsolated');
  ratio('auction', 'strawman', 'auction.vsStrawman');
  ratio('lottery', 'auction', 'lottery.vsAuction');
  const welfare = new Map(sim.summaries.map((s) => [s.mechanism, s.welfare] as const));
  const lw = welfare.get('lottery');
  const aw = welfare.get('auction');
  if (lw !== undefined && aw !== undefined && aw > 0n) out['lottery.welfareVsAuction'] = Number(lw) / Number(aw);
  if (sim.shading !== null) out['auction.shaderProfit'] = eth(sim.shading.profit);
  return out;
}

