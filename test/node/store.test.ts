import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, PgStore } from '../../src/node/pg-store.js';
import type { StoreChange, StoredBid } from '../../src/node/store.js';
import { freshDatabase } from '../support/pg.js';
import { BUILDERS } from './fixtures.js';
import { STORE_KINDS, storePlace, type StorePlace } from './stores.js';

const places: StorePlace[] = [];
afterAll(async () => {
  for (const p of places) await p.cleanup();
});

const signer = BUILDERS[0]?.address.toLowerCase() as `0x${string}`;
const bid: StoredBid = { slot: 3, kind: 'bid', signer, nonce: '1', id: `0x${'01'.repeat(32)}`, bundle: ['op-2', 'op-1'], amount: '5', exclusive: '', signature: '0x' };
const cap = { perSigner: 2 };

describe.each(STORE_KINDS)('%s store', (kind) => {
  it('commits writes, enforces keys, caps and finality, stores a result once and reloads after reopening', async () => {
    const place = await storePlace(kind, 'store');
    places.push(place);
    const store = await place.open();
    const [a, b] = await Promise.all([store.addBid(bid, cap), store.addBid({ ...bid, slot: 4, id: `0x${'02'.repeat(32)}` }, cap), store.setMeta('market', 'm')]);
    expect([a, b]).toEqual([{ status: 'added' }, { status: 'added' }]);
    // Same key: the stored id comes back (the same bid again, or a reused nonce); same id from another signer.
    expect(await store.addBid({ ...bid, id: `0x${'03'.repeat(32)}` }, cap)).toEqual({ status: 'duplicate', id: bid.id });
    expect(await store.addBid(bid, cap)).toEqual({ status: 'duplicate', id: bid.id });
    const other = BUILDERS[1]?.address.toLowerCase() as `0x${string}`;
    expect(await store.addBid({ ...bid, signer: other }, cap)).toEqual({ status: 'id_taken' });
    // Cap: the signer's second bid fits, the third does not; a ticket cap counts the slot.
    expect(await store.addBid({ ...bid, nonce: '2', id: `0x${'04'.repeat(32)}` }, cap)).toEqual({ status: 'added' });
    expect(await store.addBid({ ...bid, nonce: '3', id: `0x${'05'.repeat(32)}` }, cap)).toEqual({ status: 'over_cap' });
    // A ticket cap counts the slot's tickets (a lottery market passes it for every ticket).
    const tickets = { perSigner: 2, perSlot: 2 };
    expect(await store.addBid({ ...bid, slot: 7, nonce: '1', id: `0x${'08'.repeat(32)}` }, tickets)).toEqual({ status: 'added' });
    expect(await store.addBid({ ...bid, slot: 7, nonce: '2', id: `0x${'09'.repeat(32)}` }, tickets)).toEqual({ status: 'added' });
    expect(await store.addBid({ ...bid, slot: 7, signer: other, id: `0x${'0a'.repeat(32)}` }, tickets)).toEqual({ status: 'slot_full' });
    // A refused bid left no trace: the other signer's count did not move.
    expect(await store.addBid({ ...bid, slot: 7, signer: other, id: `0x${'0a'.repeat(32)}` }, { perSigner: 1, perSlot: 3 })).toEqual({ status: 'added' });
    const added = await store.addAllocation({ slot: 3, submitter: 'node', winners: [bid.id], value: '5' });
    expect(added.status === 'added' && added.seq > 0).toBe(true);
    // The challenge rule's compare-and-set: only strictly better joins (ties keep the earlier).
    expect(await store.addAllocation({ slot: 3, submitter: 'tie', winners: [], value: '5' })).toEqual({ status: 'not_better', best: '5' });
    expect(await store.addAllocation({ slot: 3, submitter: 'low', winners: [], value: '4' })).toEqual({ status: 'not_better', best: '5' });
    // Compared as integers, not as text ('10' < '9' as strings).
    const better = await store.addAllocation({ slot: 3, submitter: 'better', winners: [bid.id], value: '10' });
    expect(better.status === 'added' && added.status === 'added' && better.seq > added.seq).toBe(true);
    expect(await store.addAllocation({ slot: 3, submitter: 'nine', winners: [], value: '9' })).toEqual({ status: 'not_better', best: '10' });
    const seqs = [added, better].map((x) => (x.status === 'added' ? x.seq : -1));
    expect(await store.addUpdate({ rollup: 'op-1', fromSlot: 9, reserve: '7', optIn: false, nonce: '2', signature: '0x' })).toEqual({ status: 'added' });
    expect(await store.addUpdate({ rollup: 'op-1', fromSlot: 9, reserve: '8', optIn: true, nonce: '2', signature: '0x' })).toEqual({ status: 'stale', last: '2' });
    expect(await store.addUpdate({ rollup: 'op-1', fromSlot: 9, reserve: '8', optIn: true, nonce: '10', signature: '0x' })).toEqual({ status: 'added' });
    expect(await store.addUpdate({ rollup: 'op-1', fromSlot: 9, reserve: '8', optIn: true, nonce: '9', signature: '0x' })).toEqual({ status: 'stale', last: '10' });
    expect(await store.addBeacon({ slot: 3, value: '0xaa', signature: '0x' })).toEqual({ status: 'added' });
    expect(await store.addBeacon({ slot: 3, value: '0xbb', signature: '0x' })).toEqual({ status: 'exists', value: '0xaa' });
    expect(await store.addResult({ slot: 4, digest: 'd', body: '{}' })).toBe(true);
    expect(await store.addResult({ slot: 4, digest: 'e', body: '{"x":1}' })).toBe(false);
    // Slot 4 is final: no input joins it.
    expect(await store.addBid({ ...bid, slot: 4, nonce: '9', id: `0x${'07'.repeat(32)}` }, cap)).toEqual({ status: 'final' });
    expect(await store.addAllocation({ slot: 4, submitter: 'late', winners: [], value: '0' })).toEqual({ status: 'final' });
    expect(await store.addBeacon({ slot: 4, value: '0xcc', signature: '0x' })).toEqual({ status: 'final' });
    expect(await store.initMeta('firstSlot', '3')).toBe('3');
    expect(await store.initMeta('firstSlot', '5')).toBe('3');
    await store.close();

    const again = await place.open();
    expect(await again.counts()).toEqual({ bids: 6, updates: 2, allocations: 2, beacons: 1, results: 1 });
    const open = await again.loadUnfinished(0);
    expect(open.bids.map((x) => x.id)).toEqual([bid.id, `0x${'04'.repeat(32)}`, ...['08', '09', '0a'].map((h) => `0x${h.repeat(32)}`)]);
    expect(open.bids[0]).toEqual(bid);
    expect(open.allocations.map((x) => [x.seq, x.submitter, x.winners])).toEqual([[seqs[0], 'node', [bid.id]], [seqs[1], 'better', [bid.id]]]);
    expect(await again.slotAllocations(3)).toEqual(open.allocations);
    expect(await again.beacon(3)).toEqual({ slot: 3, value: '0xaa', signature: '0x' });
    expect((await again.updates()).map((u) => u.nonce)).toEqual(['2', '10']);
    expect((await again.updates())[0]).toEqual({ rollup: 'op-1', fromSlot: 9, reserve: '7', optIn: false, nonce: '2', signature: '0x' });
    expect(await again.result(4)).toEqual({ slot: 4, digest: 'd', body: '{}' });
    expect(await again.results(0, 10)).toEqual([{ slot: 4, digest: 'd', body: '{}' }]);
    expect(await again.getMeta('market')).toBe('m');
    expect(await again.lastResultSlot()).toBe(4);
    const all = await again.slotBids(3);
    expect(all.map((x) => x.id)).toEqual([bid.id, `0x${'04'.repeat(32)}`]);

    // finaliseSlot: computes from the stored inputs once; a second call gets the stored result.
    let computed = 0;
    const first = await again.finaliseSlot(3, async (inputs) => {
      computed++;
      expect(inputs.bids.map((x) => x.id)).toEqual(all.map((x) => x.id));
      expect(inputs.allocations.map((x) => x.seq)).toEqual(seqs);
      expect(inputs.beacon?.value).toBe('0xaa');
      expect(inputs.updates).toHaveLength(2);
      return Promise.resolve({ slot: 3, digest: 'f', body: '{"slot":3}' });
    });
    expect(first).toEqual({ result: { slot: 3, digest: 'f', body: '{"slot":3}' }, stored: true });
    const second = await again.finaliseSlot(3, () => { computed++; return Promise.resolve({ slot: 3, digest: 'g', body: '{}' }); });
    expect(second).toEqual({ result: { slot: 3, digest: 'f', body: '{"slot":3}' }, stored: false });
    expect(computed).toBe(1);
    expect((await again.loadUnfinished(0)).bids.map((x) => x.slot)).toEqual([7, 7, 7]);
    await again.close();
  });
});

