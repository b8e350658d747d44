/**
 * The embedded store: SQLite in one file (better-sqlite3), WAL journal, `synchronous = FULL`
 * (every commit is fsynced). Writes arriving in the same turn of the event loop are grouped
 * into one transaction (group commit: one fsync for many inputs); each write's promise resolves
 * after that commit, so nothing is acknowledged before it is durable.
 */
import Database from 'better-sqlite3';
import type {
  AddAllocationOutcome, AddBeaconOutcome, AddBidOutcome, AddUpdateOutcome, BidLimits, MarketStore, SlotInputs, StoreCounts,
  StoredAllocation, StoredBeacon, StoredBid, StoredResult, StoredSlots, StoredUpdate,
} from './store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bids (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, slot INTEGER NOT NULL, kind TEXT NOT NULL, signer TEXT NOT NULL,
  nonce TEXT NOT NULL, id TEXT NOT NULL, bundle TEXT NOT NULL, amount TEXT NOT NULL, exclusive TEXT NOT NULL,
  signature TEXT NOT NULL, UNIQUE (slot, signer, nonce), UNIQUE (slot, id));
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, rollup TEXT NOT NULL, from_slot INTEGER NOT NULL, reserve TEXT NOT NULL,
  opt_in INTEGER NOT NULL, nonce TEXT NOT NULL, signature TEXT NOT NULL, UNIQUE (rollup, nonce));
