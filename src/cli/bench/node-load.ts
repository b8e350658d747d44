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
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Hex } from 'viem';
import { ManualClock, slotTimes } from '../../node/clock.js';
import type { NodeConfig } from '../../node/config.js';
import { marketDomain, typedDigest } from '../../node/eip712.js';
import { Market } from '../../node/market.js';
import { recoverSigner, referenceRecover } from '../../node/recover.js';
import { SqliteStore } from '../../node/sqlite-store.js';
import type { StoredBid } from '../../node/store.js';
import { ROLLUPS, benchConfig, round, seedStore, serve, signedBids, stop, writeConfig } from './node-bench-kit.js';

const SLOT = 10;
const SLOT_BIDS = 10_000;
const LOAD_SECONDS = Number(process.env['BENCH_NODE_SECONDS'] ?? 10);
const LOAD_BIDS = Number(process.env['BENCH_NODE_BIDS'] ?? 30_000);
const RESTART_BIDS = 100_000;

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

async function main(): Promise<void> {
  const out: Record<string, unknown> = { machine: 'this machine (2 vCPUs, shared)', date: new Date().toISOString() };
  const config = benchConfig();
  const times = slotTimes(config, SLOT);
  const dir = mkdtempSync(join(tmpdir(), 'ba-node-bench-'));
  const configPath = join(dir, 'market.json');
  const clockPath = join(dir, 'clock');
  writeConfig(configPath, config);
  writeFileSync(clockPath, String(times.opensAt + 1000));

  out['signatureCheck'] = { ...signatureCost(config), viemRecoverMs: await viemRecoverMs(config) };

  // 2. Load while the solver works a 1000 × 10,000 slot.
  const base = signedBids(config, SLOT, SLOT_BIDS, 1, 0);
  const db = join(dir, 'load.db');
  await seedStore(new SqliteStore(db), config, base.stored, 1);
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
  await seedStore(new SqliteStore(restartDb), config, many, 1);
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
