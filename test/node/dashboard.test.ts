import { afterEach, describe, expect, it } from 'vitest';
import { slotTimes } from '../../src/node/clock.js';
import { DASHBOARD_CSP } from '../../src/node/dashboard-page.js';
import { MAX_OVERVIEW_SLOTS } from '../../src/node/dashboard-data.js';
import { BUILDERS } from './fixtures.js';
import { startTestNode, type TestNode } from './harness.js';

const SLOT = 5;
const open: TestNode[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.node.close();
});

async function node(): Promise<TestNode> {
  const t = await startTestNode('auction', 1_000_000);
  open.push(t);
  return t;
}

async function get(t: TestNode, url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string; json: () => Record<string, unknown> }> {
  const r = await t.node.app.inject({ method: 'GET', url });
  return { status: r.statusCode, headers: r.headers, body: r.body, json: () => JSON.parse(r.body) as Record<string, unknown> };
}

describe('dashboard routes', () => {
  it('serves the page under a self-only CSP, with no inline script, and its files', async () => {
    const t = await node();
    const page = await get(t, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toMatch(/script-src 'self';/);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe/);
    const scripts = [...page.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(3);
    for (const s of scripts) expect(s).toMatch(/ src="\/dashboard\/[\w.]+\.js"/);
    expect(page.body).not.toMatch(/<style|style="/);
    for (const [file, type] of [['app.js', 'text/javascript'], ['charts.js', 'text/javascript'], ['uPlot.iife.min.js', 'text/javascript'], ['uPlot.min.css', 'text/css'], ['dashboard.css', 'text/css'], ['favicon.svg', 'image/svg+xml']] as const) {
      const r = await get(t, `/dashboard/${file}`);
      expect(r.status, file).toBe(200);
      expect(String(r.headers['content-type'])).toContain(type);
      expect(r.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      expect(r.body.length).toBeGreaterThan(100);
    }
    const missing = await get(t, '/dashboard/secret.txt');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found', field: 'file' } });
  });

  it('overview and slot picture follow bids, the incumbent and the result', async () => {
    const t = await node();
    const { client, clock, node: n, config } = t;
    await client.submitBid(BUILDERS[0] as never, { slot: SLOT, nonce: 1n, bundle: ['op-1', 'op-2'], amount: 5_000n });
    await client.submitBid(BUILDERS[1] as never, { slot: SLOT, nonce: 1n, bundle: ['zk-1'], amount: 4_500n });
    await n.market.solveSlot(SLOT);

    const live = (await get(t, `/v1/dashboard/slots/${SLOT}`)).json();
    expect(live).toMatchObject({ slot: SLOT, phase: 'open', bids: 2, value: '12500', by: 'node' });
    const b0 = BUILDERS[0]?.address.toLowerCase();
    const b1 = BUILDERS[1]?.address.toLowerCase();
    const winners = [...(live['winners'] as { bundle: string[] }[])].sort((a, b) => (a.bundle[0] ?? '').localeCompare(b.bundle[0] ?? ''));
    expect(winners).toEqual([
      { id: expect.stringMatching(/^0x[0-9a-f]{64}$/), bidder: b0, bundle: ['op-1', 'op-2'], amount: '5000', proposer: b0 },
      { id: expect.stringMatching(/^0x[0-9a-f]{64}$/), bidder: b1, bundle: ['zk-1'], amount: '4500', proposer: b1 },
    ]);
    expect(live['rollups']).toEqual([{ id: 'op-1', reserve: '1000' }, { id: 'op-2', reserve: '2000' }, { id: 'op-3', reserve: '3000' }, { id: 'zk-1', reserve: '4000' }]);
    expect(live['history']).toMatchObject([{ value: '12500', by: 'node', seq: 0 }]);

    clock.set(slotTimes(config, SLOT).finalAt);
    await n.market.tick();
    const result = await client.result(SLOT);
    const final = (await get(t, `/v1/dashboard/slots/${SLOT}`)).json();
    expect(final).toMatchObject({ phase: 'final', value: result['value'], by: 'node' });
    expect((final['winners'] as { bundle: string[] }[]).map((w) => w.bundle.join(',')).sort()).toEqual(['op-1,op-2', 'zk-1']);

    const first = await get(t, '/v1/dashboard/overview');
    // Final rows come from a cache on the second read: the same bytes.
    expect((await get(t, '/v1/dashboard/overview')).body).toBe(first.body);
    const o = first.json();
    expect(o).toMatchObject({ market: config.market, mode: 'auction', rollups: ['op-1', 'op-2', 'op-3', 'zk-1'], lottery: null });
    const slots = o['slots'] as { slot: number; phase: string; proposers: number[] | null; payouts: string[] | null; reserves: (string | null)[] }[];
    expect(slots.at(-1)?.slot).toBe(o['to']);
    const row = slots.find((s) => s.slot === SLOT);
    expect(row?.phase).toBe('final');
    const table = o['proposers'] as string[];
    const proposers = result['proposers'] as { rollup: string; proposer: string }[];
    expect(row?.proposers?.map((k, i) => (k < 0 ? (o['rollups'] as string[])[i] : table[k]))).toEqual(proposers.map((p) => p.proposer));
    const payouts = result['payouts'] as { rollup: string; amount: string }[];
    expect(row?.payouts).toEqual((o['rollups'] as string[]).map((r) => payouts.find((p) => p.rollup === r)?.amount ?? '0'));
    expect(row?.reserves).toEqual(['1000', '2000', '3000', '4000']);
    expect(slots.find((s) => s.phase !== 'final')?.proposers).toBeNull();
  });

  it('refuses bad overview ranges with the §7 error body', async () => {
    const t = await node();
    const tooMany = await get(t, `/v1/dashboard/overview?from=0&to=${MAX_OVERVIEW_SLOTS}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toMatchObject({ error: { code: 'bad_request', field: 'to' } });
    expect((await get(t, `/v1/dashboard/overview?from=1&to=${MAX_OVERVIEW_SLOTS}`)).status).toBe(200);
    expect((await get(t, '/v1/dashboard/overview?from=9&to=3')).json()).toMatchObject({ error: { field: 'to' } });
    expect((await get(t, '/v1/dashboard/overview?from=3')).json()).toMatchObject({ error: { code: 'bad_request', field: 'to' } });
    expect((await get(t, '/v1/dashboard/overview?from=x&to=3')).status).toBe(400);
    expect((await get(t, '/v1/dashboard/overview?slot=3')).status).toBe(400);
    expect((await get(t, '/v1/dashboard/slots/0')).status).toBe(404);
  });

  it('lottery mode: bundles without a proposer until the draw; price, cap, tickets and refunds in the overview', async () => {
    const t = await startTestNode('lottery', 1_000_000);
    open.push(t);
    const { client, clock, node: n, config } = t;
    const tickets = [
      { bundle: ['op-1', 'op-2'], amount: 2_500n },
      { bundle: ['op-1', 'op-2'], amount: 1_800n },
      { bundle: ['op-1'], amount: 150n },
    ];
    for (const [i, d] of tickets.entries()) await client.submitTicket(BUILDERS[i] as never, { slot: SLOT, nonce: BigInt(i), ...d });
    await n.market.solveSlot(SLOT);
    const live = (await get(t, `/v1/dashboard/slots/${SLOT}`)).json();
    expect(live).toMatchObject({ mode: 'lottery', phase: 'open', bids: 3 });
    expect(live['winners']).toEqual([{ id: '["op-1","op-2"]', bidder: null, bundle: ['op-1', 'op-2'], amount: '4300', proposer: null }]);

    clock.set(slotTimes(config, SLOT).finalAt);
    await n.market.tick();
    const result = await client.result(SLOT);
    const o = (await get(t, '/v1/dashboard/overview')).json();
    expect(o['lottery']).toEqual({ price: '100', cap: 32 });
    const row = (o['slots'] as Record<string, unknown>[]).find((s) => s['slot'] === SLOT);
    const refunds = (result['refunds'] as { amount: string }[]).reduce((a, r) => a + BigInt(r.amount), 0n);
    expect(refunds).toBe(150n); // the losing ticket, in full
    expect(row).toMatchObject({ phase: 'final', bids: 3, refunds: '150', nextPrice: result['nextPrice'] });
    const final = (await get(t, `/v1/dashboard/slots/${SLOT}`)).json();
    const drawn = (final['winners'] as { proposer: string }[])[0]?.proposer;
    expect([BUILDERS[0]?.address.toLowerCase(), BUILDERS[1]?.address.toLowerCase()]).toContain(drawn);
  });
});
