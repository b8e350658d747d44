import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { ManualClock, lastFinalSlot, lastOpenedSlot, slotPhase, slotTimes } from '../../src/node/clock.js';
import { parseNodeConfig } from '../../src/node/config.js';
import { marketDomain, referenceDigest, typedData, typedDigest } from '../../src/node/eip712.js';
import { recoverSigner, referenceRecover } from '../../src/node/recover.js';
import { configObject, testAccount } from './fixtures.js';

const parse = (o: Record<string, unknown>): ReturnType<typeof parseNodeConfig> => parseNodeConfig(JSON.stringify(o), 'market.json', {});

describe('node config', () => {
  it('accepts the example shape and lower-cases addresses', () => {
    const c = parse(configObject('lottery'));
    expect(c.mode).toBe('lottery');
    expect(c.lottery).toEqual({ price: 100n, cap: 32 });
    expect(c.rollups[0]?.signer).toMatch(/^0x[0-9a-f]{40}$/);
    expect(c.operator).toBe(c.operator.toLowerCase());
  });

  it.each([
    [{ extra: 1 }, 'market.json: extra: unknown key'],
    [{ mode: 'auction', lottery: { price: '1', cap: 1 } }, 'lottery: is only allowed when mode is "lottery"'],
    [{ leadMs: 5000 }, 'closeMs: must be below leadMs'],
    [{ finalMs: 8000 }, 'finalMs: must be below closeMs'],
    [{ chainId: 1.5 }, 'chainId: must be an integer'],
    [{ operator: '0x12' }, 'operator: must be a 0x-prefixed 20-byte hex address'],
    [{ nodeKey: '0x00' }, 'nodeKey: must be a 0x-prefixed 32-byte hex'],
    [{ burnBps: 10001 }, 'burnBps: must be an integer from 0 to 10000'],
    [{ payoutRule: 'fair' }, 'payoutRule: must be one of'],
    [{ rollups: [{ id: 'a', signer: '0x' + '1'.repeat(40), reserve: '1e18' }] }, 'rollups[0].reserve'],
    [{ rollups: [{ id: 'a', signer: '0x' + '1'.repeat(40), resrve: '1' }] }, 'did you mean "reserve"?'],
  ])('rejects %j', (override, message) => {
    expect(() => parse(configObject('auction', override))).toThrow(message);
  });

  it('requires the lottery block in lottery mode and reads the node key from the environment', () => {
    const { lottery: _l, ...noLottery } = configObject('lottery');
    expect(() => parse(noLottery)).toThrow('lottery: is required in lottery mode');
    const { nodeKey, ...noKey } = configObject('auction');
    expect(() => parse(noKey)).toThrow('nodeKey: is required');
    expect(parseNodeConfig(JSON.stringify(noKey), 'm.json', { BUNDLE_AUCTION_NODE_KEY: nodeKey as string }).nodeKey).toBe(nodeKey);
  });

  it('names line and column of a JSON syntax error', () => {
    expect(() => parseNodeConfig('{"market": }', 'm.json', {})).toThrow(/m\.json: line 1, column \d+/);
  });
});

describe('slot clock', () => {
  const t = { genesisMs: 100_000, slotMs: 12_000, leadMs: 60_000, closeMs: 8_000, finalMs: 2_000 };
  test.prop([fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 300_000_000 })], { seed: 10 })('phases follow the times; last slots agree with phases', (slot, now) => {
    const s = slotTimes(t, slot);
    const phase = slotPhase(t, slot, now);
    expect(phase).toBe(now < s.opensAt ? 'pending' : now < s.closesAt ? 'open' : now < s.finalAt ? 'challenge' : 'final');
    const f = lastFinalSlot(t, now);
    if (f >= 0) expect(slotPhase(t, f, now)).toBe('final');
    expect(slotPhase(t, f + 1, now)).not.toBe('final');
    const o = lastOpenedSlot(t, now);
    if (o >= 0) expect(slotPhase(t, o, now)).not.toBe('pending');
    expect(slotPhase(t, o + 1, now)).toBe('pending');
  });

  it('a manual clock moves only when told', () => {
    const c = new ManualClock(5);
    c.advance(10);
    expect(c.now()).toBe(15);
    c.set(3);
    expect(c.now()).toBe(3);
  });
});

