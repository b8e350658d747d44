/**
 * The dashboard benchmark (`npm run bench:dashboard`; not a test): a node with 1,000 rollups
 * and 100 slots of history (signed bids and an accepted challenge in every slot, then final),
 * and the dashboard opened in headless Chromium (Debian's, driven by playwright-core). Measures,
 * over several page loads: the overview endpoint on the server (first read, then with its
 * cache of final rows), the page from navigation to
 * its first full render, the browser's synchronous render of the overview (timeline,
 * 1,000 × 100 schedule grid, charts), and the allocation picture. Prints one JSON object.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import secp256k1 from 'secp256k1';
import { keccak256, type Hex } from 'viem';
import { ManualClock, slotTimes } from '../../node/clock.js';
import { parseNodeConfig, type Address } from '../../node/config.js';
import { typedDigest } from '../../node/eip712.js';
import { createNode } from '../../node/node.js';

const ROLLUPS = Number(process.env['BENCH_DASHBOARD_ROLLUPS'] ?? 1000);
const SLOTS = Number(process.env['BENCH_DASHBOARD_SLOTS'] ?? 100);
const BIDS_PER_SLOT = 24;
const LOADS = 5;
const CHROMIUM = process.env['BUNDLE_AUCTION_CHROMIUM'] ?? '/usr/bin/chromium';

interface Key { readonly priv: Buffer; readonly address: Address }

function key(i: number): Key {
  const priv = createHash('sha256').update(`bundle-auction dashboard bench key ${i}`).digest();
  const pub = secp256k1.publicKeyCreate(priv, false);
  return { priv, address: `0x${keccak256(pub.subarray(1)).slice(-40)}` as Address };
}

function sign(digest: Hex, k: Key): Hex {
  const { signature, recid } = secp256k1.ecdsaSign(Buffer.from(digest.slice(2), 'hex'), k.priv);
  return `0x${Buffer.from(signature).toString('hex')}${(27 + recid).toString(16)}` as Hex;
}

/** mulberry32: a small seeded generator (the bench's bundles). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const round = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const ids = Array.from({ length: ROLLUPS }, (_, i) => `r${String(i).padStart(4, '0')}`);
  const config = parseNodeConfig(JSON.stringify({
    market: 'bundle-auction-dashboard-bench', chainId: 31337, mode: 'auction',
    genesisMs: 10_000_000, slotMs: 12_000, leadMs: 60_000, closeMs: 8_000, finalMs: 2_000,
    rollups: ids.map((id, i) => ({ id, signer: key(1_000_000 + i).address, reserve: String(100 + (i % 7) * 50), optIn: true })),
    maxBidsPerBidderPerSlot: 64, burnBps: 0, payoutRule: 'standalone',
    operator: key(999).address, nodeKey: `0x${key(998).priv.toString('hex')}`,
  }), 'bench config', {});
  const first = 10;
  const clock = new ManualClock(slotTimes(config, first).opensAt);
  const node = await createNode({ config, clock, solver: 'off', tickMs: 0 });
  const { market } = node;
  const bidders = Array.from({ length: BIDS_PER_SLOT }, (_, i) => key(i));
  const random = rng(12);
  const started = performance.now();
  for (let slot = first; slot < first + SLOTS; slot++) {
    const t = slotTimes(config, slot);
    clock.set(t.closesAt - 1);
    const offers: { id: string; start: number; size: number; amount: bigint }[] = [];
    for (const [j, k] of bidders.entries()) {
      const size = 5 + Math.floor(random() * 120);
      const start = Math.floor(random() * (ROLLUPS - size));
      const bundle = ids.slice(start, start + size);
      const amount = BigInt(size * 400 + Math.floor(random() * 10_000));
      const digest = typedDigest(market.domain, 'Bid', { slot: BigInt(slot), bundle, amount, exclusive: '', nonce: BigInt(j) });
      const r = await market.submitBid({ kind: 'bid', slot, bundle, amount, exclusive: '', nonce: BigInt(j), signer: k.address, signature: sign(digest, k) });
      offers.push({ id: r.id, start, size, amount });
    }
    // Greedy disjoint ranges by amount: strictly better than the reserves alone.
    offers.sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0));
    const taken = new Uint8Array(ROLLUPS);
    const winners: string[] = [];
    for (const o of offers) {
      let free = true;
      for (let i = o.start; i < o.start + o.size && free; i++) free = taken[i] === 0;
      if (!free) continue;
      taken.fill(1, o.start, o.start + o.size);
      winners.push(o.id);
    }
    clock.set(t.closesAt);
    const v = await market.challenge(slot, winners, `solver-${slot % 3}`);
    if (!v.accepted) throw new Error(`bench: slot ${slot}: challenge refused (${v.reason})`);
  }
  // Every slot final; the next ones opened (the overview's default window ends at the last opened slot).
  clock.set(slotTimes(config, first + SLOTS - 1).finalAt);
  await market.tick();
  const prepareMs = performance.now() - started;

  const serverMs: number[] = [];
  let bytes = 0;
  let window: { from: number; to: number; final: number } = { from: 0, to: 0, final: 0 };
  for (let i = 0; i < LOADS; i++) {
    const t0 = performance.now();
    const r = await node.app.inject({ method: 'GET', url: '/v1/dashboard/overview' });
    serverMs.push(performance.now() - t0);
    bytes = r.body.length;
    const o = JSON.parse(r.body) as { from: number; to: number; slots: { phase: string }[] };
    window = { from: o.from, to: o.to, final: o.slots.filter((s) => s.phase === 'final').length };
  }

  await node.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(node.app.server.address() as { port: number }).port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const loads: { readyMs: number; renderMs: number; errors: number }[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      let errors = 0;
      page.on('console', (m) => void (m.type() === 'error' && errors++));
      page.on('pageerror', () => void errors++);
      const t0 = performance.now();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
      const readyMs = performance.now() - t0;
      const state = (await page.evaluate('window.bundleAuctionDashboard.state()')) as { renderMs: number; slots: number; rollups: number };
      if (state.slots !== window.to - window.from + 1 || state.rollups !== ROLLUPS) throw new Error(`bench: the page shows ${state.slots} slots × ${state.rollups} rollups`);
      loads.push({ readyMs, renderMs: state.renderMs, errors });
      if (i === 0) await page.screenshot({ path: process.env['BENCH_DASHBOARD_SCREENSHOT'] ?? 'test-output/dashboard-1000x100.png', fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
    await node.close();
  }
  const result = {
    rollups: ROLLUPS, slots: window.to - window.from + 1, finalSlots: window.final, bidsPerSlot: BIDS_PER_SLOT, loads: LOADS,
    chromium: CHROMIUM, prepareMs: round(prepareMs),
    // The first read parses every final result; later ones take final rows from the cache.
    overviewBytes: bytes, overviewServerMsFirst: round(serverMs[0] ?? NaN), overviewServerMsMedian: round(median(serverMs)),
    pageReadyMsMedian: round(median(loads.map((l) => l.readyMs))), pageReadyMsMax: round(Math.max(...loads.map((l) => l.readyMs))),
    overviewRenderMsMedian: round(median(loads.map((l) => l.renderMs))), overviewRenderMsMax: round(Math.max(...loads.map((l) => l.renderMs))),
    consoleErrors: loads.reduce((a, l) => a + l.errors, 0),
  };
  const out = process.env['BENCH_DASHBOARD_OUT'];
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
