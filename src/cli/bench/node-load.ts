/**
 * The node benchmark (`npm run bench:node`; not a test): on loopback, with a `serve` child
 * process and a file clock,
 * 1. the cost of one signature check (typed digest + native recovery, and viem's pure-JS
 *    recovery for comparison);
 * 2. sustained signed bids accepted per second and p50/p99 latency (autocannon) while the
 *    node's solver works a 1000-rollup × 10,000-bid slot;
 * 3. the time from the window's close (finalAt) to the published result;
 * 4. restart time with 100,000 stored bids (in-process rebuild, and child process to the
 *    listening line).
 * Bids are signed with native libsecp256k1 here to prepare them quickly; the node checks them
 * as any other. Every phase is bounded in time. Prints one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import secp256k1 from 'secp256k1';
import { keccak256, type Hex } from 'viem';
import { generateInstance } from '../../generators/index.js';
import { ManualClock, slotTimes } from '../../node/clock.js';
import { parseNodeConfig, type Address, type NodeConfig } from '../../node/config.js';
import { marketDomain, typedDigest } from '../../node/eip712.js';
import { Market } from '../../node/market.js';
import { recoverSigner, referenceRecover } from '../../node/recover.js';
import { SqliteStore } from '../../node/sqlite-store.js';
import type { StoredBid } from '../../node/store.js';

const SLOT = 10;
const ROLLUPS = 1000;
const SLOT_BIDS = 10_000;
const LOAD_SECONDS = Number(process.env['BENCH_NODE_SECONDS'] ?? 10);
const LOAD_BIDS = Number(process.env['BENCH_NODE_BIDS'] ?? 30_000);
const RESTART_BIDS = 100_000;

interface Key { readonly priv: Buffer; readonly address: Address }

function key(i: number): Key {
  const priv = createHash('sha256').update(`bundle-auction bench key ${i}`).digest();
  const pub = secp256k1.publicKeyCreate(priv, false);
  return { priv, address: `0x${keccak256(pub.subarray(1)).slice(-40)}` as Address };
}

function sign(digest: Hex, k: Key): Hex {
  const { signature, recid } = secp256k1.ecdsaSign(Buffer.from(digest.slice(2), 'hex'), k.priv);
  return `0x${Buffer.from(signature).toString('hex')}${(27 + recid).toString(16)}` as Hex;
}

function benchConfig(): NodeConfig {
  const rollups = Array.from({ length: ROLLUPS }, (_, i) => ({ id: `r${i}`, signer: key(1_000_000 + i).address, reserve: '0', optIn: true }));
  return parseNodeConfig(JSON.stringify({
    market: 'bundle-auction-bench', chainId: 31337, mode: 'auction',
    genesisMs: 10_000_000, slotMs: 12_000, leadMs: 600_000, closeMs: 8_000, finalMs: 2_000,
    rollups, maxBidsPerBidderPerSlot: 64, burnBps: 0, payoutRule: 'standalone',
    operator: key(999).address, nodeKey: `0x${key(998).priv.toString('hex')}`,
  }), 'bench config', {});
}

/** `count` signed bids for `slot` on the generated market's bundles (bidder i/64, nonce offset). */
function signedBids(config: NodeConfig, slot: number, count: number, seed: number, nonceBase: number): { stored: StoredBid[]; bodies: string[] } {
  const domain = marketDomain(config.market, config.chainId);
  const gen = generateInstance('rollup-market', { rollups: ROLLUPS, bids: count, seed });
  const rename = new Map(gen.rollups.map((r, i) => [r.id, `r${i}`]));
  const stored: StoredBid[] = [];
  const bodies: string[] = [];
  gen.bids.forEach((b, i) => {
    const k = key(seed * 1_000_000 + Math.floor(i / 64));
    const bundle = b.bundle.map((r) => rename.get(r) as string);
    const nonce = BigInt(nonceBase + i);
    const id = typedDigest(domain, 'Bid', { slot: BigInt(slot), bundle, amount: b.amount, exclusive: '', nonce });
    const signature = sign(id, k);
    stored.push({ slot, kind: 'bid', signer: k.address, nonce: nonce.toString(), id, bundle, amount: b.amount.toString(), exclusive: '', signature });
    bodies.push(JSON.stringify({ bid: { slot, bundle, amount: b.amount.toString(), nonce: nonce.toString() }, bidder: k.address, signature }));
  });
  return { stored, bodies };
}

async function seedStore(path: string, config: NodeConfig, bids: readonly StoredBid[], firstSlot: number): Promise<void> {
  const store = new SqliteStore(path);
  await store.setMeta('market', config.market);
  await store.setMeta('chainId', String(config.chainId));
  await store.setMeta('mode', config.mode);
  await store.setMeta('firstSlot', String(firstSlot));
  for (let i = 0; i < bids.length; i += 5000) await Promise.all(bids.slice(i, i + 5000).map((b) => store.addBid(b, { perSigner: config.maxBidsPerBidderPerSlot })));
  await store.close();
}

function signatureCost(config: NodeConfig): Record<string, number> {
  const { stored } = signedBids(config, SLOT, 2000, 7, 0);
  const domain = marketDomain(config.market, config.chainId);
  let t = performance.now();
  for (const b of stored) typedDigest(domain, 'Bid', { slot: BigInt(b.slot), bundle: b.bundle, amount: BigInt(b.amount), exclusive: '', nonce: BigInt(b.nonce) });
  const digestMs = (performance.now() - t) / stored.length;
  t = performance.now();
  for (const b of stored) if (recoverSigner(b.id as Hex, b.signature) !== b.signer) throw new Error('recovery mismatch');
  const nativeMs = (performance.now() - t) / stored.length;
  return { typedDigestMs: round(digestMs), nativeRecoverMs: round(nativeMs), checkMs: round(digestMs + nativeMs) };
}

