/**
 * The shared store: PostgreSQL (`pg`), for several nodes on one market. Numbered SQL migrations
 * (`migrations/NNN_name.sql`, shipped beside this module) are applied on open in one transaction
 * under an advisory lock, so nodes starting together migrate once. The rules that must hold across
 * nodes live in the database (see `001_initial.sql`): each input is one call of a SQL function,
 * one statement, one transaction, one round trip. Other nodes' inputs arrive by LISTEN/NOTIFY
 * ({@link PgStore.subscribe}); a lost listener connection is re-opened and reported as a gap.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type {
  AddAllocationOutcome, AddBeaconOutcome, AddBidOutcome, AddUpdateOutcome, BidLimits, MarketStore, SlotInputs, StoreChange, StoreCounts,
  StoredAllocation, StoredBeacon, StoredBid, StoredResult, StoredSlots, StoredUpdate,
} from './store.js';

/** Options of {@link PgStore.open}. */
export interface PgStoreOptions {
  /** `postgres://user@host:port/database` (libpq-style URL). */
  readonly url: string;
  /** Pool size. Default 10. */
  readonly poolSize?: number;
  /** Test hook: inside the result's transaction, after its row and before the commit. */
  readonly beforeResultCommit?: (slot: number) => void;
  /** Connect timeout (ms). Default 10,000. */
  readonly connectTimeoutMs?: number;
}

/** Notification channel of the store's triggers. */
export const PG_CHANNEL = 'bundle_auction';
const LOCK_MIGRATIONS = 7110000;
const LOCK_SLOT = 7110001;
/** How long notifications are gathered before the listener is called (ms). */
const COALESCE_MS = 20;

/** bigint (int8) columns as numbers: slots and seqs stay far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** The migrations shipped beside this module, in order. */
export function migrations(): { version: number; name: string; sql: string }[] {
  const dir = fileURLToPath(new URL('./migrations/', import.meta.url));
  return readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort().map((f) => ({
    version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(`${dir}${f}`, 'utf8'),
  }));
}

/** A {@link MarketStore} on PostgreSQL. */
export class PgStore implements MarketStore {
  /** This store's `application_name`: its own notifications are not reported back to it. */
  readonly name: string;
  private listener: pg.Client | undefined;
  private readonly listeners = new Set<{ changes: (c: readonly StoreChange[]) => void; gap: () => void }>();
  private pendingChanges: StoreChange[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly pool: pg.Pool, private readonly options: PgStoreOptions, name: string) {
    this.name = name;
  }

