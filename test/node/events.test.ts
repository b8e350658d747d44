import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { slotTimes } from '../../src/node/clock.js';
import { parseNodeConfig } from '../../src/node/config.js';
import { MarketEvents, type MarketEvent } from '../../src/node/events.js';
import { BUILDERS, configObject } from './fixtures.js';
import { startTestNode, type TestNode } from './harness.js';

const SLOT = 5;
const open: TestNode[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.node.close();
});

async function node(overrides: Record<string, unknown> = {}, heartbeatMs?: number): Promise<TestNode> {
  const t = await startTestNode('auction', 1_000_000, overrides, heartbeatMs === undefined ? {} : { eventStream: { heartbeatMs } });
  open.push(t);
  return t;
}

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('MarketEvents publisher', () => {
  it('numbers events from 1, filters by slot, unsubscribes', () => {
    const ev = new MarketEvents();
    const all: MarketEvent[] = [];
    const five: MarketEvent[] = [];
    const stop = ev.subscribe((e) => void all.push(e));
    ev.subscribe((e) => void five.push(e), { slot: 5 });
    ev.publish('phase', { slot: 4, phase: 'open', at: 1 });
    ev.publish('bid', { slot: 5, bids: 1, at: 2 });
    stop();
    stop();
    ev.publish('bid', { slot: 5, bids: 2, at: 3 });
    expect(all.map((e) => [e.type, e.id])).toEqual([['phase', 1], ['bid', 2]]);
    expect(five.map((e) => e.id)).toEqual([2, 3]);
    expect(ev.lastId).toBe(3);
    expect(ev.size).toBe(1);
  });

  it('drops a subscriber that falls behind its queue; publishing never waits, others get everything', () => {
    const ev = new MarketEvents();
    const drops: string[] = [];
    let slowCalls = 0;
    ev.subscribe(() => {
      slowCalls++;
      return new Promise<void>(() => undefined); // never drains
    }, { maxQueue: 4, onDrop: (r) => drops.push(r) });
    const fast: number[] = [];
    ev.subscribe((e) => void fast.push(e.id));
    const started = Date.now();
    for (let i = 0; i < 10; i++) ev.publish('bid', { slot: 1, bids: i, at: i });
    expect(Date.now() - started).toBeLessThan(500);
    // One event in the listener, four queued; the sixth overflows.
    expect(slowCalls).toBe(1);
    expect(drops).toEqual(['more than 4 events waiting']);
    expect(ev.droppedCount).toBe(1);
    expect(ev.size).toBe(1);
    expect(fast).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('drops a listener that throws, without reaching the publisher', () => {
    const ev = new MarketEvents();
    const drops: string[] = [];
    ev.subscribe(() => {
      throw new Error('boom');
    }, { onDrop: (r) => drops.push(r) });
    expect(() => ev.publish('bid', { slot: 1, bids: 1, at: 0 })).not.toThrow();
    expect(drops).toEqual(['listener failed: boom']);
    expect(ev.size).toBe(0);
  });
});

describe('market events', () => {
  it('phase changes, coalesced bids, incumbents (who, seq) and the final result', async () => {
    const t = await node();
    const { client, clock, node: n, config } = t;
    const events: MarketEvent[] = [];
    n.market.events.subscribe((e) => void events.push(e), { slot: SLOT });
    const times = slotTimes(config, SLOT);

    await client.submitBid(BUILDERS[0] as never, { slot: SLOT, nonce: 1n, bundle: ['op-1', 'op-2'], amount: 5_000n });
    await client.submitBid(BUILDERS[1] as never, { slot: SLOT, nonce: 1n, bundle: ['op-3'], amount: 3_500n });
    await client.submitBid(BUILDERS[2] as never, { slot: SLOT, nonce: 1n, bundle: ['op-1', 'op-2', 'op-3'], amount: 9_999n });
    // The first goes out at once; the next two within ~100 ms as one event with the count.
    expect(events[0]).toMatchObject({ type: 'bid', data: { slot: SLOT, bids: 1, at: clock.now() } });
    await until(() => events.some((e) => e.type === 'bid' && e.data.bids === 3), 'the coalesced bid event');
    expect(events.filter((e) => e.type === 'bid')).toHaveLength(2);

    await n.market.solveSlot(SLOT);
    const byNode = events.find((e) => e.type === 'incumbent');
    expect(byNode).toMatchObject({ type: 'incumbent', data: { slot: SLOT, by: 'node', seq: 0, value: '13999' } });
    expect(byNode?.type === 'incumbent' && byNode.data.bound).toBe('13999');
    expect((await client.slot(SLOT)).incumbent?.digest).toBe(byNode?.type === 'incumbent' ? byNode.data.digest : '');

    clock.set(times.closesAt);
    await n.market.tick();
    expect(events.at(-1)).toMatchObject({ type: 'phase', data: { slot: SLOT, phase: 'challenge', at: times.closesAt } });
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    clock.set(times.finalAt + 5);
    await n.market.tick();
    const result = await client.result(SLOT);
    expect(events.slice(-2)).toMatchObject([
      { type: 'phase', data: { slot: SLOT, phase: 'final', at: times.finalAt + 5 } },
      { type: 'final', data: { slot: SLOT, digest: result['digest'], value: result['value'] } },
    ]);
  });

  it('a clock jump publishes at most 16 phase events per kind, none going backwards', async () => {
    const t = await node();
    const phases: MarketEvent[] = [];
    t.node.market.events.subscribe((e) => void (e.type === 'phase' && phases.push(e)));
    t.clock.advance(12_000 * 40);
    await t.node.market.tick();
    for (const kind of ['open', 'challenge', 'final']) expect(phases.filter((e) => e.type === 'phase' && e.data.phase === kind)).toHaveLength(16);
    const n = phases.length;
    t.clock.advance(-12_000 * 20);
    await t.node.market.tick();
    expect(phases).toHaveLength(n);
  }, 30_000);
});

/** An SSE connection over a real socket: raw text so far, status, headers. */
interface Stream {
  readonly res: IncomingMessage;
  text: string;
  ended: boolean;
}

function connect(port: number, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream' } }, (res) => {
      const s: Stream = { res, text: '', ended: false };
      res.setEncoding('utf8');
      res.on('data', (d: string) => (s.text += d));
      res.on('end', () => (s.ended = true));
      res.on('close', () => (s.ended = true));
      resolve(s);
    });
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Parses complete SSE frames (comments and retry lines skipped). */
function frames(text: string): { event: string; id: number; data: Record<string, unknown> }[] {
  return text.split('\n\n').filter((b) => b.startsWith('event: ')).map((b) => {
    const f = Object.fromEntries(b.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
    return { event: f['event'] as string, id: Number(f['id']), data: JSON.parse(f['data'] as string) as Record<string, unknown> };
  });
}

describe('GET /v1/events', () => {
  it('config: maxEventClients defaults to 64, must be an integer from 0', () => {
    const parse = (o: Record<string, unknown>) => parseNodeConfig(JSON.stringify(configObject('auction', o)), 'm.json', {});
    expect(parse({}).maxEventClients).toBe(64);
    expect(parse({ maxEventClients: 3 }).maxEventClients).toBe(3);
    expect(() => parse({ maxEventClients: -1 })).toThrow('m.json: maxEventClients: must be an integer from 0 to 100000');
  });

  it('streams retry, hello, filtered events and heartbeats; caps clients; closes promptly', async () => {
    const t = await node({ maxEventClients: 2 }, 40);
    const { app, market } = t.node;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;

    const base = market.events.size; // the dashboard's incumbent history listens too
    const all = await connect(port, '/v1/events');
    const one = await connect(port, `/v1/events?slot=${SLOT}`);
    expect(all.res.statusCode).toBe(200);
    expect(all.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(all.res.headers['cache-control']).toBe('no-cache, no-transform');

    // The cap: a third stream is refused with the §7 error body.
    const third = await connect(port, '/v1/events');
    await until(() => third.ended, 'the refused stream to end');
    expect(third.res.statusCode).toBe(429);
    expect(JSON.parse(third.text)).toMatchObject({ error: { code: 'over_cap', field: null } });
    expect(third.text).toMatch(/maxEventClients/);

    const bad = await connect(port, '/v1/events?slot=x');
    await until(() => bad.ended, 'the bad request to end');
    expect(bad.res.statusCode).toBe(400);

    await until(() => all.text.includes('event: hello'), 'hello');
    expect(all.text.startsWith('retry: 2000\n\n')).toBe(true);
    expect(frames(all.text)[0]).toMatchObject({ event: 'hello', id: 0, data: { market: t.config.market, chainId: t.config.chainId, mode: 'auction', slotMs: 12_000, now: 1_000_000 } });

    await t.client.submitBid(BUILDERS[0] as never, { slot: SLOT, nonce: 1n, bundle: ['op-1'], amount: 5_000n });
    await t.client.submitBid(BUILDERS[0] as never, { slot: SLOT - 1, nonce: 1n, bundle: ['op-1'], amount: 5_000n });
    await until(() => frames(all.text).filter((f) => f.event === 'bid').length === 2, 'two bid events on the unfiltered stream');
    await until(() => all.text.includes(': hb\n\n') && one.text.includes(': hb\n\n'), 'heartbeats');
    const mine = frames(one.text).filter((f) => f.event !== 'hello');
    expect(mine).toEqual([{ event: 'bid', id: 1, data: { slot: SLOT, bids: 1, at: 1_000_000 } }]);
    expect(frames(all.text).map((f) => f.id)).toEqual([0, 1, 2]);
    expect(market.events.size).toBe(base + 2);

    // A closing server ends its streams rather than waiting for them.
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await until(() => all.ended && one.ended, 'the streams to end');
    expect(market.events.size).toBe(0);
  });
});