async function viemRecoverMs(config: NodeConfig): Promise<number> {
  const { stored } = signedBids(config, SLOT, 40, 8, 0);
  const t = performance.now();
  for (const b of stored) if ((await referenceRecover(b.id as Hex, b.signature as Hex)) !== b.signer) throw new Error('viem recovery mismatch');
  return round((performance.now() - t) / stored.length);
}

async function serve(configPath: string, db: string, clockPath: string, solver = 'worker'): Promise<{ child: ChildProcess; url: string; startMs: number }> {
  const t = performance.now();
  const cli = fileURLToPath(new URL('../../cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'serve', '--config', configPath, '--db', db, '--port', '0', '--solver', solver], {
    env: { ...process.env, BUNDLE_AUCTION_CLOCK_FILE: clockPath, BUNDLE_AUCTION_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', () => reject(new Error('serve exited')));
    setTimeout(() => reject(new Error('serve did not start in 120 s')), 120_000).unref();
  });
  return { child, url: line.slice('listening on '.length), startMs: performance.now() - t };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { machine: 'this machine (2 vCPUs, shared)', date: new Date().toISOString() };
  const config = benchConfig();
  const times = slotTimes(config, SLOT);
  const dir = mkdtempSync(join(tmpdir(), 'ba-node-bench-'));
  const configPath = join(dir, 'market.json');
  const clockPath = join(dir, 'clock');
  writeFileSync(configPath, JSON.stringify({ ...JSON.parse(JSON.stringify(config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) }));
  writeFileSync(clockPath, String(times.opensAt + 1000));

  out['signatureCheck'] = { ...signatureCost(config), viemRecoverMs: await viemRecoverMs(config) };

  // 2. Load while the solver works a 1000 × 10,000 slot.
  const base = signedBids(config, SLOT, SLOT_BIDS, 1, 0);
  const db = join(dir, 'load.db');
  await seedStore(db, config, base.stored, 1);
  const load = signedBids(config, SLOT, LOAD_BIDS, 2, 1_000_000);
  const solver = process.env['BENCH_NODE_SOLVER'] ?? 'worker';
  const node = await serve(configPath, db, clockPath, solver);
  await new Promise((r) => setTimeout(r, 3000)); // the solver starts on the seeded slot
  let next = 0;
  const result = await autocannon({
    url: node.url, connections: 32, duration: LOAD_SECONDS,
    requests: [{ method: 'POST', path: '/v1/bids', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: load.bodies[next++ % load.bodies.length] as string }) }],
  });
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const accepted = codes['201']?.count ?? result['2xx'];
  out['load'] = {
    slot: `${ROLLUPS} rollups, ${SLOT_BIDS} bids seeded, node solver ${solver === 'off' ? 'off' : 'on a worker thread'}`, connections: 32, seconds: round(result.duration),
    sent: result.requests.total, accepted, statusCodes: Object.fromEntries(Object.entries(codes).map(([c, v]) => [c, v.count])), acceptedPerSecond: Math.round(accepted / result.duration),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
  const slotState = (await (await fetch(`${node.url}/v1/slots/${SLOT}`)).json()) as Record<string, unknown>;
  out['slotAfterLoad'] = slotState;

  // 3. Close → result: jump to the challenge window for 3 s, then to finalAt; poll the result.
  writeFileSync(clockPath, String(times.closesAt + 1));
  await new Promise((r) => setTimeout(r, 3000));
  writeFileSync(clockPath, String(times.finalAt));
  const t0 = performance.now();
  let status = 0;
  let body: Record<string, unknown> = {};
  while (performance.now() - t0 < 30_000) {
    const r = await fetch(`${node.url}/v1/slots/${SLOT}/result`);
    status = r.status;
    if (status === 200) {
      body = (await r.json()) as Record<string, unknown>;
      break;
    }
    await new Promise((r2) => setTimeout(r2, 5));
  }
  out['closeToResultMs'] = { ms: Math.round(performance.now() - t0), status, bids: body['bids'], value: body['value'], by: body['by'] };
  await stop(node.child);

  // 4. Restart with 100,000 stored bids (10 open slots × 10,000).
  const restartDb = join(dir, 'restart.db');
  const many: StoredBid[] = [];
  for (let s = 0; s < RESTART_BIDS / SLOT_BIDS; s++) many.push(...signedBids(config, SLOT + s, SLOT_BIDS, 10 + s, 0).stored);
  await seedStore(restartDb, config, many, 1);
  const t1 = performance.now();
  const market = await Market.open(config, new SqliteStore(restartDb), { clock: new ManualClock(times.opensAt + 1000), tickMs: 0 });
  const inProcessMs = performance.now() - t1;
  const rebuilt = (await market.slotState(SLOT)).bids;
  await market.close();
  writeFileSync(clockPath, String(times.opensAt + 1000));
  const again = await serve(configPath, restartDb, clockPath);
  out['restart'] = { storedBids: many.length, rebuiltSlotBids: rebuilt, inProcessMs: Math.round(inProcessMs), childToListeningMs: Math.round(again.startMs) };
  await stop(again.child);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
