import { afterAll, describe, expect, it } from 'vitest';
import { parseInstanceJson } from '../../src/formats/json.js';
import { runAuction } from '../../src/mechanism/auction.js';
import { solve } from '../../src/solver/solve.js';
import { allocationCommitment } from '../../src/verify/commitment.js';
import { slotTimes } from '../../src/node/clock.js';
import { BUILDERS, ROLLUP_KEYS } from './fixtures.js';
import { startTestNode, type TestNode } from './harness.js';
import { STORE_KINDS } from './stores.js';

const SLOT = 5;
const started: TestNode[] = [];
afterAll(async () => {
  for (const t of started) await t.node.close();
});

describe.each(STORE_KINDS)('node end to end, auction mode (fake clock, inject, %s store)', (storeKind) => {
  it('bids, node solve, better and equal challenges, finalisation equal to offline solve and runAuction', async () => {
    const t = await startTestNode('auction', 1_000_000, {}, { storeKind });
    started.push(t);
    const { client, clock, node, config } = t;
    const times = slotTimes(config, SLOT);
    expect((await client.slot(SLOT)).phase).toBe('open');

    // A signed reserve update for a pending slot changes that slot's instance only.
    const upd = await client.updateReserve(ROLLUP_KEYS[1] as never, { rollup: 'op-2', fromSlot: 9, reserve: 777n, optIn: true, nonce: 1n });
    expect(upd.fromSlot).toBe(9);
    expect(node.market.rollupsAt(9).find((r) => r.id === 'op-2')?.reserve).toBe(777n);
    expect(node.market.rollupsAt(SLOT).find((r) => r.id === 'op-2')?.reserve).toBe(2000n);

    const b = (i: number) => BUILDERS[i % BUILDERS.length] as never;
    const early = [
      { bundle: ['op-1', 'op-2'], amount: 5_000n },
      { bundle: ['op-3'], amount: 3_500n },
      { bundle: ['op-2', 'op-3', 'zk-1'], amount: 9_100n },
      { bundle: ['zk-1'], amount: 4_300n, exclusive: 'x' },
      { bundle: ['op-1'], amount: 1_200n, exclusive: 'x' },
      { bundle: ['op-1', 'zk-1'], amount: 6_000n },
    ];
    const ids: string[] = [];
    for (const [i, d] of early.entries()) {
      const r = await client.submitBid(b(i), { slot: SLOT, nonce: BigInt(i), ...d });
      expect(r.created).toBe(true);
      ids.push(r.id);
    }
    // Idempotent repeat: same signed bid, 200, same id.
    const again = await client.submitBid(b(0), { slot: SLOT, nonce: 0n, ...(early[0] as (typeof early)[number]) });
    expect(again).toMatchObject({ created: false, id: ids[0] });

    const nodeVerdict = await node.market.solveSlot(SLOT);
    expect(nodeVerdict?.accepted).toBe(true);
    const afterNode = await client.slot(SLOT);
    expect(afterNode.incumbent?.by).toBe('node');
    expect(afterNode.bids).toBe(6);

    // Late bids make a better allocation; the node has not re-solved.
    await client.submitBid(b(6), { slot: SLOT, nonce: 100n, bundle: ['op-1', 'op-2'], amount: 8_000n });
    await client.submitBid(b(7), { slot: SLOT, nonce: 101n, bundle: ['zk-1'], amount: 5_500n, exclusive: 'y' });

    clock.set(times.closesAt);
    expect((await client.slot(SLOT)).phase).toBe('challenge');
    const instance = parseInstanceJson(await client.instanceText(SLOT), 'instance.json');
    expect(instance.bids).toHaveLength(8);
    const offline = await solve(instance, { method: 'exact' });
    expect(offline.status).toBe('optimal');
    const better = await client.challenge(SLOT, offline.winners, 'outside-solver');
    expect(better.accepted).toBe(true);
    expect(BigInt(better.value)).toBeGreaterThan(BigInt(better.incumbentValue));
    const equal = await client.challenge(SLOT, [...offline.winners].reverse(), 'copycat');
    expect(equal).toMatchObject({ accepted: false, value: better.value, incumbentValue: better.value });
    expect(equal.reason).toMatch(/tie/);

    clock.set(times.finalAt);
    await node.market.tick();
    const result = await client.result(SLOT);
    expect(client.verifyResult(result, node.market.address)).toMatchObject({ ok: true });
    expect(result['seedSource']).toBeNull();
    expect(result['by']).toBe('outside-solver');
    expect(result['value']).toBe(offline.value.toString());
    expect(result['allocationDigest']).toBe(allocationCommitment(instance, { winners: offline.winners }).digest);
    const auction = await runAuction(instance, { burnBps: config.burnBps, payoutRule: config.payoutRule });
    expect(result['roundDigest']).toBe(auction.digest);
    expect(result['winners']).toEqual(auction.winners.map((w) => w.proposer));
    const proposers = result['proposers'] as { rollup: string; proposer: string }[];
    for (const w of auction.winners) for (const r of w.bundle) expect(proposers.find((p) => p.rollup === r)?.proposer).toBe(w.proposerHolder);

    // Published once: the same bytes on every read and in the schedule.
    expect(await client.result(SLOT)).toEqual(result);
    const schedule = await client.schedule(SLOT, SLOT);
    expect(schedule.slots).toEqual([{ slot: SLOT, proposers, digest: result['digest'] }]);
    const counts = await node.market.store.counts();
    expect(counts).toMatchObject({ bids: 8, updates: 1, allocations: 2 });
  });
});
