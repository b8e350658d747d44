/**
 * Several `serve` processes on one Postgres database (child processes on 127.0.0.1, one file
 * clock): inputs accepted by either are seen by both; one is killed with kill -9 mid-window and
 * the survivor finalises with the digest of a single-node run on the same inputs; exactly one
 * result per slot, served alike by every node; and the same bidder's bids sent to both nodes at
 * once cannot pass its cap nor reuse a nonce, and of equal challenges sent to both at once exactly
 * one is accepted (the database decides).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInstanceJson } from '../../src/formats/json.js';
import { solve } from '../../src/solver/solve.js';
import { slotTimes } from '../../src/node/clock.js';
import { MarketClient, httpTransport } from '../../src/node/client.js';
import { parseNodeConfig } from '../../src/node/config.js';
import { freshDatabase } from '../support/pg.js';
import { BUILDERS, configObject, testAccount } from './fixtures.js';

const CAP = 16;
const dir = mkdtempSync(join(tmpdir(), 'ba-multi-'));
const configPath = join(dir, 'market.json');
writeFileSync(configPath, JSON.stringify(configObject('auction', { maxBidsPerBidderPerSlot: CAP })));
const config = parseNodeConfig(JSON.stringify(configObject('auction', { maxBidsPerBidderPerSlot: CAP })), 'c', {});
const clockPath = join(dir, 'clock');
const setClock = (ms: number): void => writeFileSync(clockPath, String(ms));
const SLOT = 5;
const RACE_SLOT = 6;
const times = slotTimes(config, SLOT);
const children = new Set<ChildProcess>();
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of drops) await d().catch(() => undefined);
});

interface Served { readonly child: ChildProcess; readonly url: string; readonly client: MarketClient; readonly exited: Promise<number | null> }

/** Starts `serve --db URL` as a child process; resolves once it prints its listening line. */
async function serve(db: string): Promise<Served> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', '--config', configPath, '--db', db, '--port', '0', '--solver', 'off'], {
    env: { ...process.env, BUNDLE_AUCTION_CLOCK_FILE: clockPath, BUNDLE_AUCTION_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === null ? code : -1)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', () => reject(new Error('serve exited before listening')));
    setTimeout(() => reject(new Error('serve did not start within 60 s')), 60_000).unref();
  });
  expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
  const url = line.slice('listening on '.length);
  return { child, url, client: await MarketClient.connect(httpTransport(url)), exited };
}

