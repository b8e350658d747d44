/**
 * vitest globalSetup: makes sure what the suite needs beyond node_modules is there, and fails
 * loudly when it cannot be (no test skips silently for a missing prerequisite):
 * - `dist/` built (`npm test` builds it first; the bench isolation test runs the built CLI);
 * - native COIN-OR CBC for the bench tests, installed by `bench/setup.sh` when missing
 *   (idempotent, apt-get as root or through sudo), bounded in time.
 * - Chromium for the browser tests (`test/browser/`), Debian's `chromium` installed the same way
 *   (`BUNDLE_AUCTION_CHROMIUM` names another executable);
 * - a PostgreSQL server for the Postgres store and multi-node tests: `DATABASE_URL` when set
 *   (checked reachable), else Debian's `postgresql` (installed by `bench/setup.sh postgres` when
 *   missing) initdb'd into a temporary directory, run as an unprivileged user on 127.0.0.1 and a
 *   free port, and stopped in the teardown. Its URL reaches the tests as `inject('databaseUrl')`.
 * `BUNDLE_AUCTION_NO_CBC=1` skips the CBC tests on purpose (e.g. a machine without apt-get),
 * `BUNDLE_AUCTION_NO_BROWSER=1` the browser tests; each skip is then reported, never silent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browserOptOut, chromiumPath } from './chromium.js';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { findPgBin, startPgServer, type PgServer } from '../../src/cli/bench/pg-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of the test suite's PostgreSQL server (tests create their own databases). */
    databaseUrl: string;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
/** bench/setup.sh may run apt-get update and install: bounded. */
const SETUP_TIMEOUT_MS = 900_000;

/** Whether `cbc` runs from PATH. */
export function cbcOnPath(): boolean {
  return spawnSync('cbc', ['-quit'], { encoding: 'utf8', timeout: 30_000 }).error === undefined;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cli = process.env['BUNDLE_AUCTION_CLI'] ?? `${root}dist/cli.js`;
  if (!existsSync(cli)) throw new Error(`test setup: ${cli} is missing: run \`npm run build\` (\`npm test\` builds first)`);
  ensureCbc();
  setupChromium();
  const server = await postgres();
  project.provide('databaseUrl', server?.url ?? (process.env['DATABASE_URL'] as string));
  return () => server?.stop();
}

/** Checks a server answers `SELECT 1` within 20 s. */
async function reachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 20_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `DATABASE_URL` when set (null returned: nothing to stop), else a server of our own. */
async function postgres(): Promise<PgServer | null> {
  const given = process.env['DATABASE_URL'];
  if (given !== undefined && given !== '') {
    await reachable(given).catch((error: unknown) => {
      throw new Error(`test setup: DATABASE_URL ${given} is not reachable: ${error instanceof Error ? error.message : String(error)}`);
    });
    return null;
  }
  if (findPgBin() === undefined) {
    const run = spawnSync('bash', [`${root}bench/setup.sh`, 'postgres'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: SETUP_TIMEOUT_MS });
    if (run.error !== undefined || findPgBin() === undefined) {
      throw new Error(`test setup: PostgreSQL is required by the Postgres store tests and bench/setup.sh could not install it (${run.error?.message ?? `exit ${String(run.status)}`}); install Debian's postgresql, or set DATABASE_URL to a server the tests may create databases on`);
    }
  }
  const server = await startPgServer();
  await reachable(server.url).catch((error: unknown) => {
    server.stop();
    throw error;
  });
  return server;
}

function ensureCbc(): void {
  if (process.env['BUNDLE_AUCTION_NO_CBC'] === '1') {
    process.stderr.write('test setup: BUNDLE_AUCTION_NO_CBC=1: the CBC bench tests are skipped\n');
    return;
  }
  if (cbcOnPath()) return;
  const run = spawnSync('bash', [`${root}bench/setup.sh`, 'cbc'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: SETUP_TIMEOUT_MS });
  if (run.error !== undefined || run.status !== 0 || !cbcOnPath()) {
    const why = run.error?.message ?? (run.status !== 0 ? `exit ${String(run.status)}` : 'cbc still not on PATH');
    throw new Error(`test setup: native cbc is required by test/bench.test.ts and bench/setup.sh could not install it (${why}); install COIN-OR CBC, or set BUNDLE_AUCTION_NO_CBC=1 to skip those tests on purpose`);
  }
}

/** Chromium for the browser tests: there, installed by bench/setup.sh, or a loud failure (or the reported opt-out). */
function setupChromium(): void {
  if (browserOptOut()) {
    process.stderr.write('test setup: BUNDLE_AUCTION_NO_BROWSER=1: the browser tests are skipped\n');
    return;
  }
  const exe = chromiumPath();
  if (existsSync(exe)) return;
  const run = spawnSync('bash', [`${root}bench/setup.sh`, 'chromium'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: SETUP_TIMEOUT_MS });
  if (run.error !== undefined || run.status !== 0 || !existsSync(exe)) {
    const why = run.error?.message ?? (run.status !== 0 ? `exit ${String(run.status)}` : `${exe} still missing`);
    throw new Error(`test setup: Chromium is required by test/browser/ and bench/setup.sh could not install it (${why}); install Debian's chromium (or set BUNDLE_AUCTION_CHROMIUM to a Chromium executable), or set BUNDLE_AUCTION_NO_BROWSER=1 to skip those tests on purpose`);
  }
}
