import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rollupMarketValuation } from '../src/generators/rollup-market.js';
import { runLottery } from '../src/mechanism/lottery.js';
import { nextPrice } from '../src/mechanism/pricing.js';
import { simulate, simulationDrawSeed, ticketsFromBids, type Simulation, type SlotOutcome } from '../src/simulation/index.js';
import { sweepHtml } from '../src/simulation/sweep-charts.js';
import type { SweepResult } from '../src/simulation/sweep.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { runCli } from './support/cli.js';

const lotteryOf = (sim: Simulation): SlotOutcome[] => sim.outcomes.filter((o) => o.mechanism === 'lottery');
const holders = (o: SlotOutcome): string[] => o.winners.map((w) => `${w.bundle.join('+')}:${w.proposer}`);

describe('simulate: the lottery run once per window of slots', () => {
  it('window 1 is the per-slot lottery, recomputed slot by slot from the market', async () => {
    const sim = await simulate({ slots: 6, seed: 3, mechanisms: ['lottery'], cap: 10 });
    let price = sim.params.startPrice;
    let sold = 0;
    for (const [i, o] of lotteryOf(sim).entries()) {
      const slot = sim.market.slots[i];
      if (slot === undefined) throw new Error(`no slot ${i}`);
      const bids = [...slot.bids, ...(slot.shill === null ? [] : [slot.shill])];
      const tickets = ticketsFromBids(bids, price, sim.params.cap);
      const round = { rollups: slot.rollups, tickets, price, cap: sim.params.cap, burnBps: 0, payoutRule: sim.params.payoutRule, pricing: sim.params.pricing };
      const result = await runLottery(round, { seed: simulationDrawSeed(sim.params.seed, slot.slot), solve: { method: 'auto', timeLimit: 2 } });
      expect(o.carried).toBeUndefined();
      expect(o.price).toBe(price);
      expect(holders(o)).toEqual(result.winners.map((w) => `${w.bundle.join('+')}:${w.proposerHolder}`));
      expect(o.payouts.filter((p) => p.amount > 0n)).toEqual(result.payouts.filter((p) => p.amount > 0n));
      sold += result.winners.length;
      price = result.nextPrice;
    }
    expect(sold).toBeGreaterThan(0); // the check compared real sales
    expect(sim.summaries[0]?.rounds).toBe(6);
  });

  it('one round per window: the same proposers throughout, all money in its first slot, window reserves and caps', async () => {
    let windowsWithSales = 0;
    await fc.assert(fc.asyncProperty(
      fc.record({
        seed: fc.nat(500),
        rollups: fc.integer({ min: 3, max: 6 }),
        slots: fc.integer({ min: 3, max: 9 }),
        lotteryWindow: fc.integer({ min: 2, max: 4 }),
        cap: fc.integer({ min: 2, max: 10 }),
      }),
      async (o) => {
        const sim = await simulate({ ...o, bidders: 3, mechanisms: ['lottery'], startPrice: 10n ** 14n });
        const out = lotteryOf(sim);
        const path = sim.summaries[0]?.pricePath ?? [];
        expect(out).toHaveLength(o.slots);
        expect(sim.summaries[0]?.rounds).toBe(Math.ceil(o.slots / o.lotteryWindow));
        for (let start = 0; start < o.slots; start += o.lotteryWindow) {
          const window = out.slice(start, start + o.lotteryWindow);
          const slots = sim.market.slots.slice(start, start + o.lotteryWindow);
          const [first, ...later] = window;
          if (first === undefined) throw new Error('empty window');
          const k = BigInt(window.length);
          // All money moves in the first slot, exactly conserved.
          const refunds = first.refunds.reduce((s, r) => s + r.amount, 0n);
          expect(first.collected).toBe(refunds + first.payouts.reduce((s, p) => s + p.amount, 0n) + first.burned);
          for (const c of later) {
            expect(c.carried).toBe(true);
            expect(c.collected).toBe(0n);
            expect(c.payouts.every((p) => p.amount === 0n)).toBe(true);
            expect(holders(c)).toEqual(holders(first));
            expect(c.price).toBe(first.price);
          }
          // One sale of at most k·cap tickets, each k times a bid of the first slot.
          const bids = new Map([...(slots[0]?.bids ?? []), ...(slots[0]?.shill == null ? [] : [slots[0].shill])].map((b) => [b.id, b.amount] as const));
          const tickets = [...first.refunds.map((r) => [r.bid, r.amount] as const), ...first.winners.flatMap((w) => w.bids.map((id) => [id, null] as const))];
          expect(tickets.length <= o.cap * window.length).toBe(true);
          for (const [id, amount] of tickets) if (amount !== null) expect(amount).toBe((bids.get(id) ?? -1n) * k);
          // A sold rollup is opted in for every slot of the window and paid at least its reserves over them.
          for (const w of first.winners) {
            if (w.paid > 0n) windowsWithSales++;
            for (const r of w.bundle) {
              const reserves = slots.map((s) => s.rollups.find((x) => x.id === r)?.reserve);
              expect(reserves.every((x) => x !== undefined)).toBe(true);
              const total = reserves.reduce<bigint>((s, x) => s + (x ?? 0n), 0n);
              expect((first.payouts.find((p) => p.rollup === r)?.amount ?? 0n) >= total).toBe(true);
            }
          }
          // The price rule runs on the window's sale, once per slot of it.
          let next = first.price ?? 0n;
          for (let i = 0; i < window.length; i++) next = nextPrice(next, tickets.length, o.cap * window.length, sim.params.pricing);
          expect(path[start + window.length]).toBe(next);
        }
      },
    ), { seed: PROPERTY_SEED, numRuns: 10 });
    expect(windowsWithSales).toBeGreaterThan(0);
  });

  it('the welfare valuation replays the generator: every bid of a slot is 0.85–1.05 of its bidder’s value', async () => {
    const sim = await simulate({ slots: 3, seed: 7, mechanisms: ['auction'] });
    const { rollups, bidders, seed } = sim.market.config;
    const gwei = 10n ** 9n;
    let checked = 0;
    for (const slot of sim.market.slots) {
      const value = rollupMarketValuation(rollups, 10 * bidders, seed, slot.slot);
      for (const b of slot.bids) {
        const v = value(b.bidder, b.bundle);
        expect(b.amount * 100n <= v * 105n + 200n * gwei, `${b.id} ${b.amount} vs value ${v}`).toBe(true);
        expect(b.amount * 100n + 200n * gwei >= v * 85n, `${b.id} ${b.amount} vs value ${v}`).toBe(true);
        checked++;
      }
      // The next slot's values differ (MEV is realised per slot), so the replay is per slot.
      expect(value('nobody', slot.bids[0]?.bundle ?? [])).toBe(0n);
    }
    expect(checked).toBeGreaterThan(100);
    expect(sim.summaries[0]?.welfare).toBeGreaterThan(0n);
  });

  it('CLI: --lottery-window and the window axis take positive integers (exit 2 otherwise)', async () => {
    const bad = await runCli('simulate', '--slots', '4', '--lottery-window', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/lottery-window/);
    const axis = await runCli('simulate', '--slots', '4', '--seeds', '1', '--sweep', 'window=0,2');
    expect(axis.code).toBe(2);
    expect(axis.stderr).toMatch(/window value 0 is not a positive integer/);
    const ok = await runCli('simulate', '--slots', '4', '--mechanisms', 'lottery', '--lottery-window', '2', '--json');
    expect(ok.code).toBe(0);
    const summary = JSON.parse(ok.stdout) as { mechanisms: { mechanism: string; rounds: number }[] };
    expect(summary.mechanisms.find((m) => m.mechanism === 'lottery')?.rounds).toBe(2);
  });
});

