import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInstanceJson } from '../../src/formats/json.js';
import { solve } from '../../src/solver/solve.js';
import { slotTimes } from '../../src/node/clock.js';
import { MarketClient, httpTransport } from '../../src/node/client.js';
import { parseNodeConfig } from '../../src/node/config.js';
import { BUILDERS, configObject } from './fixtures.js';
import { STORE_KINDS, storePlace } from './stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ba-crash-'));
const configPath = join(dir, 'market.json');
writeFileSync(configPath, JSON.stringify(configObject('auction', { maxBidsPerBidderPerSlot: 16 })));
const config = parseNodeConfig(JSON.stringify(configObject('auction')), 'c', {});
const clockPath = join(dir, 'clock');
const setClock = (ms: number): void => writeFileSync(clockPath, String(ms));
const SLOT = 5;
const times = slotTimes(config, SLOT);
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts `serve` as a child process; resolves with its URL once it prints the listening line. */
async function serve(db: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', '--config', configPath, '--db', db, '--port', '0', '--solver', 'off'], {
    env: { ...process.env, BUNDLE_AUCTION_CLOCK_FILE: clockPath, BUNDLE_AUCTION_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === null ? code : -1)));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', resolve);
    child.once('exit', () => reject(new Error('serve exited before listening')));
    setTimeout(() => reject(new Error('serve did not start within 60 s')), 60_000).unref();
  });
  expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
  return { child, url: line.slice('listening on '.length), exited };
}

async function kill9(p: { child: ChildProcess; exited: Promise<number | null> }): Promise<void> {
  p.child.kill('SIGKILL');
  expect(await p.exited).toBe(-1);
  children.delete(p.child);
}

const N = 20;
/** The same N signed bids and one challenge for every run (signatures are deterministic). */
async function submitInputs(client: MarketClient): Promise<{ ids: string[]; winners: string[] }> {
  setClock(times.opensAt + 1000);
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const bundle = [['op-1'], ['op-2', 'op-3'], ['zk-1', 'op-1'], ['op-3'], ['op-2']][i % 5] as string[];
    const r = await client.submitBid(BUILDERS[i % 5] as never, { slot: SLOT, nonce: BigInt(i), bundle, amount: BigInt(2_000 + ((i * 7_919) % 9_000)) });
    expect(r.created).toBe(true);
    ids.push(r.id);
  }
  setClock(times.closesAt + 100);
  const instance = parseInstanceJson(await client.instanceText(SLOT));
  const { winners } = await solve(instance, { method: 'exact' });
  const verdict = await client.challenge(SLOT, winners, 'crash-test');
  expect(verdict.accepted).toBe(true);
  return { ids, winners: [...winners] };
}

describe.each(STORE_KINDS)('node crash recovery (child process, kill -9, %s store)', (kind) => {
  it('keeps every acknowledged input and publishes the same digest as a run without the crash; survives a crash inside finalisation', async () => {
    const db = async (label: string): Promise<string> => (await storePlace(kind, label)).db;
    // Reference run, no crash.
    setClock(times.opensAt + 1000);
    const ref = await serve(await db('ref'));
    const refClient = await MarketClient.connect(httpTransport(ref.url));
    await submitInputs(refClient);
    setClock(times.finalAt + 10);
    const expected = await refClient.result(SLOT);
    ref.child.kill('SIGTERM');
    expect(await ref.exited).toBe(0);

    // Crash after N acknowledged bids and an accepted challenge.
    const crashDb = await db('crash');
    setClock(times.opensAt + 1000);
    const first = await serve(crashDb);
    const { ids, winners } = await submitInputs(await MarketClient.connect(httpTransport(first.url)));
    await kill9(first);
    const second = await serve(crashDb);
    const client = await MarketClient.connect(httpTransport(second.url));
    const state = await client.slot(SLOT);
    expect(state.bids).toBe(N);
    expect(state.incumbent?.by).toBe('crash-test');
    expect(parseInstanceJson(await client.instanceText(SLOT)).bids.map((b) => b.id).sort()).toEqual([...ids].sort());
    setClock(times.finalAt + 10);
    const after = await client.result(SLOT);
    expect(after['digest']).toBe(expected['digest']);
    expect(after).toEqual(expected);
    expect(after['winners']).toEqual(winners);
    await kill9(second);

    // Crash inside finalisation (the result's transaction, before its commit), then restart.
    const db2 = await db('crash_final');
    setClock(times.opensAt + 1000);
    const third = await serve(db2, { BUNDLE_AUCTION_FAULT: `finalise:${SLOT}` });
    await submitInputs(await MarketClient.connect(httpTransport(third.url)));
    setClock(times.finalAt + 10);
    expect(await third.exited).toBe(-1); // killed itself mid-finalisation
    children.delete(third.child);
    const fourth = await serve(db2);
    const c4 = await MarketClient.connect(httpTransport(fourth.url));
    expect(await c4.result(SLOT)).toEqual(expected);
    await kill9(fourth);
  });
});
