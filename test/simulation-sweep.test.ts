import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bid } from '../src/model/types.js';
import { marginalTickets, shillBidder, shillProfit, simulate, type Simulation, type SlotOutcome } from '../src/simulation/index.js';
import { estimate, t975 } from '../src/simulation/stats.js';
import { sweepCsv } from '../src/simulation/sweep-report.js';
import { runSweep, sweepGrid, type SweepSpec } from '../src/simulation/sweep.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { runCli } from './support/cli.js';

/** Per-slot shill gain under one mechanism (with the self-bid minus without). */
function gains(sim: Simulation, mechanism: SlotOutcome['mechanism']): bigint[] {
  const bidder = shillBidder(sim.market.shillRollup);
  const slotOf = new Map(sim.market.slots.map((s) => [s.slot, s] as const));
  const honest = sim.honest.filter((o) => o.mechanism === mechanism);
  return sim.outcomes.filter((o) => o.mechanism === mechanism).map((o, i) => {
    const slot = slotOf.get(o.slot);
    const h = honest[i];
    if (slot === undefined || h === undefined) throw new Error('misaligned runs');
    return shillProfit(sim.market, slot, o, bidder) - shillProfit(sim.market, { ...slot, shill: null }, h, bidder);
  });
}

describe('committed payout rule', () => {
  it('gives a shill nothing in any slot, at 1.5×, 3× and 10× its value, where the standalone rule rewards it', async () => {
    let standaloneGains = 0;
    for (const shillMarkupBps of [15_000, 30_000, 100_000]) {
      for (const payoutRule of ['committed', 'standalone'] as const) {
        const sim = await simulate({ slots: 8, seed: 1, mechanisms: ['auction'], payoutRule, shillMarkupBps });
        const g = gains(sim, 'auction');
        if (payoutRule === 'committed') expect(g.every((x) => x <= 0n), `${shillMarkupBps}: ${g.join(' ')}`).toBe(true);
        else standaloneGains += g.filter((x) => x > 0n).length;
      }
    }
    expect(standaloneGains).toBeGreaterThan(0);
  });
});

describe('marginal ticket model', () => {
  const bids: fc.Arbitrary<Bid[]> = fc.array(fc.record({
    bidder: fc.constantFrom('a', 'b', 'c'),
    bundle: fc.constantFrom(['x'], ['y'], ['x', 'y']),
    amount: fc.bigInt({ min: 0n, max: 10_000n }),
  }), { maxLength: 8 }).map((xs) => xs.map((b, i) => ({ id: `b${i}`, ...b })));

  it('sells at most cap tickets at the price, to bidders on their bundles, until no next ticket pays', () => {
    let stoppedEarly = 0;
    let contested = 0;
    fc.assert(fc.property(bids, fc.bigInt({ min: 0n, max: 500n }), fc.integer({ min: 1, max: 30 }), (list, price, cap) => {
      const tickets = marginalTickets(list, price, cap);
      expect(tickets.length).toBeLessThanOrEqual(cap);
      const value = new Map<string, number>();
      for (const b of list) {
        const k = `${b.bidder}|${b.bundle.join()}`;
        value.set(k, Math.max(value.get(k) ?? 0, Number(b.amount)));
      }
      for (const t of tickets) {
        const c = price * BigInt(t.bundle.length);
        expect(t.amount).toBe(c > 0n ? c : 1n);
        expect(value.has(`${t.holder}|${t.bundle.join()}`)).toBe(true);
      }
      if (new Set(tickets.map((t) => t.bundle.join())).size < new Set(tickets.map((t) => `${t.holder}|${t.bundle.join()}`)).size) contested++;
      if (tickets.length < cap) {
        stoppedEarly++;
        // Independently: no (bidder, bundle) would gain from one more ticket.
        for (const [k, v] of value) {
          const [holder, key] = k.split('|') as [string, string];
          const c = Number(price * BigInt(key.split(',').length)) || 1;
          const mine = tickets.filter((t) => t.holder === holder && t.bundle.join() === key).length;
          const other = tickets.filter((t) => t.holder !== holder && t.bundle.join() === key).length * c;
          const f = (n: number): number => (n === 0 ? 0 : (n * c * v) / (other + n * c) - n * c);
          expect(f(mine + 1) - f(mine)).toBeLessThanOrEqual(1e-6 * Math.max(1, v));
        }
      }
    }), { seed: PROPERTY_SEED, numRuns: 200 });
    expect(stoppedEarly).toBeGreaterThan(20);
    expect(contested).toBeGreaterThan(5);
  });

  it('a lone builder buys one ticket on a bundle it values above the price', () => {
    const tickets = marginalTickets([{ id: 'b', bidder: 'a', bundle: ['x'], amount: 100n }], 10n, 16);
    expect(tickets).toEqual([{ id: 't0', holder: 'a', bundle: ['x'], amount: 10n }]);
    expect(marginalTickets([{ id: 'b', bidder: 'a', bundle: ['x'], amount: 9n }], 10n, 16)).toEqual([]);
  });
});

describe('sweeps', () => {
  it('estimates means with Student-t 95 % intervals', () => {
    const e = estimate([1, 2, 3]);
    expect(e.mean).toBe(2);
    expect(e.sd).toBe(1);
    expect(e.high - e.mean).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(t975(1000)).toBe(1.96);
    expect(estimate([5]).low).toBe(5);
  });

  it('runs the grid on worker threads with the same numbers as in this thread', async () => {
    const spec: SweepSpec = { base: { slots: 3, mechanisms: ['isolated', 'auction', 'lottery'], ticketModel: 'marginal' }, seeds: 2, axes: [{ axis: 'payout', values: ['committed', 'standalone'] }] };
    expect(sweepGrid(spec)).toEqual([{ payout: 'committed' }, { payout: 'standalone' }]);
    let calls = 0;
    const inline = await runSweep(spec, { onProgress: () => calls++ });
    expect(calls).toBe(4);
    const pooled = await runSweep(spec, { workers: 2 });
    expect(pooled.points).toEqual(inline.points);
    const point = inline.points[0];
    expect(point?.metrics['auction.revenue']?.n).toBe(2);
    expect(point?.metrics['lottery.vsAuction']).toBeDefined();
    const csv = sweepCsv(inline).trim().split('\n');
    expect(csv[0]).toBe('payout,metric,n,mean,sd,ci95_low,ci95_high');
    expect(csv).toHaveLength(1 + inline.points.reduce((s, p) => s + Object.keys(p.metrics).length, 0));
  }, 120_000);

  it('measures shading: under pay-as-bid the shader profits only by shading, under VCG without it', async () => {
    const run = async (paymentRule: 'pay-as-bid' | 'vcg', shadeBps: number): Promise<bigint> =>
      (await simulate({ slots: 6, seed: 2, mechanisms: ['auction'], paymentRule, shadeBps })).shading?.profit ?? -1n;
    expect(await run('pay-as-bid', 10_000)).toBe(0n);
    expect(await run('pay-as-bid', 8_000)).toBeGreaterThanOrEqual(0n);
    expect(await run('vcg', 10_000)).toBeGreaterThanOrEqual(0n);
  }, 120_000);

  it('simulate --sweep rejects an unknown axis with exit 2', async () => {
    const bad = await runCli('simulate', '--sweep', 'colour=red');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown axis "colour"/);
    const preset = await runCli('simulate', '--preset', 'nope');
    expect(preset.code).toBe(2);
  });
});