describe('sweep.html', () => {
  const est = (mean: number, half: number) => ({ n: 4, mean, sd: half, low: mean - half, high: mean + half });
  const result: SweepResult = {
    spec: { base: {}, seeds: 4, axes: [{ axis: 'tickets', values: ['marginal', 'bids'] }, { axis: 'window', values: [1, 2, 4] }] },
    runs: 24,
    elapsedMs: 0,
    points: [1, 2, 4].flatMap((w) => ['marginal', 'bids'].map((t) => ({
      params: { tickets: t, window: w },
      metrics: { 'lottery.welfareVsAuction': est((t === 'bids' ? 0.9 : 0.8) - w / 100, 0.05), ...(t === 'bids' ? { 'lottery.revenue': est(40 + w, 10) } : {}) },
    }))),
  };

  it('draws one chart per metric present: each point at its mean with its interval, labelled, one line per other-axis value', () => {
    const html = sweepHtml(result, ['lottery.welfareVsAuction', 'lottery.revenue', 'auction.revenue']);
    const charts = html.split('<svg').slice(1);
    expect(charts).toHaveLength(2); // auction.revenue is in no point
    const welfare = charts[0] ?? '';
    expect(welfare).toContain('data-metric="lottery.welfareVsAuction"');
    const points = [...welfare.matchAll(/<circle class="point" cx="([\d.]+)" cy="([\d.]+)" r="3"><title>([^<]+)<\/title>/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]), title: m[3] ?? '' }));
    expect(points).toHaveLength(6);
    expect(points.map((p) => p.title)).toContain('tickets=bids window=2: 0.8800 ± 0.0500');
    // Higher means are drawn higher (smaller y), and x follows the window axis within a line.
    const at = (t: string, w: number) => points.find((p) => p.title.startsWith(`tickets=${t} window=${w}:`));
    expect((at('bids', 1)?.cy ?? 0) < (at('marginal', 1)?.cy ?? 0)).toBe(true);
    expect((at('bids', 1)?.cx ?? 0) < (at('bids', 2)?.cx ?? 0)).toBe(true);
    expect(welfare.match(/<polyline/g)).toHaveLength(2);
    expect(html).toContain('tickets = marginal, bids; window = 1, 2, 4; 4 markets');
  });
});
