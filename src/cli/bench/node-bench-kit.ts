/**
 * Shared parts of the node benchmarks (`bench:node`, `bench:multinode`; not tests): deterministic
 * bench keys and native signing, the 1000-rollup bench market, signed bids of a generated
 * instance, seeding a store directly, and `serve` child processes on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import secp256k1 from 'secp256k1';
import { keccak256, type Hex } from 'viem';
import { generateInstance } from '../../generators/index.js';
import type { Instance } from '../../model/types.js';
import { parseNodeConfig, type Address, type NodeConfig } from '../../node/config.js';
import { marketDomain, typedDigest } from '../../node/eip712.js';
import type { MarketStore, StoredBid } from '../../node/store.js';

/** Rollups of the bench market (`r0` … `r999`, as the generators name them). */
export const ROLLUPS = 1000;

/** A bench key: private key and its address. */
export interface Key { readonly priv: Buffer; readonly address: Address }

/** The i-th bench key (sha256 of a fixed text: public, never for value). */
export function key(i: number): Key {
  const priv = createHash('sha256').update(`bundle-auction bench key ${i}`).digest();
  const pub = secp256k1.publicKeyCreate(priv, false);
  return { priv, address: `0x${keccak256(pub.subarray(1)).slice(-40)}` as Address };
}

/** Signs a digest with native libsecp256k1 (65-byte r‖s‖v hex). */
export function sign(digest: Hex, k: Key): Hex {
  const { signature, recid } = secp256k1.ecdsaSign(Buffer.from(digest.slice(2), 'hex'), k.priv);
  return `0x${Buffer.from(signature).toString('hex')}${(27 + recid).toString(16)}` as Hex;
}

/** The bench market: {@link ROLLUPS} rollups with reserve 0, cap 64 bids per bidder and slot. */
export function benchConfig(): NodeConfig {
  const rollups = Array.from({ length: ROLLUPS }, (_, i) => ({ id: `r${i}`, signer: key(1_000_000 + i).address, reserve: '0', optIn: true }));
  return parseNodeConfig(JSON.stringify({
    market: 'bundle-auction-bench', chainId: 31337, mode: 'auction',
    genesisMs: 10_000_000, slotMs: 12_000, leadMs: 600_000, closeMs: 8_000, finalMs: 2_000,
    rollups, maxBidsPerBidderPerSlot: 64, burnBps: 0, payoutRule: 'standalone',
    operator: key(999).address, nodeKey: `0x${key(998).priv.toString('hex')}`,
  }), 'bench config', {});
}

/** Writes `config` as the JSON file `serve --config` reads. */
export function writeConfig(path: string, config: NodeConfig): void {
  writeFileSync(path, JSON.stringify(config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** Signed bids and their POST bodies. */
export interface SignedBids { readonly stored: StoredBid[]; readonly bodies: string[] }

/**
 * The bids of `instance` (rollup ids as in the bench market) signed for `slot`: bid i by
 * `keyOf(i)`, nonce `nonceBase + i`, its exclusive group kept unless `dropExclusive`.
 */
export function signInstance(config: NodeConfig, slot: number, instance: Instance, keyOf: (i: number) => Key, nonceBase: number, dropExclusive = false): SignedBids {
  const domain = marketDomain(config.market, config.chainId);
  const stored: StoredBid[] = [];
  const bodies: string[] = [];
  instance.bids.forEach((b, i) => {
    const k = keyOf(i);
    const exclusive = dropExclusive ? '' : b.exclusive ?? '';
    const nonce = BigInt(nonceBase + i);
    const id = typedDigest(domain, 'Bid', { slot: BigInt(slot), bundle: b.bundle, amount: b.amount, exclusive, nonce });
    const signature = sign(id, k);
    stored.push({ slot, kind: 'bid', signer: k.address, nonce: nonce.toString(), id, bundle: [...b.bundle], amount: b.amount.toString(), exclusive, signature });
    bodies.push(JSON.stringify({ bid: { slot, bundle: b.bundle, amount: b.amount.toString(), ...(exclusive === '' ? {} : { exclusive }), nonce: nonce.toString() }, bidder: k.address, signature }));
  });
  return { stored, bodies };
}

/** `count` signed bids on the rollup-market family's bundles: bidder ⌊i/64⌋ of `seed`'s keys, no exclusive groups. */
export function signedBids(config: NodeConfig, slot: number, count: number, seed: number, nonceBase: number): SignedBids {
  const gen = generateInstance('rollup-market', { rollups: ROLLUPS, bids: count, seed });
  const rename = new Map(gen.rollups.map((r, i) => [r.id, `r${i}`]));
  const renamed: Instance = { ...gen, bids: gen.bids.map((b) => ({ ...b, bundle: b.bundle.map((r) => rename.get(r) as string) })) };
  return signInstance(config, slot, renamed, (i) => key(seed * 1_000_000 + Math.floor(i / 64)), nonceBase, true);
}

/** Writes the market's metadata and `bids` straight into a store (not timed; 5000 at a time). */
export async function seedStore(store: MarketStore, config: NodeConfig, bids: readonly StoredBid[], firstSlot: number): Promise<void> {
  await store.setMeta('market', config.market);
  await store.setMeta('chainId', String(config.chainId));
  await store.setMeta('mode', config.mode);
  await store.setMeta('firstSlot', String(firstSlot));
  for (let i = 0; i < bids.length; i += 5000) {
    const outcomes = await Promise.all(bids.slice(i, i + 5000).map((b) => store.addBid(b, { perSigner: config.maxBidsPerBidderPerSlot })));
    const refused = outcomes.find((o) => o.status !== 'added');
    if (refused !== undefined) throw new Error(`seeding the store: a bid was refused (${refused.status})`);
  }
  await store.close();
}

/** A `serve` child process and its URL. */
export interface Served { readonly child: ChildProcess; readonly url: string; readonly startMs: number }

/** Starts `serve --config … --db … --port 0` (file clock `clockPath`); resolves at its listening line (≤ 120 s). */
export async function serve(configPath: string, db: string, clockPath: string, solver = 'worker'): Promise<Served> {
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

/** SIGTERM, and wait for the exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Three decimals. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The 1, 5 and 15 minute load averages (as `uptime` prints them). */
export function load(): string {
  return loadavg().map((x) => x.toFixed(2)).join(', ');
}
