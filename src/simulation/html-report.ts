/**
 * `report.html` of `simulate --out DIR`: the simulated mechanisms side by side (revenue per
 * slot, revenue per rollup against isolation, shill profit, the lottery's price path, the
 * proposer schedules) in one self-contained file that opens from disk: uPlot, the report
 * script and the data are inlined. Deterministic (no timestamps), amounts exact as strings.
 */
import { webAssets } from '../dashboard/assets.js';
import { shillBidder } from './market.js';
import { shillProfit } from './outcome.js';
import { ratio } from './report.js';
import type { Simulation } from './types.js';

/** The report's data (what `report.js` draws). */
export function reportData(sim: Simulation): Record<string, unknown> {
  const { market, params } = sim;
  const mechanisms = params.mechanisms;
  const slots = [...new Set(sim.outcomes.map((o) => o.slot))].sort((a, b) => a - b);
  const slotOf = new Map(market.slots.map((s) => [s.slot, s] as const));
  const shill = shillBidder(market.shillRollup);
  const rollups = market.rollups.map((r) => r.id);
  const perMechanism = mechanisms.map((m) => {
    const mine = sim.outcomes.filter((o) => o.mechanism === m);
    const proposers: string[] = [];
    const index = new Map<string, number>();
    const schedule = mine.map((o) => rollups.map((r) => {
      const w = o.winners.find((x) => x.bundle.includes(r));
      if (w === undefined) return -1;
      let k = index.get(w.proposer);
      if (k === undefined) {
        k = proposers.length;
        proposers.push(w.proposer);
        index.set(w.proposer, k);
      }
      return k;
    }));
    const summary = sim.summaries.find((s) => s.mechanism === m);
    return {
      mechanism: m,
      revenue: mine.map((o) => o.payouts.reduce((s, p) => s + p.amount, 0n).toString()),
      collected: mine.map((o) => o.collected.toString()),
      shillProfit: mine.map((o) => {
        const slot = slotOf.get(o.slot);
        return slot === undefined ? '0' : shillProfit(market, slot, o, shill).toString();
      }),
      price: mine.map((o) => o.price?.toString() ?? null),
      perRollup: summary?.rollups.map((r) => ({ revenue: r.revenue.toString(), income: r.income.toString(), isolated: r.isolatedIncome?.toString() ?? null, vsIsolatedBps: r.vsIsolatedBps, soldSlots: r.soldSlots })) ?? [],
      summary: summary === undefined ? null : {
        revenue: summary.revenue.toString(), collected: summary.collected.toString(), refunds: summary.refunds.toString(), burned: summary.burned.toString(),
        jointShare: ratio(summary.jointSlots, summary.slots), proposersPerSlot: ratio(summary.proposerSlots, summary.slots),
        selfSequencedPerSlot: ratio(summary.selfSlots, summary.slots), worseThanIsolated: summary.worseThanIsolated,
        shillGain: summary.shill.gain.toString(),
      },
      proposers,
      schedule,
    };
  });
  return {
    params: {
      slots: params.slots, rollups: params.rollups, bidders: params.bidders, seed: params.seed, burnBps: params.burnBps,
      payoutRule: params.payoutRule, paymentRule: params.paymentRule, shillMarkupBps: params.shillMarkupBps, cap: params.cap,
    },
    shillRollup: market.shillRollup,
    rollups: market.rollups.map((r) => ({ id: r.id, role: r.role })),
    slots,
    mechanisms: perMechanism,
  };
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script's text safe inside `<script>` (no closing tag). */
function inlineScript(text: string): string {
  return text.replace(/<\/script/gi, '<\\/script');
}

/** The complete `report.html`. */
export function reportHtml(sim: Simulation): string {
  const a = webAssets();
  const p = sim.params;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bundle-auction simulation: ${p.slots} slots, ${p.rollups} rollups, seed ${p.seed}</title>
<link rel="icon" href="data:,">
<style>${a.get('uPlot.min.css') ?? ''}</style>
<style>${a.get('dashboard.css') ?? ''}</style>
</head>
<body>
<header>
  <h1>Simulation report</h1>
  <span class="meta" id="params"></span>
</header>
<main>
  <section class="wide"><h2>Mechanisms</h2><div class="scroll"><table id="summary"></table></div></section>
  <section><h2>Revenue per slot (Σ payouts to rollups)</h2><div id="revenue-chart"></div></section>
  <section><h2>Shill profit, cumulative (rollup <span id="shill-rollup"></span>)</h2><div id="shill-chart"></div></section>
  <section class="wide"><h2>Participation: revenue per rollup against its isolated income</h2><div id="participation-chart"></div><div class="legend" id="participation-axis"></div></section>
  <section><h2>Lottery ticket price per rollup</h2><div id="price-chart"></div><div class="muted" id="price-note"></div></section>
  <section class="wide"><h2>Proposer schedules</h2><div class="muted">rows: rollups, columns: slots; colour: proposer; grey: self-sequenced (not sold)</div><div id="schedules"></div></section>
</main>
<div id="tip"></div>
<script type="application/json" id="report-data">${scriptJson(reportData(sim))}</script>
<script>${inlineScript(a.get('uPlot.iife.min.js') ?? '')}</script>
<script>${inlineScript(a.get('charts.js') ?? '')}</script>
<script>${inlineScript(a.get('report.js') ?? '')}</script>
</body>
</html>
`;
}