/** Polls `probe` every 25 ms until it holds (at most 10 s). */
async function eventually(what: string, probe: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`not within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const N = 20;
const bidOf = (i: number) => ({
  slot: SLOT, nonce: BigInt(i),
  bundle: [['op-1'], ['op-2', 'op-3'], ['zk-1', 'op-1'], ['op-3'], ['op-2']][i % 5] as string[],
  amount: BigInt(2_000 + ((i * 7_919) % 9_000)),
});

/** The same N signed bids (spread over `clients` in turn) and one exact challenge to `clients[0]`. */
async function inputs(clients: readonly MarketClient[]): Promise<{ ids: string[]; winners: string[] }> {
  setClock(times.opensAt + 1000);
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const r = await (clients[i % clients.length] as MarketClient).submitBid(BUILDERS[i % 5] as never, bidOf(i));
    expect(r.created).toBe(true);
    ids.push(r.id);
  }
  // Every node has every bid before the challenge is computed from the first one's instance.
  for (const c of clients) await eventually('every node sees all bids', async () => (await c.slot(SLOT)).bids === N);
  setClock(times.closesAt + 100);
  const { winners } = await solve(parseInstanceJson(await (clients[0] as MarketClient).instanceText(SLOT)), { method: 'exact' });
  expect((await (clients[0] as MarketClient).challenge(SLOT, winners, 'multi-test')).accepted).toBe(true);
  return { ids, winners: [...winners] };
}

describe('several nodes on one Postgres database (child processes, kill -9)', () => {
  it('bids over both are seen by both; the survivor of a kill -9 finalises with the single-node digest; one result, served alike', async () => {
    // Reference: one node on its own database.
    const refDb = await freshDatabase('multi_ref');
    drops.push(refDb.drop);
    setClock(times.opensAt + 1000);
    const ref = await serve(refDb.url);
    await inputs([ref.client]);
    setClock(times.finalAt + 10);
    const expected = await ref.client.result(SLOT);
    ref.child.kill('SIGTERM');
    expect(await ref.exited).toBe(0);

    const shared = await freshDatabase('multi');
    drops.push(shared.drop);
    setClock(times.opensAt + 1000);
    const [a, b] = await Promise.all([serve(shared.url), serve(shared.url)]) as [Served, Served];
    const { ids, winners } = await inputs([a.client, b.client]);
    // Each node sees every bid and the challenge accepted by the other (LISTEN/NOTIFY).
    await eventually('node B sees all bids and A\'s incumbent', async () => {
      const s = await b.client.slot(SLOT);
      return s.bids === N && s.incumbent?.by === 'multi-test';
    });
    expect(parseInstanceJson(await b.client.instanceText(SLOT)).bids.map((x) => x.id).sort()).toEqual([...ids].sort());
    // A tie offered to B is refused: it knows A's incumbent.
    expect((await b.client.challenge(SLOT, winners, 'copy')).accepted).toBe(false);

    // kill -9 A mid-window; B finalises alone.
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe(-1);
    children.delete(a.child);
    setClock(times.finalAt + 10);
    const survivor = await b.client.result(SLOT);
    expect(survivor['digest']).toBe(expected['digest']);
    expect(survivor).toEqual(expected);

    // A node started afterwards serves the stored result; the database holds one.
    const c = await serve(shared.url);
    expect(await c.client.result(SLOT)).toEqual(expected);

    // Both alive at the end of the next slot's window: one result, both serve it.
    const next = SLOT + 1;
    setClock(slotTimes(config, next).opensAt + 1000);
    for (let i = 0; i < 6; i++) await [b, c][i % 2]?.client.submitBid(BUILDERS[i % 5] as never, { ...bidOf(i), slot: next, nonce: BigInt(100 + i) });
    setClock(slotTimes(config, next).finalAt + 10);
    const [rb, rc] = await Promise.all([b.client.result(next), c.client.result(next)]);
    expect(rb).toEqual(rc);
    const admin = new pg.Client({ connectionString: shared.url });
    await admin.connect();
    const rows = (await admin.query<{ slot: string; n: string }>('SELECT slot, count(*) AS n FROM results GROUP BY slot ORDER BY slot')).rows;
    await admin.end();
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    expect(rows.map((r) => Number(r.slot))).toEqual(expect.arrayContaining([SLOT, next]));
    for (const p of [b, c]) {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      children.delete(p.child);
    }
  });

  it('race: one bidder\'s bids sent to both nodes at once pass neither its cap nor a nonce twice; of equal challenges sent to both, one is accepted (the database decides)', async () => {
    const shared = await freshDatabase('race');
    drops.push(shared.drop);
    const race = slotTimes(config, RACE_SLOT);
    setClock(race.opensAt + 1000);
    const [a, b] = await Promise.all([serve(shared.url), serve(shared.url)]) as [Served, Served];
    const me = testAccount(0x77);
    const third = testAccount(0x79);
    const other = testAccount(0x78);
    type Outcome = { who: 'me' | 'third'; nonce: number; status: number; id?: string };
    const send = (served: Served, who: Outcome['who'], account: ReturnType<typeof testAccount>, nonce: number, amount: number): Promise<Outcome> =>
      served.client.submitBid(account, { slot: RACE_SLOT, nonce: BigInt(nonce), bundle: ['op-1'], amount: BigInt(amount) })
        .then((r) => ({ who, nonce, status: r.created ? 201 : 200, id: r.id }), (e: { status: number }) => ({ who, nonce, status: e.status }));
    // All at once: `me` sends 2·CAP bids with distinct nonces, half to each node (each node alone
    // would take CAP: together they must not take more); `third` sends per nonce two different
    // bids, one to each node (one may win); `other` sends one identical bid to both (idempotent).
    const sends: Promise<Outcome>[] = [];
    for (let n = 0; n < 2 * CAP; n++) sends.push(send(n < CAP ? a : b, 'me', me, n, 1000 + n));
    for (let n = 0; n < CAP / 2; n++) sends.push(send(a, 'third', third, n, 2000 + n), send(b, 'third', third, n, 3000 + n));
    const same = { slot: RACE_SLOT, nonce: 1n, bundle: ['op-2'], amount: 42n };
    const [outcomes, twice] = await Promise.race([
      Promise.all([Promise.all(sends), Promise.all([a.client.submitBid(other, same), b.client.submitBid(other, same)])]),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('race requests did not finish within 60 s')), 60_000).unref()),
    ]);
    const mineOut = outcomes.filter((o) => o.who === 'me');
    expect(mineOut.filter((o) => o.status === 201)).toHaveLength(CAP);
    expect(mineOut.filter((o) => o.status === 429)).toHaveLength(CAP);
    const thirdOut = outcomes.filter((o) => o.who === 'third');
    const thirdAccepted = thirdOut.filter((o) => o.status === 201);
    expect(thirdAccepted).toHaveLength(CAP / 2);
    expect(new Set(thirdAccepted.map((o) => o.nonce)).size).toBe(CAP / 2);
    expect(thirdOut.filter((o) => o.status === 409)).toHaveLength(CAP / 2);
    expect(twice.map((r) => r.created).sort()).toEqual([false, true]);
    expect(twice[0]?.id).toBe(twice[1]?.id);
    const admin = new pg.Client({ connectionString: shared.url });
    await admin.connect();
    const rows = (await admin.query<{ signer: string; nonce: string; id: string }>('SELECT signer, nonce, id FROM bids WHERE slot = $1 ORDER BY seq', [RACE_SLOT])).rows;
    await admin.end();
    const stored = (acc: ReturnType<typeof testAccount>): string[] => rows.filter((r) => r.signer === acc.address.toLowerCase()).map((r) => r.id).sort();
    expect(stored(me)).toEqual(mineOut.filter((o) => o.status === 201).map((o) => o.id).sort());
    expect(stored(third)).toEqual(thirdAccepted.map((o) => o.id).sort());
    expect(stored(other)).toHaveLength(1);
    const total = CAP + CAP / 2 + 1;
    await eventually('both nodes count the same bids', async () => (await a.client.slot(RACE_SLOT)).bids === total && (await b.client.slot(RACE_SLOT)).bids === total);
    // Challenges: the same optimal allocation sent to both nodes at once, four times each, before
    // either hears of the other's acceptance: exactly one is accepted (the database's compare-and-set).
    setClock(race.closesAt + 100);
    const { winners } = await solve(parseInstanceJson(await a.client.instanceText(RACE_SLOT)), { method: 'exact' });
    const verdicts = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).client.challenge(RACE_SLOT, winners, `racer-${i}`)));
    expect(verdicts.filter((v) => v.accepted)).toHaveLength(1);
    for (const v of verdicts.filter((x) => !x.accepted)) expect(v.reason).toMatch(/^tie/);
    const winner = `racer-${verdicts.findIndex((v) => v.accepted)}`;
    await eventually('both nodes name the one accepted challenger', async () => (await a.client.slot(RACE_SLOT)).incumbent?.by === winner && (await b.client.slot(RACE_SLOT)).incumbent?.by === winner);
    for (const p of [a, b]) {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      children.delete(p.child);
    }
  });
});
