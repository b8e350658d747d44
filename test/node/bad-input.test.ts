import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotTimes } from '../../src/node/clock.js';
import { MarketClient } from '../../src/node/client.js';
import { BUILDERS, ROLLUP_KEYS, testAccount } from './fixtures.js';
import { startTestNode, type TestNode } from './harness.js';
import { STORE_KINDS } from './stores.js';

const OPEN = 5;
describe.each(STORE_KINDS)('bad input: each answered 4xx with a JSON reason, the store unchanged (%s store)', (storeKind) => {
  let t: TestNode;
  let good: Awaited<ReturnType<MarketClient['signBid']>>;
  const CHALLENGE_SLOT = 1;

  beforeAll(async () => {
    // Slot 1 in its challenge window (with two conflicting bids), slot 5 open, slot 20 pending.
    t = await startTestNode('auction', 1_000_000, {}, { storeKind });
    const { client, clock, config } = t;
    clock.set(slotTimes(config, CHALLENGE_SLOT).opensAt + 1);
    await client.submitBid(BUILDERS[0] as never, { slot: CHALLENGE_SLOT, nonce: 1n, bundle: ['op-1', 'op-2'], amount: 9000n });
    await client.submitBid(BUILDERS[1] as never, { slot: CHALLENGE_SLOT, nonce: 1n, bundle: ['op-2'], amount: 5000n });
    clock.set(slotTimes(config, CHALLENGE_SLOT).closesAt + 1);
    expect((await client.slot(OPEN)).phase).toBe('open');
    await client.submitBid(BUILDERS[0] as never, { slot: OPEN, nonce: 7n, bundle: ['op-1'], amount: 5000n });
    good = await client.signBid(BUILDERS[0] as never, { slot: OPEN, nonce: 8n, bundle: ['op-2', 'op-3'], amount: 6000n });
  });
  afterAll(async () => t.node.close());

  /** Sends a raw request and checks status, error code, field, the §7 error shape and an unchanged store. */
  async function refused(method: 'GET' | 'POST', url: string, payload: string | object, status: number, code: string, field?: string | null): Promise<string> {
    const before = await t.node.market.store.counts();
    const r = await t.node.app.inject({ method, url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    expect(r.statusCode, r.body).toBe(status);
    const body = JSON.parse(r.body) as { error: { code: string; message: string; field: string | null } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'field']);
    expect(body.error.code).toBe(code);
    if (field !== undefined) expect(body.error.field).toBe(field);
    expect(r.body).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(await t.node.market.store.counts()).toEqual(before);
    return body.error.message;
  }

  const withBid = (patch: Record<string, unknown>): object => ({ ...good, bid: { ...good.bid, ...patch } });

    it('signatures: forged, other chain id, other market name, tampered field', async () => {
      const forged = await t.client.signBid(BUILDERS[1] as never, { slot: OPEN, nonce: 8n, bundle: ['op-2', 'op-3'], amount: 6000n });
      expect(await refused('POST', '/v1/bids', { ...forged, bidder: good.bidder }, 401, 'bad_signature', 'signature')).toMatch(/not the bidder/);
      const otherChain = await new MarketClient(t.transport, t.config.market, 1).signBid(BUILDERS[0] as never, { slot: OPEN, nonce: 8n, bundle: ['op-2', 'op-3'], amount: 6000n });
      await refused('POST', '/v1/bids', otherChain, 401, 'bad_signature');
      const otherMarket = await new MarketClient(t.transport, 'another-market', t.config.chainId).signBid(BUILDERS[0] as never, { slot: OPEN, nonce: 8n, bundle: ['op-2', 'op-3'], amount: 6000n });
      await refused('POST', '/v1/bids', otherMarket, 401, 'bad_signature');
      await refused('POST', '/v1/bids', withBid({ amount: '6001' }), 401, 'bad_signature');
    });

    it('replayed nonce, closed and too-distant slots, unknown rollup', async () => {
      const replay = await t.client.signBid(BUILDERS[0] as never, { slot: OPEN, nonce: 7n, bundle: ['op-3'], amount: 1n });
      await refused('POST', '/v1/bids', replay, 409, 'nonce_used', 'bid.nonce');
      const closed = await t.client.signBid(BUILDERS[0] as never, { slot: CHALLENGE_SLOT, nonce: 9n, bundle: ['op-3'], amount: 1n });
      expect(await refused('POST', '/v1/bids', closed, 409, 'wrong_phase', 'bid.slot')).toMatch(/slot 1 is challenge: .*closes at \d+/);
      const distant = await t.client.signBid(BUILDERS[0] as never, { slot: 20, nonce: 9n, bundle: ['op-3'], amount: 1n });
      expect(await refused('POST', '/v1/bids', distant, 409, 'wrong_phase', 'bid.slot')).toMatch(/slot 20 is pending: .*opens at \d+/);
      const unknown = await t.client.signBid(BUILDERS[0] as never, { slot: OPEN, nonce: 9n, bundle: ['op-3', 'nope-9'], amount: 1n });
      expect(await refused('POST', '/v1/bids', unknown, 404, 'not_found', 'bid.bundle[1]')).toMatch(/unknown rollup "nope-9"/);
    });

    it('unknown keys, bad amounts, repeated bundle member, malformed JSON, oversized body', async () => {
      await refused('POST', '/v1/bids', { ...good, extra: 1 }, 400, 'unknown_key', 'extra');
      await refused('POST', '/v1/bids', withBid({ exclusve: 'g' }), 400, 'unknown_key', 'bid.exclusve');
      for (const amount of ['1e18', '-1', '01', 1.5, ' 1', '0x10', (2n ** 256n).toString(), '9'.repeat(78)]) await refused('POST', '/v1/bids', withBid({ amount }), 400, 'bad_amount', 'bid.amount');
      expect(await refused('POST', '/v1/bids', withBid({ bundle: ['op-2', 'op-2'] }), 400, 'bad_request')).toMatch(/repeats a member/);
      await refused('POST', '/v1/bids', '{"bid": {', 400, 'malformed_json', null);
      await refused('POST', '/v1/bids', withBid({ bundle: Array.from({ length: 3000 }, (_, i) => `r-${i}`) }), 413, 'too_large', null);
      await refused('POST', '/v1/bids', withBid({ slot: '5' }), 400, 'bad_request', 'bid.slot');
      await refused('POST', '/v1/bids', withBid({ nonce: '18446744073709551616' }), 400, 'bad_request', 'bid.nonce');
    });

    it('a bidder over its cap', async () => {
      const me = testAccount(0x99);
      for (let i = 0; i < t.config.maxBidsPerBidderPerSlot; i++) await t.client.submitBid(me, { slot: OPEN, nonce: BigInt(i), bundle: ['zk-1'], amount: BigInt(i) });
      const over = await t.client.signBid(me, { slot: OPEN, nonce: 99n, bundle: ['zk-1'], amount: 1n });
      await refused('POST', '/v1/bids', over, 429, 'over_cap', 'bidder');
    });

    it('challenges naming unknown or conflicting bids, or outside the challenge window', async () => {
      const inst = JSON.parse(await t.client.instanceText(CHALLENGE_SLOT)) as { bids: { id: string }[] };
      const [a, b] = inst.bids.map((x) => x.id) as [string, string];
      expect(await refused('POST', `/v1/slots/${CHALLENGE_SLOT}/challenges`, { winners: [a, '0xdead'] }, 400, 'bad_request', 'winners[1]')).toMatch(/names no bid/);
      expect(await refused('POST', `/v1/slots/${CHALLENGE_SLOT}/challenges`, { winners: [a, b] }, 400, 'bad_request')).toMatch(/shares rollup/);
      await refused('POST', `/v1/slots/${CHALLENGE_SLOT}/challenges`, { winners: [a], who: 'x' }, 400, 'unknown_key', 'who');
      await refused('POST', `/v1/slots/${OPEN}/challenges`, { winners: [] }, 409, 'wrong_phase');
    });

    it('reserve updates: wrong key, open slot, stale nonce; beacon in auction mode; result before final', async () => {
      const sign = (account: number, fromSlot: number, nonce: bigint) => ROLLUP_KEYS[account]?.signTypedData({
        domain: { name: t.config.market, version: '1', chainId: t.config.chainId },
        types: { ReserveUpdate: [{ name: 'rollup', type: 'string' }, { name: 'fromSlot', type: 'uint64' }, { name: 'reserve', type: 'uint256' }, { name: 'optIn', type: 'bool' }, { name: 'nonce', type: 'uint64' }] },
        primaryType: 'ReserveUpdate', message: { rollup: 'op-1', fromSlot: BigInt(fromSlot), reserve: 5n, optIn: true, nonce },
      }) as Promise<string>;
      const update = (fromSlot: number, nonce: bigint) => ({ rollup: 'op-1', fromSlot, reserve: '5', optIn: true, nonce: nonce.toString() });
      await refused('POST', '/v1/rollups/op-1/reserve', { update: update(30, 1n), signature: await sign(1, 30, 1n) }, 403, 'forbidden', 'signature');
      await refused('POST', '/v1/rollups/op-1/reserve', { update: update(OPEN, 1n), signature: await sign(0, OPEN, 1n) }, 409, 'wrong_phase', 'update.fromSlot');
      await refused('POST', '/v1/rollups/op-9/reserve', { update: update(30, 1n), signature: await sign(0, 30, 1n) }, 400, 'bad_request', 'update.rollup');
      await t.client.updateReserve(ROLLUP_KEYS[0] as never, { rollup: 'op-1', fromSlot: 30, reserve: 5n, optIn: true, nonce: 2n });
      await refused('POST', '/v1/rollups/op-1/reserve', { update: update(31, 2n), signature: await sign(0, 31, 2n) }, 409, 'nonce_used', 'update.nonce');
      await refused('POST', `/v1/slots/${CHALLENGE_SLOT}/beacon`, { value: `0x${'11'.repeat(32)}`, signature: `0x${'22'.repeat(65)}` }, 400, 'bad_request');
      expect(await refused('GET', `/v1/slots/${OPEN}/result`, '', 409, 'not_final', 'slot')).toMatch(/fixed at/);
      await refused('GET', '/v1/slots/abc', '', 400, 'bad_request');
      await refused('GET', '/v1/nowhere', '', 404, 'not_found');
    });
});
