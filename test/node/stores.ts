/** The two store engines, for tests that run against both (parameterised, not copied). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgStore } from '../../src/node/pg-store.js';
import { SqliteStore } from '../../src/node/sqlite-store.js';
import type { MarketStore } from '../../src/node/store.js';
import { freshDatabase } from '../support/pg.js';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A place for a store of `kind`: open it (again) as often as needed; `cleanup` removes it. */
export interface StorePlace {
  readonly kind: StoreKind;
  /** The SQLite file or the Postgres URL (what `serve --db` takes). */
  readonly db: string;
  open(): Promise<MarketStore>;
  cleanup(): Promise<void>;
}

export async function storePlace(kind: StoreKind, label: string): Promise<StorePlace> {
  if (kind === 'sqlite') {
    const db = join(mkdtempSync(join(tmpdir(), `ba-${label}-`)), 'm.db');
    return { kind, db, open: () => Promise.resolve(new SqliteStore(db)), cleanup: () => Promise.resolve() };
  }
  const { url, drop } = await freshDatabase(label);
  return { kind, db: url, open: () => PgStore.open({ url }), cleanup: drop };
}
