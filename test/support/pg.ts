/**
 * A database of its own for a test, on the suite's PostgreSQL server (started by the test setup,
 * or `DATABASE_URL`). Never skips: an unreachable server fails the test.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh empty database; `drop` removes it (forcing other sessions off). */
export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = inject('databaseUrl');
  if (typeof admin !== 'string' || admin === '') throw new Error('no database URL from the test setup (test/setup/prerequisites.ts)');
  const name = `ba_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 20_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 20_000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
