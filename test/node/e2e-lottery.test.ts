import { afterAll, describe, expect, it } from 'vitest';
import { bundleKey } from '../../src/mechanism/draw.js';
import { runLottery } from '../../src/mechanism/lottery.js';
import { parseRoundJson } from '../../src/mechanism/round-json.js';
import { slotTimes } from '../../src/node/clock.js';
import { fallbackSeed } from '../../src/node/market.js';
import { BUILDERS, OPERATOR } from './fixtures.js';
import { startTestNode, type TestNode } from './harness.js';
import { STORE_KINDS } from './stores.js';

const started: TestNode[] = [];
afterAll(async () => {
  for (const t of started) await t.node.close();
});

const tickets = [
  { bundle: ['op-1', 'op-2'], amount: 5_000n },
  { bundle: ['op-2', 'op-1'], amount: 2_500n },
  { bundle: ['op-3'], amount: 3_900n },
  { bundle: ['op-2', 'op-3', 'zk-1'], amount: 9_100n },
  { bundle: ['zk-1'], amount: 4_300n },
  // Late: the three-rollup bundle overtakes the early optimum.
  { bundle: ['zk-1', 'op-3', 'op-2'], amount: 9_000n },
  { bundle: ['op-1', 'zk-1'], amount: 6_000n },
];

describe.each(STORE_KINDS)('node end to end, lottery mode (fake clock, inject, %s store)', (storeKind) => {
  it('tickets, node solve, better and equal challenges, beacon, finalisation equal to offline lottery', async () => {
    const t = await startTestNode('lottery', 1_000_000, { burnBps: 250 }, { storeKind });
    started.push(t);
    const { client, clock, node, config } = t;
    const slot = 5;
    const times = slotTimes(config, slot);
    const ids: string[] = [];
    for (const [i, d] of tickets.slice(0, 5).entries()) ids.push((await client.submitTicket(BUILDERS[i % 5] as never, { slot, nonce: BigInt(i), ...d })).id);
    expect((await node.market.solveSlot(slot))?.accepted).toBe(true);
    for (const [i, d] of tickets.slice(5).entries()) ids.push((await client.submitTicket(BUILDERS[(i + 2) % 5] as never, { slot, nonce: BigInt(50 + i), ...d })).id);

    clock.set(times.closesAt + 1);
    const roundText = await client.instanceText(slot);
    const round = parseRoundJson(roundText, 'round.json');
    expect(round.tickets).toHaveLength(7);
    // An outside challenger solves the round offline (the lottery's own winner determination)
    // and names one ticket per winning bundle.
    const offlineGuess = await runLottery(round, { seed: '00' });
    const named = offlineGuess.winners.map((w) => w.tickets[0] as string);
    const better = await client.challenge(slot, named, 'outside');
    expect(better.accepted).toBe(true);
    const equal = await client.challenge(slot, offlineGuess.winners.map((w) => w.tickets[w.tickets.length - 1] as string), 'copycat');
    expect(equal.accepted).toBe(false);
    expect(equal.reason).toMatch(/tie/);

    const beacon = `0x${'5a'.repeat(32)}` as const;
    await expect(client.postBeacon(BUILDERS[0] as never, slot, beacon)).rejects.toMatchObject({ status: 403 });
    expect((await client.postBeacon(OPERATOR, slot, beacon)).created).toBe(true);

    clock.set(times.finalAt);
    await node.market.tick();
    const result = await client.result(slot);
    expect(client.verifyResult(result, node.market.address).ok).toBe(true);
    expect(result).toMatchObject({ seedSource: 'beacon', seed: '5a'.repeat(32), by: 'outside' });
    const offline = await runLottery(round, { seed: beacon });
    expect(result['roundDigest']).toBe(offline.digest);
    expect(result['winners']).toEqual(offline.winners.map((w) => w.proposer));
    const proposers = result['proposers'] as { rollup: string; proposer: string }[];
    for (const w of offline.winners) for (const r of w.bundle) expect(proposers.find((p) => p.rollup === r)?.proposer).toBe(w.proposerHolder);
    expect(new Set(offline.winners.map((w) => bundleKey(w.bundle))).size).toBe(offline.winners.length);

    // No beacon: the documented fallback seed, flagged.
    const next = slot + 1;
    clock.set(slotTimes(config, next).opensAt);
    const lone = await client.submitTicket(BUILDERS[4] as never, { slot: next, nonce: 1n, bundle: ['op-3'], amount: 9_999n });
    clock.set(slotTimes(config, next).finalAt);
    await node.market.tick();
    const r2 = await client.result(next);
    expect(r2).toMatchObject({ seedSource: 'fallback', seed: fallbackSeed(config, next, [lone.id]), by: null });
    const round2 = parseRoundJson(await client.instanceText(next));
    expect(r2['roundDigest']).toBe(settleEmpty(round2, r2['seed'] as string));
  });
});

/** With no accepted allocation every rollup keeps its reserve: the lottery of no winners. */
function settleEmpty(round: ReturnType<typeof parseRoundJson>, seed: string): string {
  return settle(round, [], seed).digest;
}
import { settleLottery as settle } from '../../src/mechanism/lottery.js';
