/** The simulation's outputs: JSON (summary, or full with every slot) and CSV tables. Amounts in wei as decimal strings. */
import { shillBidder } from './market.js';
import type { MechanismSummary } from './metrics.js';
import { shillProfit } from './outcome.js';
import type { Simulation } from './types.js';

/** `num/den` with `digits` decimals, truncated, in integer maths ("0.00" when den is 0). */
export function ratio(num: number | bigint, den: number | bigint, digits = 2): string {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) return (0).toFixed(digits);
  const scaled = (n * 10n ** BigInt(digits)) / d;
  const s = scaled.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** A summary as plain JSON data, with the derived per-slot means. */
function summaryObject(s: MechanismSummary): Record<string, unknown> {
  return {
    ...s,
    jointShare: ratio(s.jointSlots, s.slots),
    proposersPerSlot: ratio(s.proposerSlots, s.slots),
    selfSequencedPerSlot: ratio(s.selfSlots, s.slots),
  };
}

/** The summary (parameters, market, per-mechanism metrics) as plain data; with `slots`, every slot outcome too. */
export function simulationObject(sim: Simulation, withSlots: boolean): Record<string, unknown> {
  const { market } = sim;
  const slotOf = new Map(market.slots.map((s) => [s.slot, s] as const));
  const shill = shillBidder(market.shillRollup);
  return {
    params: sim.params,
    market: {
      shillRollup: market.shillRollup,
      refusedRollup: market.refusedRollup,
      refusers: market.refusers,
      rollups: market.rollups.map((r) => ({ id: r.id, role: r.role, ownValue: r.ownValue, reserve: r.registration.reserve, ...(r.registration.optIn === undefined ? {} : { optIn: r.registration.optIn }) })),
    },
    mechanisms: sim.summaries.map(summaryObject),
    ...(withSlots ? {
      slots: sim.outcomes.map((o) => {
        const slot = slotOf.get(o.slot);
        return { ...o, shillProfit: slot === undefined ? null : shillProfit(market, slot, o, shill) };
      }),
    } : {}),
  };
}

/** JSON text of {@link simulationObject}: 2-space indented, bigints as decimal strings, newline-terminated. */
function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

/** `simulation.json`: parameters, market, per-mechanism summaries and every slot outcome. */
export function simulationJson(sim: Simulation): string {
  return toJson(simulationObject(sim, true));
}

/** The summary JSON printed by `simulate --json` (no per-slot outcomes). */
export function summaryJson(sim: Simulation): string {
  return toJson(simulationObject(sim, false));
}

/** `slots.csv`: one row per slot × mechanism. */
export function slotsCsv(sim: Simulation): string {
  const slotOf = new Map(sim.market.slots.map((s) => [s.slot, s] as const));
  const shill = shillBidder(sim.market.shillRollup);
  const header = ['slot', 'mechanism', 'price', 'collected', 'refunds', 'payouts', 'burned', 'winners', 'joint', 'proposers', 'self_sequenced', 'shill_profit'];
  const rows = sim.outcomes.map((o) => {
    const slot = slotOf.get(o.slot);
    return [
      o.slot, o.mechanism, o.price ?? '', o.collected,
      o.refunds.reduce((s, r) => s + r.amount, 0n), o.payouts.reduce((s, p) => s + p.amount, 0n), o.burned,
      o.winners.length, o.winners.some((w) => w.bundle.length >= 2) ? 1 : 0, new Set(o.winners.map((w) => w.proposer)).size,
      o.selfSequenced.length, slot === undefined ? '' : shillProfit(sim.market, slot, o, shill),
    ];
  });
  return csv(header, rows);
}

/** `schedule.csv`: the proposer schedule of the auction and the lottery, one row per slot × mechanism × rollup, with the slot's digest. */
export function scheduleCsv(sim: Simulation): string {
  const header = ['slot', 'mechanism', 'rollup', 'proposer', 'self', 'digest'];
  const rows = sim.outcomes.flatMap((o) => (o.schedule === undefined ? [] : o.schedule.proposers.map((p) => [
    o.slot, o.mechanism, p.rollup, p.proposer, p.self ? 1 : 0, o.schedule?.digest ?? '',
  ])));
  return csv(header, rows);
}

/** `rollups.csv`: one row per mechanism × rollup (revenue, income, versus isolated, slots sold). */
export function rollupsCsv(sim: Simulation): string {
  const header = ['mechanism', 'rollup', 'role', 'revenue', 'income', 'isolated_income', 'vs_isolated_bps', 'sold_slots'];
  const rows = sim.summaries.flatMap((s) => s.rollups.map((r) => [
    s.mechanism, r.rollup, r.role, r.revenue, r.income, r.isolatedIncome ?? '', r.vsIsolatedBps ?? '', r.soldSlots,
  ]));
  return csv(header, rows);
}

/** RFC 4180 CSV (quotes only where needed), LF line ends. */
function csv(header: readonly string[], rows: readonly (readonly (string | number | bigint)[])[]): string {
  const cell = (v: string | number | bigint): string => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