describe('postgres store only', () => {
  it('migrates once under concurrent opens; notifies other stores of changes, not itself', async () => {
    const { url, drop } = await freshDatabase('pgonly');
    try {
      const stores = await Promise.all([0, 1, 2].map(() => PgStore.open({ url })));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const applied = (await admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      await admin.end();
      expect(applied).toEqual(migrations().map((m) => m.version));
      expect(applied.slice(0, 2)).toEqual([1, 2]);
      expect(await stores[0]?.migrate()).toEqual([]);
      const [a, b] = stores as [PgStore, PgStore, PgStore];
      const seen: { a: StoreChange[]; b: StoreChange[] } = { a: [], b: [] };
      a.subscribe((c) => seen.a.push(...c), () => undefined);
      b.subscribe((c) => seen.b.push(...c), () => undefined);
      // Give both LISTEN connections time to start (bounded).
      for (let i = 0; i < 50 && (await stores[2]?.counts())?.bids === 0; i++) {
        await stores[2]?.addBid({ ...bid, slot: 1 }, cap);
        await new Promise((r) => setTimeout(r, 100));
        if (seen.a.length > 0 && seen.b.length > 0) break;
      }
      seen.a.length = 0;
      seen.b.length = 0;
      await a.addBid(bid, cap);
      const added = await a.addAllocation({ slot: 3, submitter: 'x', winners: [bid.id], value: '5' });
      const seq = added.status === 'added' ? added.seq : -1;
      await a.addResult({ slot: 2, digest: 'd', body: '{}' });
      for (let i = 0; i < 100 && seen.b.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen.b.map((c) => [c.kind, c.slot])).toEqual([['bid', 3], ['allocation', 3], ['result', 2]]);
      expect(seen.b[1]?.seq).toBe(seq);
      expect((await b.bidsBySeq([seen.b[0]?.seq as number]))).toEqual([bid]);
      expect(seen.a).toEqual([]);
      for (const s of stores) await s.close();
    } finally {
      await drop();
    }
  });

  it('upgrades a database made by an earlier version (001 only, with an allocation) to the later migrations', async () => {
    const { url, drop } = await freshDatabase('upgrade');
    try {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const first = migrations()[0];
      await admin.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      await admin.query(first?.sql ?? '');
      await admin.query('INSERT INTO schema_migrations (version, name) VALUES (1, $1)', [first?.name]);
      await admin.query(`SELECT ba_add_allocation(3, 'old', '[]', '7')`);
      await admin.end();
      const store = await PgStore.open({ url });
      expect(await store.migrate()).toEqual([]);
      expect((await store.slotAllocations(3)).map((a) => [a.submitter, a.value])).toEqual([['old', '7']]);
      expect(await store.addAllocation({ slot: 3, submitter: 'tie', winners: [], value: '7' })).toEqual({ status: 'not_better', best: '7' });
      expect((await store.addAllocation({ slot: 3, submitter: 'new', winners: [], value: '8' })).status).toBe('added');
      await store.close();
    } finally {
      await drop();
    }
  });

  it('race: challenges offered at once through two stores on one database store a strictly increasing sequence only', async () => {
    const { url, drop } = await freshDatabase('alloc_race');
    try {
      const [a, b] = await Promise.all([PgStore.open({ url }), PgStore.open({ url })]);
      // 60 offers at once, values with repeats (ties) in a scrambled order, alternately to a and b.
      const values = Array.from({ length: 60 }, (_, i) => 100 + ((i * 37) % 23));
      const outcomes = await Promise.all(values.map((v, i) => (i % 2 === 0 ? a : b).addAllocation({ slot: 9, submitter: `s${i}`, winners: [], value: String(v) }).then((o) => ({ v, o }))));
      const added = outcomes.filter((x) => x.o.status === 'added').map((x) => ({ v: x.v, seq: x.o.status === 'added' ? x.o.seq : -1 })).sort((x, y) => x.seq - y.seq);
      // In store order each accepted value beats the one before; the best offer is among them; every refusal names a best at least its value.
      for (let i = 1; i < added.length; i++) expect(added[i]?.v).toBeGreaterThan(added[i - 1]?.v as number);
      expect(added.at(-1)?.v).toBe(Math.max(...values));
      expect(added.filter((x) => x.v === Math.max(...values))).toHaveLength(1);
      for (const x of outcomes) if (x.o.status === 'not_better') expect(BigInt(x.o.best)).toBeGreaterThanOrEqual(BigInt(x.v));
      expect(outcomes.filter((x) => x.o.status === 'not_better').length).toBeGreaterThan(0);
      expect((await a.slotAllocations(9)).map((x) => Number(x.value))).toEqual(added.map((x) => x.v));
      await Promise.all([a.close(), b.close()]);
    } finally {
      await drop();
    }
  });

  it('refuses an unreachable server with a message naming it', async () => {
    await expect(PgStore.open({ url: 'postgres://nobody:secret@127.0.0.1:1/none', connectTimeoutMs: 2000 })).rejects.toThrow(/postgres store postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
  });
});