describe('signatures', () => {
  const domain = marketDomain('bundle-auction-test', 31337);
  const bundleArb = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 5 });
  const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

  const u256 = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.constantFrom(0n, 1n, 255n, 256n, 2n ** 64n - 1n, 2n ** 256n - 1n));
  const text = fc.string({ maxLength: 8, unit: fc.oneof(fc.constant('é'), fc.constant('🦀'), fc.constant('\u0000'), fc.string({ minLength: 1, maxLength: 1 })) });
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as const);
  const domains = fc.record({ name: fc.string({ maxLength: 12 }), chainId: fc.integer({ min: 0, max: 2 ** 53 - 1 }) }).map((d) => marketDomain(d.name, d.chainId));

  test.prop([domains, u64, bundleArb, u256, text, u64, fc.boolean(), bytes32], { seed: 11, numRuns: 60 })(
    'typedDigest equals viem hashTypedData for every struct (unicode strings, range ends, any domain)',
    (d, slot, bundle, amount, exclusive, nonce, optIn, value) => {
      expect(typedDigest(d, 'Bid', { slot, bundle, amount, exclusive, nonce })).toBe(referenceDigest(d, 'Bid', { slot, bundle, amount, exclusive, nonce }));
      expect(typedDigest(d, 'Ticket', { slot, bundle, amount, nonce })).toBe(referenceDigest(d, 'Ticket', { slot, bundle, amount, nonce }));
      const update = { rollup: exclusive, fromSlot: slot, reserve: amount, optIn, nonce };
      expect(typedDigest(d, 'ReserveUpdate', update)).toBe(referenceDigest(d, 'ReserveUpdate', update));
      expect(typedDigest(d, 'Beacon', { slot, value })).toBe(referenceDigest(d, 'Beacon', { slot, value }));
      expect(typedDigest(d, 'Result', { slot: nonce, digest: value })).toBe(referenceDigest(d, 'Result', { slot: nonce, digest: value }));
    },
  );

  it('typedDigest refuses values out of their type, as viem does', () => {
    const bid = { slot: 1n, bundle: ['a'], amount: 2n ** 256n, exclusive: '', nonce: 0n };
    expect(() => typedDigest(domain, 'Bid', bid)).toThrow(RangeError);
    expect(() => referenceDigest(domain, 'Bid', bid)).toThrow();
    expect(() => typedDigest(domain, 'Bid', { ...bid, amount: 1n, slot: 2n ** 64n })).toThrow(RangeError);
    expect(() => typedDigest(domain, 'Bid', { ...bid, amount: -1n })).toThrow(RangeError);
  });

  it('native recovery agrees with viem on valid, tampered and garbage signatures', async () => {
    let tampered = 0;
    for (let i = 0; i < 12; i++) {
      const account = testAccount(0x70 + i);
      const message = { slot: BigInt(i), bundle: ['op-1', `zk-${i}`], amount: 10n ** 18n + BigInt(i), exclusive: i % 2 === 0 ? '' : 'g', nonce: BigInt(i * 7) };
      const signature = await account.signTypedData(typedData(domain, 'Bid', message));
      const digest = typedDigest(domain, 'Bid', message);
      expect(recoverSigner(digest, signature)).toBe(account.address.toLowerCase());
      expect(await referenceRecover(digest, signature)).toBe(account.address.toLowerCase());
      // Another domain or a changed field recovers some other key (never the signer).
      const other = typedDigest(marketDomain('bundle-auction-test', 1), 'Bid', message);
      const fast = recoverSigner(other, signature);
      expect(fast).toBe(await referenceRecover(other, signature));
      expect(fast).not.toBe(account.address.toLowerCase());
      tampered++;
    }
    expect(tampered).toBe(12);
    const digest = typedDigest(domain, 'Beacon', { slot: 1n, value: `0x${'ab'.repeat(32)}` });
    expect(recoverSigner(digest, '0x1234')).toBeNull();
    expect(recoverSigner(digest, `0x${'00'.repeat(64)}1b`)).toBeNull();
    expect(await referenceRecover(digest, `0x${'00'.repeat(64)}1b` as Hex)).toBeNull();
    expect(recoverSigner(digest, `0x${'11'.repeat(64)}05`)).toBeNull();
  });
});

describe('settling a given allocation', () => {
  it('settleAuction / settleLottery reproduce runAuction / runLottery from their own winners', async () => {
    const { generateInstance } = await import('../../src/generators/index.js');
    const { runAuction, settleAuction, runLottery, settleLottery, bundleKey } = await import('../../src/mechanism/index.js');
    for (const seed of [1, 2, 3]) {
      const instance = generateInstance('rollup-market', { rollups: 6, bids: 30, seed });
      const options = { burnBps: 500, payoutRule: 'standalone' as const };
      const auction = await runAuction(instance, options);
      const index = new Map(instance.bids.map((b, i) => [b.id, i]));
      const { status: _s, ...rest } = auction;
      expect(settleAuction(instance, auction.winners.map((w) => index.get(w.tickets[0] as string) as number), options)).toEqual(rest);
      const round = { rollups: instance.rollups, tickets: instance.bids.map((b) => ({ id: b.id, holder: b.bidder, bundle: b.bundle, amount: b.amount })), price: 0n, cap: 64, burnBps: 300, payoutRule: 'equal' as const };
      const lottery = await runLottery(round, { seed: 'ab12' });
      const { status: _t, ...lotteryRest } = lottery;
      expect(settleLottery(round, lottery.winners.map((w) => bundleKey(w.bundle)), 'ab12')).toEqual(lotteryRest);
    }
  });
});
