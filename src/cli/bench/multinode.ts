/**
 * The multi-node benchmark (`npm run bench:multinode`; not a test), on loopback against a
 * throwaway PostgreSQL server (fsync on) that it starts and stops itself:
 * 1. accepted signed bids per second and p50/p99 latency with ONE `serve` node and with TWO on one
 *    database, side by side in one run (autocannon; the two-node run sends half the connections to
 *    each; pre-signed bids from one pool, so none is sent twice), and one node on the embedded
 *    SQLite store for reference, in turn for `BENCH_MULTI_ROUNDS` rounds; after each run every
 *    node must count every accepted bid;
 * 2. the followers' effect on a hard slot (bidder-interest, 1000 rollups × 10,000 bids, seed 1):
 *    one node alone (its solver on a worker thread) vs the same node plus three
 *    `challenge --follow` processes (heuristic seeds 1 and 2, auto seed 3), same inputs, same
 *    6 s challenge window, a file clock running in real time; final value, who won it, and the
 *    challenges accepted.
 * Every phase is bounded in time. Prints one JSON object (stdout); progress on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { generateInstance } from '../../generators/index.js';
import { slotTimes } from '../../node/clock.js';
import type { NodeConfig } from '../../node/config.js';
import { PgStore } from '../../node/pg-store.js';
import { benchConfig, key, load, round, seedStore, serve, signInstance, signedBids, stop, writeConfig, type Served } from './node-bench-kit.js';
import { startPgServer, type PgServer } from './pg-server.js';

const SLOT = 10;
const SECONDS = Number(process.env['BENCH_MULTI_SECONDS'] ?? 8);
const ROUNDS = Number(process.env['BENCH_MULTI_ROUNDS'] ?? 2);
const CONNECTIONS = 32;
const LOAD_BIDS = Number(process.env['BENCH_MULTI_BIDS'] ?? 40_000);
const SOLVER = process.env['BENCH_MULTI_SOLVER'] ?? 'off';
/** Parts to run: `load` (1 vs 2 nodes), `hard` (followers on the hard slot). */
const PARTS = new Set((process.env['BENCH_MULTI_PARTS'] ?? 'load,hard').split(','));
/** `off` runs the server without fsync (to see what the disk costs); default on. */
const FSYNC = process.env['BENCH_MULTI_FSYNC'] !== 'off';
/** The hard slot: bidder-interest 1000 × 10,000, seed 1 (BENCHMARKS §3: best known 85328.9266 = 853289266 units). */
const HARD = { family: 'bidder-interest', rollups: 1000, bids: 10_000, seed: 1 } as const;
/** Frozen node-clock time after start, then open-phase time run in real time before the window (ms). */
const SETTLE_MS = 5_000;
const OPEN_MS = 4_000;
const FOLLOWERS = [
  { name: 'heuristic-1', args: ['--method', 'heuristic', '--seed', '1'] },
  { name: 'heuristic-2', args: ['--method', 'heuristic', '--seed', '2'] },
  { name: 'auto-3', args: ['--method', 'auto', '--seed', '3'] },
] as const;