  /** Connects, applies the pending migrations and returns the store. @throws when unreachable. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const name = `bundle-auction-${randomBytes(5).toString('hex')}`;
    const pool = new pg.Pool({
      connectionString: options.url, max: options.poolSize ?? 10, application_name: name, types: TYPES,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PgStore(pool, options, name);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(`postgres store ${redact(options.url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return store;
  }

  /** Applies the migrations not yet applied, in one transaction under an advisory lock. Returns their versions. */
  async migrate(): Promise<number[]> {
    const client = await this.pool.connect();
    const applied: number[] = [];
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_MIGRATIONS]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const m of migrations()) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return applied;
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async initMeta(key: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getMeta(key)) ?? value;
  }

  async addBid(b: StoredBid, limits: BidLimits): Promise<AddBidOutcome> {
    const r = await this.pool.query<{ s: string }>('SELECT ba_add_bid($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS s', [
      b.slot, b.kind, b.signer, b.nonce, b.id, JSON.stringify(b.bundle), b.amount, b.exclusive, b.signature, limits.perSigner, limits.perSlot ?? null,
    ]);
    const s = r.rows[0]?.s ?? '';
    if (s.startsWith('duplicate:')) return { status: 'duplicate', id: s.slice('duplicate:'.length) };
    if (s === 'added' || s === 'id_taken' || s === 'over_cap' || s === 'slot_full' || s === 'final') return { status: s };
    throw new Error(`postgres store: ba_add_bid answered ${JSON.stringify(s)}`);
  }

  async addUpdate(u: StoredUpdate): Promise<AddUpdateOutcome> {
    const r = await this.pool.query<{ s: string }>('SELECT ba_add_update($1, $2, $3, $4, $5, $6) AS s', [u.rollup, u.fromSlot, u.reserve, u.optIn, u.nonce, u.signature]);
    const s = r.rows[0]?.s ?? '';
    return s.startsWith('stale:') ? { status: 'stale', last: s.slice('stale:'.length) } : { status: 'added' };
  }

  async addAllocation(a: StoredAllocation): Promise<AddAllocationOutcome> {
    const r = await this.pool.query<{ s: string }>('SELECT ba_add_allocation($1, $2, $3, $4) AS s', [a.slot, a.submitter, JSON.stringify(a.winners), a.value]);
    const s = r.rows[0]?.s ?? '';
    if (s.startsWith('added:')) return { status: 'added', seq: Number(s.slice('added:'.length)) };
    if (s.startsWith('not_better:')) return { status: 'not_better', best: s.slice('not_better:'.length) };
    if (s === 'final') return { status: 'final' };
    throw new Error(`postgres store: ba_add_allocation answered ${JSON.stringify(s)}`);
  }

  async addBeacon(b: StoredBeacon): Promise<AddBeaconOutcome> {
    const r = await this.pool.query<{ s: string }>('SELECT ba_add_beacon($1, $2, $3) AS s', [b.slot, b.value, b.signature]);
    const s = r.rows[0]?.s ?? '';
    if (s.startsWith('exists:')) return { status: 'exists', value: s.slice('exists:'.length) };
    return s === 'final' ? { status: 'final' } : { status: 'added' };
  }

  async addResult(r: StoredResult): Promise<boolean> {
    const out = await this.inSlotLock(r.slot, async (client) => {
      const inserted = await client.query('INSERT INTO results (slot, digest, body) VALUES ($1, $2, $3) ON CONFLICT (slot) DO NOTHING', [r.slot, r.digest, r.body]);
      if (inserted.rowCount === 1) this.options.beforeResultCommit?.(r.slot);
      return inserted.rowCount === 1;
    });
    return out;
  }

  async finaliseSlot(slot: number, compute: (inputs: SlotInputs) => Promise<StoredResult>): Promise<{ result: StoredResult; stored: boolean }> {
    return this.inSlotLock(slot, async (client) => {
      const existing = (await client.query<StoredResult>('SELECT slot, digest, body FROM results WHERE slot = $1', [slot])).rows[0];
      if (existing !== undefined) return { result: existing, stored: false };
      // One client: its queries run one after another.
      const bids = await client.query<BidRow>(`SELECT ${BID_COLUMNS} FROM bids WHERE slot = $1 ORDER BY seq`, [slot]);
      const allocations = await client.query<AllocationRow>('SELECT seq, slot, submitter, winners, value FROM allocations WHERE slot = $1 ORDER BY seq', [slot]);
      const beacons = await client.query<StoredBeacon>('SELECT slot, value, signature FROM beacons WHERE slot = $1', [slot]);
      const updates = await client.query<UpdateRow>('SELECT rollup, from_slot, reserve, opt_in, nonce, signature FROM updates ORDER BY seq');
      const result = await compute({ slot, bids: bids.rows.map(bidOf), allocations: allocations.rows.map(allocationOf), beacon: beacons.rows[0], updates: updates.rows.map(updateOf) });
      await client.query('INSERT INTO results (slot, digest, body) VALUES ($1, $2, $3)', [result.slot, result.digest, result.body]);
      this.options.beforeResultCommit?.(slot);
      return { result, stored: true };
    });
  }

  /** Runs `work` in a transaction holding the slot's advisory lock exclusively (inputs hold it shared). */
  private async inSlotLock<T>(slot: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashint8($2))', [LOCK_SLOT, slot]);
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async loadUnfinished(fromSlot: number): Promise<StoredSlots> {
    const unfinished = 'slot >= $1 AND NOT EXISTS (SELECT 1 FROM results r WHERE r.slot = t.slot)';
    const [bids, allocations, beacons] = await Promise.all([
      this.pool.query<BidRow>(`SELECT ${BID_COLUMNS} FROM bids t WHERE ${unfinished} ORDER BY seq`, [fromSlot]),
      this.pool.query<AllocationRow>(`SELECT seq, slot, submitter, winners, value FROM allocations t WHERE ${unfinished} ORDER BY seq`, [fromSlot]),
      this.pool.query<StoredBeacon>(`SELECT slot, value, signature FROM beacons t WHERE ${unfinished}`, [fromSlot]),
    ]);
    return { bids: bids.rows.map(bidOf), allocations: allocations.rows.map(allocationOf), beacons: beacons.rows };
  }

  async slotBids(slot: number): Promise<StoredBid[]> {
    return (await this.pool.query<BidRow>(`SELECT ${BID_COLUMNS} FROM bids WHERE slot = $1 ORDER BY seq`, [slot])).rows.map(bidOf);
  }

  async bidsBySeq(seqs: readonly number[]): Promise<StoredBid[]> {
    if (seqs.length === 0) return [];
    return (await this.pool.query<BidRow>(`SELECT ${BID_COLUMNS} FROM bids WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [[...seqs]])).rows.map(bidOf);
  }

  async slotAllocations(slot: number): Promise<StoredAllocation[]> {
    return (await this.pool.query<AllocationRow>('SELECT seq, slot, submitter, winners, value FROM allocations WHERE slot = $1 ORDER BY seq', [slot])).rows.map(allocationOf);
  }

  async beacon(slot: number): Promise<StoredBeacon | undefined> {
    return (await this.pool.query<StoredBeacon>('SELECT slot, value, signature FROM beacons WHERE slot = $1', [slot])).rows[0];
  }

  async updates(): Promise<StoredUpdate[]> {
    return (await this.pool.query<UpdateRow>('SELECT rollup, from_slot, reserve, opt_in, nonce, signature FROM updates ORDER BY seq')).rows.map(updateOf);
  }

  async result(slot: number): Promise<StoredResult | undefined> {
    return (await this.pool.query<StoredResult>('SELECT slot, digest, body FROM results WHERE slot = $1', [slot])).rows[0];
  }

  async results(from: number, to: number): Promise<StoredResult[]> {
    return (await this.pool.query<StoredResult>('SELECT slot, digest, body FROM results WHERE slot >= $1 AND slot <= $2 ORDER BY slot', [from, to])).rows;
  }

  async lastResultSlot(): Promise<number | undefined> {
    return (await this.pool.query<{ slot: number | null }>('SELECT max(slot) AS slot FROM results')).rows[0]?.slot ?? undefined;
  }

  async counts(): Promise<StoreCounts> {
    const r = (await this.pool.query<{ bids: string; updates: string; allocations: string; beacons: string; results: string }>(
      'SELECT (SELECT count(*) FROM bids) AS bids, (SELECT count(*) FROM updates) AS updates, (SELECT count(*) FROM allocations) AS allocations, (SELECT count(*) FROM beacons) AS beacons, (SELECT count(*) FROM results) AS results',
    )).rows[0];
    return { bids: Number(r?.bids ?? 0), updates: Number(r?.updates ?? 0), allocations: Number(r?.allocations ?? 0), beacons: Number(r?.beacons ?? 0), results: Number(r?.results ?? 0) };
  }

  subscribe(listener: (changes: readonly StoreChange[]) => void, gap: () => void): () => void {
    const entry = { changes: listener, gap };
    this.listeners.add(entry);
    if (this.listener === undefined) void this.listen(false);
    return () => { this.listeners.delete(entry); };
  }

  /** Opens the LISTEN connection; on loss, re-opens it (every 500 ms until closed) and reports a gap. */
  private async listen(reconnect: boolean): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.url, application_name: this.name, connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000 });
    this.listener = client;
    let lost = false;
    const onLost = (): void => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen(true), 500).unref();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (n) => this.onNotification(n.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
    } catch {
      onLost();
      return;
    }
    if (reconnect) for (const l of this.listeners) l.gap();
  }

  private onNotification(payload: string | undefined): void {
    if (payload === undefined) return;
    const n = JSON.parse(payload) as { k: StoreChange['kind']; slot: number; seq: number | null; by: string };
    if (n.by === this.name) return;
    this.pendingChanges.push({ kind: n.k, slot: n.slot, seq: n.seq });
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        const changes = this.pendingChanges;
        this.pendingChanges = [];
        for (const l of this.listeners) l.changes(changes);
      }, COALESCE_MS);
      this.flushTimer.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

const BID_COLUMNS = 'slot, kind, signer, nonce, id, bundle, amount, exclusive, signature';
interface BidRow { slot: number; kind: 'bid' | 'ticket'; signer: string; nonce: string; id: string; bundle: string; amount: string; exclusive: string; signature: string }
interface AllocationRow { seq: number; slot: number; submitter: string; winners: string; value: string }
interface UpdateRow { rollup: string; from_slot: number; reserve: string; opt_in: boolean; nonce: string; signature: string }

function bidOf(r: BidRow): StoredBid {
  return { slot: r.slot, kind: r.kind, signer: r.signer as StoredBid['signer'], nonce: r.nonce, id: r.id, bundle: JSON.parse(r.bundle) as string[], amount: r.amount, exclusive: r.exclusive, signature: r.signature };
}

function allocationOf(r: AllocationRow): StoredAllocation {
  return { slot: r.slot, seq: r.seq, submitter: r.submitter, winners: JSON.parse(r.winners) as string[], value: r.value };
}

function updateOf(r: UpdateRow): StoredUpdate {
  return { rollup: r.rollup, fromSlot: r.from_slot, reserve: r.reserve, optIn: r.opt_in, nonce: r.nonce, signature: r.signature };
}
