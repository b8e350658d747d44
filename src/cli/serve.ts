/**
 * `bundle-auction serve --config FILE [--db PATH|postgres://…] [--port N] [--host H] [--solver worker|off]`: runs one market node.
 * `--db postgres://…` (or `postgresql://`) selects the Postgres store, shared by several nodes of one market;
 * a file path (default `market.db` beside the config) the embedded SQLite store.
 * First stdout line: `listening on http://HOST:PORT`; logs (pino JSON lines) go to stderr.
 * SIGTERM (or SIGINT) finishes in-flight requests, closes the store and exits 0.
 *
 * Test hooks (environment): `BUNDLE_AUCTION_CLOCK_FILE` reads the time from a file holding a
 * millisecond timestamp; `BUNDLE_AUCTION_FAULT=finalise:SLOT` kills the process inside that slot's
 * result transaction, before its commit.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../model/errors.js';
import { FileClock } from '../node/clock.js';
import { parseNodeConfig } from '../node/config.js';
import { createNode } from '../node/node.js';
import { oneOf, parseNat } from './args.js';
import type { Io } from './io.js';

interface ServeFlags {
  readonly config: string;
  readonly db?: string;
  readonly port: number;
  readonly host: string;
  readonly solver: 'worker' | 'off';
}

/** Registers `serve`. */
export function serveCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description('run a market node: signed bids over HTTP, slot by slot, durable in SQLite (DESIGN.md §7)')
    .requiredOption('--config <file>', 'market config JSON (see examples/market.json)')
    .option('--db <path|url>', 'SQLite store file (default: market.db beside the config), or postgres://… for the Postgres store shared by several nodes')
    .option('--port <n>', 'TCP port (0 picks a free one)', parseNat, 8080)
    .option('--host <h>', 'address to bind', '127.0.0.1')
    .option('--solver <where>', "the node's own solver: worker (a worker thread) or off (outside challengers only)", oneOf(['worker', 'off'] as const), 'worker')
    .action(async (flags: ServeFlags) => {
      const config = parseNodeConfig(await readText(flags.config), flags.config);
      const clockFile = process.env['BUNDLE_AUCTION_CLOCK_FILE'];
      const fault = process.env['BUNDLE_AUCTION_FAULT'];
      const node = await createNode({
        config,
        ...(isPostgresUrl(flags.db) ? { databaseUrl: flags.db } : { dbPath: flags.db ?? join(dirname(flags.config), 'market.db') }),
        solver: flags.solver,
        ...(clockFile === undefined ? {} : { clock: new FileClock(clockFile) }),
        ...(fault === undefined ? {} : { sqlite: { beforeResultCommit: (slot: number) => { if (fault === `finalise:${slot}`) process.kill(process.pid, 'SIGKILL'); } } }),
        logger: { level: process.env['BUNDLE_AUCTION_LOG_LEVEL'] ?? 'info', stream: process.stderr },
      });
      await node.app.listen({ port: flags.port, host: flags.host });
      const address = node.app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : flags.port;
      io.stdout(`listening on http://${flags.host}:${port}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void node.close().then(resolve, resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}

/** Whether `--db` names a Postgres server rather than a SQLite file. */
export function isPostgresUrl(db: string | undefined): db is string {
  return db !== undefined && /^postgres(ql)?:\/\//i.test(db);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    throw new InputError({ source: path, rule: `cannot read file: ${code === 'ENOENT' ? 'no such file' : typeof code === 'string' ? code : 'unreadable'}` }, { cause: error });
  }
}