CREATE TABLE IF NOT EXISTS allocations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, slot INTEGER NOT NULL, submitter TEXT NOT NULL, winners TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS allocations_slot ON allocations (slot);
CREATE TABLE IF NOT EXISTS beacons (slot INTEGER PRIMARY KEY, value TEXT NOT NULL, signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (slot INTEGER PRIMARY KEY, digest TEXT NOT NULL, body TEXT NOT NULL);
`;

interface Pending {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * Test hook: called inside the transaction that stores a result, after the row is written and
   * before the commit (the crash test kills the process here).
   */
  readonly beforeResultCommit?: (slot: number) => void;
}

/** A {@link MarketStore} in a SQLite file (`':memory:'` for a throwaway one). */
export class SqliteStore implements MarketStore {
  private readonly db: Database.Database;
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly stmt;

  constructor(path: string, private readonly options: SqliteStoreOptions = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmt = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      initMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      hasResult: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM results WHERE slot = ?'),
      bidByKey: db.prepare<[number, string, string], { id: string }>('SELECT id FROM bids WHERE slot = ? AND signer = ? AND nonce = ?'),
      bidById: db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM bids WHERE slot = ? AND id = ?'),
      signerCount: db.prepare<[number, string], { n: number }>('SELECT COUNT(*) AS n FROM bids WHERE slot = ? AND signer = ?'),
      slotCount: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM bids WHERE slot = ?'),
      lastNonce: db.prepare<[string], { nonce: string }>('SELECT nonce FROM updates WHERE rollup = ?'),
      bidsBySeq: db.prepare<[string], BidRow>('SELECT * FROM bids WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq'),
      slotAllocations: db.prepare<[number], AllocationRow>('SELECT * FROM allocations WHERE slot = ? ORDER BY seq'),
      beacon: db.prepare<[number], StoredBeacon>('SELECT slot, value, signature FROM beacons WHERE slot = ?'),
      addBid: db.prepare('INSERT INTO bids (slot, kind, signer, nonce, id, bundle, amount, exclusive, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      addUpdate: db.prepare('INSERT INTO updates (rollup, from_slot, reserve, opt_in, nonce, signature) VALUES (?, ?, ?, ?, ?, ?)'),
      addAllocation: db.prepare('INSERT INTO allocations (slot, submitter, winners, value) VALUES (?, ?, ?, ?)'),
      addBeacon: db.prepare('INSERT INTO beacons (slot, value, signature) VALUES (?, ?, ?)'),
      addResult: db.prepare('INSERT OR IGNORE INTO results (slot, digest, body) VALUES (?, ?, ?)'),
      // Raw rows (arrays, not objects): a restart reads 100,000s of them.
      bidsFrom: db.prepare<[number], BidTuple>(`SELECT ${BID_COLUMNS} FROM bids b WHERE b.slot >= ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.slot = b.slot) ORDER BY b.seq`).raw(),
      allocationsFrom: db.prepare<[number], AllocationRow>('SELECT a.* FROM allocations a WHERE a.slot >= ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.slot = a.slot) ORDER BY a.seq'),
      beaconsFrom: db.prepare<[number], StoredBeacon>('SELECT b.* FROM beacons b WHERE b.slot >= ? AND NOT EXISTS (SELECT 1 FROM results r WHERE r.slot = b.slot)'),
      slotBids: db.prepare<[number], BidRow>('SELECT * FROM bids WHERE slot = ? ORDER BY seq'),
      updates: db.prepare<[], UpdateRow>('SELECT * FROM updates ORDER BY seq'),
      result: db.prepare<[number], StoredResult>('SELECT slot, digest, body FROM results WHERE slot = ?'),
      results: db.prepare<[number, number], StoredResult>('SELECT slot, digest, body FROM results WHERE slot >= ? AND slot <= ? ORDER BY slot'),
      lastResult: db.prepare<[], { slot: number | null }>('SELECT MAX(slot) AS slot FROM results'),
      count: (table: string) => db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`),
    };
  }

  getMeta(key: string): Promise<string | undefined> {
    return Promise.resolve(this.stmt.getMeta.get(key)?.value);
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.write(() => { this.stmt.setMeta.run(key, value); });
  }

  initMeta(key: string, value: string): Promise<string> {
    return this.write(() => {
      this.stmt.initMeta.run(key, value);
      return this.stmt.getMeta.get(key)?.value ?? value;
    });
  }

  addBid(b: StoredBid, limits: BidLimits): Promise<AddBidOutcome> {
    return this.write((): AddBidOutcome => {
      if (this.stmt.hasResult.get(b.slot) !== undefined) return { status: 'final' };
      const existing = this.stmt.bidByKey.get(b.slot, b.signer, b.nonce);
      if (existing !== undefined) return { status: 'duplicate', id: existing.id };
      if (this.stmt.bidById.get(b.slot, b.id) !== undefined) return { status: 'id_taken' };
      if ((this.stmt.signerCount.get(b.slot, b.signer)?.n ?? 0) >= limits.perSigner) return { status: 'over_cap' };
      if (limits.perSlot !== undefined && (this.stmt.slotCount.get(b.slot)?.n ?? 0) >= limits.perSlot) return { status: 'slot_full' };
      this.stmt.addBid.run(b.slot, b.kind, b.signer, b.nonce, b.id, JSON.stringify(b.bundle), b.amount, b.exclusive, b.signature);
      return { status: 'added' };
    });
  }

  addUpdate(u: StoredUpdate): Promise<AddUpdateOutcome> {
    return this.write((): AddUpdateOutcome => {
      let last: bigint | undefined;
      for (const r of this.stmt.lastNonce.all(u.rollup)) if (last === undefined || BigInt(r.nonce) > last) last = BigInt(r.nonce);
      if (last !== undefined && BigInt(u.nonce) <= last) return { status: 'stale', last: last.toString() };
      this.stmt.addUpdate.run(u.rollup, u.fromSlot, u.reserve, u.optIn ? 1 : 0, u.nonce, u.signature);
      return { status: 'added' };
    });
  }

  addAllocation(a: StoredAllocation): Promise<AddAllocationOutcome> {
    return this.write((): AddAllocationOutcome => {
      if (this.stmt.hasResult.get(a.slot) !== undefined) return { status: 'final' };
      let best: bigint | undefined;
      for (const r of this.stmt.slotAllocations.all(a.slot)) if (best === undefined || BigInt(r.value) > best) best = BigInt(r.value);
      if (best !== undefined && BigInt(a.value) <= best) return { status: 'not_better', best: best.toString() };
      return { status: 'added', seq: Number(this.stmt.addAllocation.run(a.slot, a.submitter, JSON.stringify(a.winners), a.value).lastInsertRowid) };
    });
  }

  addBeacon(b: StoredBeacon): Promise<AddBeaconOutcome> {
    return this.write((): AddBeaconOutcome => {
      if (this.stmt.hasResult.get(b.slot) !== undefined) return { status: 'final' };
      const existing = this.stmt.beacon.get(b.slot);
      if (existing !== undefined) return { status: 'exists', value: existing.value };
      this.stmt.addBeacon.run(b.slot, b.value, b.signature);
      return { status: 'added' };
    });
  }

  /** One writer (this process): the inputs read here are all there are; the result is stored unless present. */
  async finaliseSlot(slot: number, compute: (inputs: SlotInputs) => Promise<StoredResult>): Promise<{ result: StoredResult; stored: boolean }> {
    const existing = this.stmt.result.get(slot);
    if (existing !== undefined) return { result: existing, stored: false };
    const inputs: SlotInputs = {
      slot, bids: this.stmt.slotBids.all(slot).map(bidOf), allocations: this.stmt.slotAllocations.all(slot).map(allocationOf),
      beacon: this.stmt.beacon.get(slot), updates: await this.updates(),
    };
    const result = await compute(inputs);
    if (await this.addResult(result)) return { result, stored: true };
    return { result: this.stmt.result.get(slot) ?? result, stored: false };
  }

  bidsBySeq(seqs: readonly number[]): Promise<StoredBid[]> {
    return Promise.resolve(seqs.length === 0 ? [] : this.stmt.bidsBySeq.all(JSON.stringify(seqs)).map(bidOf));
  }

  slotAllocations(slot: number): Promise<StoredAllocation[]> {
    return Promise.resolve(this.stmt.slotAllocations.all(slot).map(allocationOf));
  }

  beacon(slot: number): Promise<StoredBeacon | undefined> {
    return Promise.resolve(this.stmt.beacon.get(slot));
  }

  async addResult(r: StoredResult): Promise<boolean> {
    const changes = await this.write(() => {
      const info = this.stmt.addResult.run(r.slot, r.digest, r.body);
      this.options.beforeResultCommit?.(r.slot);
      return info.changes;
    });
    return changes === 1;
  }

  loadUnfinished(fromSlot: number): Promise<StoredSlots> {
    const bids = this.stmt.bidsFrom.all(fromSlot).map(([slot, kind, signer, nonce, id, bundle, amount, exclusive, signature]): StoredBid => ({
      slot, kind, signer: signer as StoredBid['signer'], nonce, id, bundle: JSON.parse(bundle) as string[], amount, exclusive, signature,
    }));
    const allocations = this.stmt.allocationsFrom.all(fromSlot).map(allocationOf);
    return Promise.resolve({ bids, allocations, beacons: this.stmt.beaconsFrom.all(fromSlot) });
  }

  slotBids(slot: number): Promise<StoredBid[]> {
    return Promise.resolve(this.stmt.slotBids.all(slot).map(bidOf));
  }

  updates(): Promise<StoredUpdate[]> {
    return Promise.resolve(this.stmt.updates.all().map((row) => ({
      rollup: row.rollup, fromSlot: row.from_slot, reserve: row.reserve, optIn: row.opt_in === 1, nonce: row.nonce, signature: row.signature,
    })));
  }

  result(slot: number): Promise<StoredResult | undefined> {
    return Promise.resolve(this.stmt.result.get(slot));
  }

  results(from: number, to: number): Promise<StoredResult[]> {
    return Promise.resolve(this.stmt.results.all(from, to));
  }

  lastResultSlot(): Promise<number | undefined> {
    return Promise.resolve(this.stmt.lastResult.get()?.slot ?? undefined);
  }

  counts(): Promise<StoreCounts> {
    const n = (table: string): number => this.stmt.count(table).get()?.n ?? 0;
    return Promise.resolve({ bids: n('bids'), updates: n('updates'), allocations: n('allocations'), beacons: n('beacons'), results: n('results') });
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    this.db.close();
    return Promise.resolve();
  }

  /** Queues a write for the next group commit; resolves with its return value once committed. */
  private write<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs every queued write in one transaction; a write that throws is rolled back alone (savepoint). */
  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: this.db.transaction(p.write)() });
          } catch (error) {
            outcomes.push({ ok: false, value: error });
          }
        }
      })();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as { ok: boolean; value: unknown };
      if (o.ok) p.resolve(o.value);
      else p.reject(o.value);
    });
  }
}

function allocationOf(row: AllocationRow): StoredAllocation {
  return { slot: row.slot, seq: row.seq, submitter: row.submitter, winners: JSON.parse(row.winners) as string[], value: row.value };
}

function bidOf(row: BidRow): StoredBid {
  return {
    slot: row.slot, kind: row.kind, signer: row.signer as StoredBid['signer'], nonce: row.nonce, id: row.id,
    bundle: JSON.parse(row.bundle) as string[], amount: row.amount, exclusive: row.exclusive, signature: row.signature,
  };
}

const BID_COLUMNS = 'slot, kind, signer, nonce, id, bundle, amount, exclusive, signature';
type BidTuple = [number, 'bid' | 'ticket', string, string, string, string, string, string, string];

interface BidRow {
  seq: number; slot: number; kind: 'bid' | 'ticket'; signer: string; nonce: string; id: string;
  bundle: string; amount: string; exclusive: string; signature: string;
}
interface AllocationRow { seq: number; slot: number; submitter: string; winners: string; value: string }
interface UpdateRow { seq: number; rollup: string; from_slot: number; reserve: string; opt_in: number; nonce: string; signature: string }
