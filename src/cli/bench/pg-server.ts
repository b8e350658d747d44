/**
 * A throwaway PostgreSQL server for the tests and the node benchmark: Debian's `postgresql`
 * binaries (`/usr/lib/postgresql/<version>/bin`, or `pg_ctl` on PATH), `initdb` into a temporary
 * directory and started on 127.0.0.1 and a free port. Postgres refuses to run as root, so as
 * root the server runs as the `postgres` user (created by the Debian package), else `nobody`.
 * Every step is bounded in time and fails with a message saying what to do.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/** A running server; `stop` shuts it down and removes its directory. */
export interface PgServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication on loopback). */
  readonly url: string;
  readonly port: number;
  /** Directory of the Postgres binaries used. */
  readonly bin: string;
  stop(): void;
}

/** Options of {@link startPgServer}; all optional. */
export interface PgServerOptions {
  /** Bound of each step (initdb, start, stop), ms. Default 120,000. */
  readonly timeoutMs?: number;
  /**
   * `fsync` of the server. Default false: a test server is thrown away, so commits need not
   * survive a power cut (the node processes are what the tests kill). The benchmark turns it on.
   */
  readonly fsync?: boolean;
  /** Extra `-c name=value` settings. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** The directory of Debian's Postgres binaries (the highest version), else `pg_ctl`'s on PATH. */
export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8', timeout: 10_000 });
  const path = which.stdout.trim();
  return which.status === 0 && path !== '' ? dirname(path) : undefined;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Who runs the server: as root, an unprivileged user (`postgres`, else `nobody`); else the current user. */
function runAs(): { prefix: string[]; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8', timeout: 10_000 });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8', timeout: 10_000 });
    if (id.status === 0 && gid.status === 0) return { prefix: ['runuser', '-u', name, '--'], uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('pg-server: running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as (it refuses root)');
}

function run(as: ReturnType<typeof runAs>, command: string, args: readonly string[], timeoutMs: number): SpawnSyncReturns<string> {
  const argv = [...(as?.prefix ?? []), command, ...args];
  return spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

function failed(r: SpawnSyncReturns<string>, what: string, log?: string): Error {
  const why = r.error?.message ?? (r.signal !== null ? `killed by ${r.signal}` : `exit ${String(r.status)}`);
  const tail = (s: string): string => s.trim().split('\n').slice(-12).join('\n');
  return new Error(`pg-server: ${what} failed (${why})\n${tail(r.stderr)}${log !== undefined && existsSync(log) ? `\nserver log:\n${tail(readFileSync(log, 'utf8'))}` : ''}`);
}

/**
 * Initialises and starts a server. @throws {Error} when the binaries are missing (install
 * Debian's `postgresql`: `bash bench/setup.sh postgres`) or a step fails or times out.
 */
export async function startPgServer(options: PgServerOptions = {}): Promise<PgServer> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const bin = findPgBin();
  if (bin === undefined) throw new Error('pg-server: PostgreSQL binaries not found (/usr/lib/postgresql/*/bin or pg_ctl on PATH): run `bash bench/setup.sh postgres` (Debian package postgresql)');
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'ba-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (as !== null) { chownSync(dir, as.uid, as.gid); chownSync(data, as.uid, as.gid); }
  const log = join(dir, 'server.log');
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const init = run(as, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], timeoutMs);
  if (init.status !== 0) { remove(); throw failed(init, `initdb (as ${as === null ? userInfo().username : as.prefix[2]})`); }
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1', unix_socket_directories: dir, fsync: options.fsync === true ? 'on' : 'off',
    max_connections: '200', ...(options.settings ?? {}),
  };
  let lastError: Error | undefined;
  // The free port is released before Postgres binds it: another process may take it; retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const opts = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    const start = run(as, join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', opts, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'start'], timeoutMs + 5_000);
    if (start.status === 0) {
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, bin,
        stop() {
          run(as, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], 40_000);
          remove();
        },
      };
    }
    lastError = failed(start, `pg_ctl start on port ${port}`, log);
  }
  remove();
  throw lastError ?? new Error('pg-server: start failed');
}