const log = (line: string): void => { process.stderr.write(`bench:multinode ${new Date().toISOString().slice(11, 19)} ${line}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A fresh database on the bench server; returns its URL. */
async function createDatabase(server: PgServer, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

interface LoadRun { store: 'sqlite' | 'postgres'; nodes: number; seconds: number; sent: number; accepted: number; acceptedPerSecond: number; statusCodes: Record<string, number>; latencyMs: { p50: number; p90: number; p99: number; max: number }; perNode: { accepted: number; p50: number; p99: number }[]; storedBids: number; everyNodeCounts: boolean }

/** Bids of the load slot in a store: a Postgres URL, else a SQLite file (read-only beside the node). */
async function storedCount(db: string): Promise<number> {
  if (db.startsWith('postgres://')) return Number((await query<{ n: string }>(db, 'SELECT count(*) AS n FROM bids WHERE slot = $1', [SLOT]))[0]?.n ?? -1);
  const file = new Database(db, { readonly: true });
  try {
    return (file.prepare('SELECT count(*) AS n FROM bids WHERE slot = ?').get(SLOT) as { n: number }).n;
  } finally {
    file.close();
  }
}

/** One load run: `nodes` serve processes on a fresh database (or one on a fresh SQLite file), CONNECTIONS split over them, bids from one shared pool. */
async function loadRun(server: PgServer, name: string, store: LoadRun['store'], nodes: number, dir: string, configPath: string, clockPath: string, bodies: readonly string[]): Promise<LoadRun> {
  const db = store === 'postgres' ? await createDatabase(server, name) : join(dir, `${name}.db`);
  const served: Served[] = [];
  try {
    for (let i = 0; i < nodes; i++) served.push(await serve(configPath, db, clockPath, SOLVER));
    let next = 0;
    const per = CONNECTIONS / nodes;
    const t0 = performance.now();
    const results = await Promise.all(served.map((s) => autocannon({
      url: s.url, connections: per, duration: SECONDS,
      requests: [{ method: 'POST', path: '/v1/bids', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] as string }) }],
    })));
    if (next >= bodies.length) throw new Error(`the pool of ${bodies.length} pre-signed bids ran out (${next} sent): raise BENCH_MULTI_BIDS`);
    const codes: Record<string, number> = {};
    let accepted = 0;
    const perNode = results.map((r) => {
      const stats = (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
      for (const [c, v] of Object.entries(stats)) codes[c] = (codes[c] ?? 0) + v.count;
      const a = stats['201']?.count ?? 0;
      accepted += a;
      return { accepted: a, p50: r.latency.p50, p99: r.latency.p99 };
    });
    // From the first request to the last answer, over all load generators.
    const seconds = (performance.now() - t0) / 1000;
    // Correctness before figures: once the last in-flight requests commit, the database holds the
    // accepted bids (plus at most one uncounted answer per connection) and every node counts them all.
    let storedBids = -1;
    let everyNodeCounts = false;
    let counts: number[] = [];
    for (let i = 0; i < 100 && !everyNodeCounts; i++) {
      await sleep(100);
      storedBids = await storedCount(db);
      counts = await Promise.all(served.map(async (s) => ((await (await fetch(`${s.url}/v1/slots/${SLOT}`)).json()) as { bids: number }).bids));
      everyNodeCounts = counts.every((c) => c === storedBids);
    }
    if (!everyNodeCounts) throw new Error(`${name}: the nodes count ${counts.join(' and ')} bids, the database holds ${storedBids}`);
    // Requests still in flight when autocannon stops are committed but not counted: at most one per connection.
    if (storedBids < accepted || storedBids - accepted > CONNECTIONS) throw new Error(`${name}: ${accepted} answers 201 but ${storedBids} bids stored`);
    // Latency over all requests: the larger per-node percentile is reported when split (autocannon gives no merged histogram).
    const lat = { p50: Math.max(...results.map((r) => r.latency.p50)), p90: Math.max(...results.map((r) => r.latency.p90)), p99: Math.max(...results.map((r) => r.latency.p99)), max: Math.max(...results.map((r) => r.latency.max)) };
    return { store, nodes, seconds: round(seconds), sent: results.reduce((s, r) => s + r.requests.total, 0), accepted, acceptedPerSecond: Math.round(accepted / seconds), statusCodes: codes, latencyMs: lat, perNode, storedBids, everyNodeCounts };
  } finally {
    for (const s of served) await stop(s.child);
  }
}

interface Follower { readonly name: string; readonly child: ChildProcess; readonly reports: Record<string, unknown>[]; readonly exited: Promise<void> }

function startFollower(url: string, name: string, args: readonly string[]): Promise<Follower> {
  const cli = fileURLToPath(new URL('../../cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'challenge', '--follow', url, ...args, '--submitter', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  const reports: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => { if (line.startsWith('{')) reports.push(JSON.parse(line) as Record<string, unknown>); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`follower ${name} did not start in 60 s`)), 60_000);
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('following ')) { clearTimeout(timer); resolve({ name, child, reports, exited }); }
    });
    child.once('exit', () => reject(new Error(`follower ${name} exited before following`)));
  });
}

/** One run on the hard slot: seed a fresh database, node (solver on a worker), optional followers, a real-time clock through the window. */
async function hardRun(server: PgServer, name: string, config: NodeConfig, configPath: string, clockPath: string, bids: ReturnType<typeof signInstance>, withFollowers: boolean): Promise<Record<string, unknown>> {
  const db = await createDatabase(server, name);
  const dbName = new URL(db).pathname.slice(1);
  const times = slotTimes(config, SLOT);
  // Seeding is not measured: no fsync wait per row while it runs.
  await query(server.url, `ALTER DATABASE ${dbName} SET synchronous_commit TO off`);
  await seedStore(await PgStore.open({ url: db }), config, bids.stored, 1);
  await query(server.url, `ALTER DATABASE ${dbName} RESET synchronous_commit`);
  const start = times.closesAt - OPEN_MS;
  writeFileSync(clockPath, String(start));
  const node = await serve(configPath, db, clockPath, 'worker');
  const followers: Follower[] = [];
  let ticker: NodeJS.Timeout | undefined;
  try {
    const settled = Date.now();
    if (withFollowers) for (const f of FOLLOWERS) followers.push(await startFollower(node.url, f.name, f.args));
    await sleep(Math.max(0, SETTLE_MS - (Date.now() - settled)));
    // From here the node clock runs in real time: OPEN_MS of open phase, then the window.
    const t0 = Date.now();
    ticker = setInterval(() => writeFileSync(clockPath, String(start + (Date.now() - t0))), 10);
    let result: Record<string, unknown> | undefined;
    const deadline = t0 + OPEN_MS + (times.finalAt - times.closesAt) + 30_000;
    while (result === undefined && Date.now() < deadline) {
      const r = await fetch(`${node.url}/v1/slots/${SLOT}/result`);
      if (r.status === 200) result = (await r.json()) as Record<string, unknown>;
      else await sleep(50);
    }
    if (result === undefined) throw new Error(`${name}: no result within 30 s of finalAt`);
    const rows = await query<{ submitter: string; value: string }>(db, 'SELECT submitter, value FROM allocations WHERE slot = $1 ORDER BY seq', [SLOT]);
    // Followers report the slot once their solve ends (before finalAt); wait a little for the lines.
    for (let i = 0; i < 50 && followers.some((f) => !f.reports.some((x) => x['slot'] === SLOT)); i++) await sleep(100);
    return {
      followers: followers.map((f) => f.name), finalValue: result['value'], wonBy: result['by'], bids: result['bids'],
      acceptedChallenges: rows.filter((r) => r.submitter !== 'node').length, nodeAllocations: rows.filter((r) => r.submitter === 'node').length,
      allocations: rows.map((r) => `${r.submitter}:${r.value}`),
      followerReports: followers.map((f) => {
        const r = f.reports.find((x) => x['slot'] === SLOT);
        return { name: f.name, ...(r === undefined ? { report: 'none' } : { value: r['value'], accepted: r['accepted'], stoppedEarly: r['stoppedEarly'], solveMs: r['solveMs'], reason: r['reason'] }) };
      }),
    };
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
    for (const f of followers) {
      f.child.kill('SIGTERM');
      await f.exited;
    }
    await stop(node.child);
  }
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { machine: 'this machine (2 vCPUs, shared with other sessions)', date: new Date().toISOString(), loadBefore: load() };
  const dir = mkdtempSync(join(tmpdir(), 'ba-multi-bench-'));
  const server = await startPgServer({ fsync: FSYNC });
  out['postgres'] = { bin: server.bin, fsync: FSYNC ? 'on' : 'off', synchronous_commit: 'on (default)' };
  try {
    const config = benchConfig();
    const configPath = join(dir, 'market.json');
    const clockPath = join(dir, 'clock');
    writeConfig(configPath, config);
    const times = slotTimes(config, SLOT);

    // 1. One node vs two nodes on one database, alternating.
    if (PARTS.has('load')) {
    writeFileSync(clockPath, String(times.opensAt + 1000));
    log(`signing ${LOAD_BIDS} bids`);
    const { bodies } = signedBids(config, SLOT, LOAD_BIDS, 2, 1_000_000);
    const runs: LoadRun[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [store, nodes] of [['postgres', 1], ['postgres', 2], ['sqlite', 1]] as const) {
        log(`load round ${r + 1}: ${nodes} node${nodes === 1 ? '' : 's'} on ${store}, ${SECONDS} s (load ${load()})`);
        runs.push(await loadRun(server, `load_${r}_${store}_${nodes}`, store, nodes, dir, configPath, clockPath, bodies));
      }
    }
    out['load'] = { connections: CONNECTIONS, secondsEach: SECONDS, rounds: ROUNDS, nodeSolver: SOLVER, runs, loadAfter: load() };
    }

    // 2. The hard slot, node alone vs node + three followers.
    if (PARTS.has('hard')) {
    log(`signing the hard slot (${HARD.family} ${HARD.rollups} × ${HARD.bids}, seed ${HARD.seed})`);
    const inst = generateInstance(HARD.family, { rollups: HARD.rollups, bids: HARD.bids, seed: HARD.seed });
    const bidderIndex = new Map<string, number>();
    for (const b of inst.bids) if (!bidderIndex.has(b.bidder)) bidderIndex.set(b.bidder, bidderIndex.size);
    const hard = signInstance(config, SLOT, inst, (i) => key(2_000_000 + (bidderIndex.get(inst.bids[i]?.bidder ?? '') ?? 0)), 0);
    const hardRuns: Record<string, unknown>[] = [];
    for (const withFollowers of [false, true]) {
      log(`hard slot, ${withFollowers ? 'node + three followers' : 'node alone'} (load ${load()})`);
      hardRuns.push({ loadBefore: load(), ...(await hardRun(server, `hard_${withFollowers ? 'followers' : 'alone'}`, config, configPath, clockPath, hard, withFollowers)) });
    }
    out['hardSlot'] = { instance: `${HARD.family} ${HARD.rollups} × ${HARD.bids} seed ${HARD.seed} (instance units = 1e-4)`, windowMs: times.finalAt - times.closesAt, openPhaseMs: OPEN_MS + SETTLE_MS, runs: hardRuns, loadAfter: load() };
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
