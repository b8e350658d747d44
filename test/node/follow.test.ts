/**
 * `challenge --follow`: outside solvers as child processes following an in-process node (manual
 * clock, real HTTP on 127.0.0.1): a slot entering its challenge window is solved and the better
 * allocation submitted; a solve is stopped early when an incumbent reaches its bound; SIGTERM
 * ends a follower with exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface, type Interface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { densityBound } from '../../src/cli/follow.js';
import { createInstance } from '../../src/model/instance.js';
import { slotTimes } from '../../src/node/clock.js';
import { MarketClient, httpTransport } from '../../src/node/client.js';
import { BUILDERS } from './fixtures.js';
import { startTestNode, type TestNode } from './harness.js';

const children = new Set<ChildProcess>();
let t: TestNode | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t?.node.close();
});

interface Follower { readonly child: ChildProcess; readonly out: Interface; readonly err: Interface; readonly exited: Promise<number | null> }

function follower(url: string, args: readonly string[]): Follower {
  const child = spawn(process.execPath, ['dist/cli.js', 'challenge', '--follow', url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => { children.delete(child); resolve(signal === null ? code : -1); }));
  return { child, out: createInterface({ input: child.stdout as NodeJS.ReadableStream }), err: createInterface({ input: child.stderr as NodeJS.ReadableStream }), exited };
}

/** The next line of `rl` matching `re` (at most 30 s). */
function lineMatching(rl: Interface, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${re} within 30 s`)), 30_000);
    const on = (line: string): void => {
      if (!re.test(line)) return;
      clearTimeout(timer);
      rl.off('line', on);
      resolve(line);
    };
    rl.on('line', on);
  });
}

describe('challenge --follow (child processes, manual clock)', () => {
  it('the density bound is an upper bound, tight on single-rollup bids', () => {
    const inst = createInstance({ rollups: [{ id: 'a', reserve: '3' }, { id: 'b', reserve: '0' }], bids: [{ id: 'x', bidder: 'p', bundle: ['a', 'b'], amount: '9' }, { id: 'y', bidder: 'q', bundle: ['b'], amount: '4' }] });
    expect(densityBound(inst)).toBe(5n + 5n); // a: max(3, ceil(9/2)=5), b: max(4, 5)
    const single = createInstance({ rollups: [{ id: 'a', reserve: '3' }, { id: 'b', reserve: '0' }], bids: [{ id: 'y', bidder: 'q', bundle: ['b'], amount: '4' }] });
    expect(densityBound(single)).toBe(7n);
  });

  it('solves each slot entering its window and submits when better; stops early when beaten; exits 0 on SIGTERM', async () => {
    const config0 = { genesisMs: 1_000_000 };
    // Slot 5 still open (2 s before it closes): earlier slots are past their window already.
    const start = slotTimes({ ...config0, slotMs: 12_000, leadMs: 60_000, closeMs: 8_000, finalMs: 2_000 }, 5).closesAt - 2_000;
    t = await startTestNode('auction', start, {}, { solver: 'off', tickMs: 20 });
    const { node, clock, config } = t;
    await node.app.listen({ port: 0, host: '127.0.0.1' });
    const address = node.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const client = await MarketClient.connect(httpTransport(url));
    const b = (i: number) => BUILDERS[i] as never;
    // Slot 5: the best allocation takes op-1 and op-2 separately (5000 + 5000 + reserves 3000 + 4000).
    await client.submitBid(b(0), { slot: 5, nonce: 1n, bundle: ['op-1', 'op-2'], amount: 9_000n });
    await client.submitBid(b(1), { slot: 5, nonce: 1n, bundle: ['op-2'], amount: 5_000n });
    await client.submitBid(b(2), { slot: 5, nonce: 1n, bundle: ['op-1'], amount: 5_000n });

    const f1 = follower(url, ['--method', 'exact', '--seed', '3', '--max-slots', '1', '--submitter', 'follower-1']);
    await lineMatching(f1.err, /^following http/);
    clock.set(slotTimes(config, 5).closesAt + 100);
    const r1 = JSON.parse(await lineMatching(f1.out, /^\{/)) as Record<string, unknown>;
    expect(r1).toMatchObject({ slot: 5, submitted: true, accepted: true, value: '17000', incumbentValue: '10000', stoppedEarly: false });
    expect(await f1.exited).toBe(0);
    expect((await client.slot(5)).incumbent).toMatchObject({ value: '17000', by: 'follower-1' });

    // Slot 6, single-rollup bids: the bound is reached by the optimum. A runner that waits is
    // stopped as soon as someone else's incumbent reaches it.
    clock.set(slotTimes(config, 6).closesAt - 2_000);
    const x = await client.submitBid(b(0), { slot: 6, nonce: 2n, bundle: ['op-1'], amount: 5_000n });
    const y = await client.submitBid(b(1), { slot: 6, nonce: 2n, bundle: ['op-2'], amount: 6_000n });
    const runner = fileURLToPath(new URL('./runners/wait-for-abort.mjs', import.meta.url));
    const f2 = follower(url, ['--runner', `module:${runner}`, '--submitter', 'waiter']);
    await lineMatching(f2.err, /^following http/);
    const solving = lineMatching(f2.err, /^slot 6: solving/);
    clock.set(slotTimes(config, 6).closesAt + 100);
    await solving;
    const t0 = Date.now();
    expect((await client.challenge(6, [x.id, y.id], 'someone')).accepted).toBe(true);
    const r2 = JSON.parse(await lineMatching(f2.out, /^\{/)) as Record<string, unknown>;
    expect(r2).toMatchObject({ slot: 6, submitted: false, accepted: false, stoppedEarly: true, bound: '18000', incumbentValue: '18000' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    f2.child.kill('SIGTERM');
    expect(await f2.exited).toBe(0);
  });
});
