/**
 * Assembles a market node: store, market (clock, solver), metrics and the HTTP API. The CLI's
 * `serve` and the tests build nodes through {@link createNode}.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Clock } from './clock.js';
import type { NodeConfig } from './config.js';
import { Market, type MarketObservers } from './market.js';
import { NodeMetrics } from './metrics.js';
import type { EventRouteOptions } from './routes/events.js';
import { buildServer } from './server.js';
import { InlineSolver, WorkerSolver, type NodeSolver } from './solver-pool.js';
import { PgStore } from './pg-store.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { MarketStore } from './store.js';

/** Options of {@link createNode}. */
export interface NodeOptions {
  readonly config: NodeConfig;
  /** The store; default a {@link SqliteStore} at `dbPath`. */
  readonly store?: MarketStore;
  /** SQLite file when no `store` is given. Default `':memory:'`. */
  readonly dbPath?: string;
  /**
   * A Postgres URL (`postgres://…`) when no `store` is given: the shared store of several nodes
   * (takes precedence over `dbPath`).
   */
  readonly databaseUrl?: string;
  readonly sqlite?: SqliteStoreOptions;
  readonly clock?: Clock;
  /** Where the node's solver runs: a worker thread (default), this thread, none, or a given one. */
  readonly solver?: 'worker' | 'inline' | 'off' | NodeSolver;
  /** See `MarketOptions.autoSolve`. Default true. */
  readonly autoSolve?: boolean;
  /** See `MarketOptions.tickMs`. Default 50. */
  readonly tickMs?: number;
  /** See `MarketOptions.maxSolveSec`. Default 2. */
  readonly maxSolveSec?: number;
  readonly logger?: FastifyServerOptions['logger'];
  /** `GET /v1/events` heartbeat and queue (tests shorten them). */
  readonly eventStream?: EventRouteOptions;
}

/** A running node (not yet listening: call `app.listen`). */
export interface MarketNode {
  readonly market: Market;
  readonly app: FastifyInstance;
  readonly metrics: NodeMetrics;
  /** Stops accepting requests (in-flight ones finish), then closes the market and the store. */
  close(): Promise<void>;
}

/** Creates a node: opens the store and the market (rebuilding unfinished slots) and the API. */
export async function createNode(options: NodeOptions): Promise<MarketNode> {
  const metrics = new NodeMetrics();
  const hook = options.sqlite?.beforeResultCommit;
  const store = options.store ?? (options.databaseUrl !== undefined
    ? await PgStore.open({ url: options.databaseUrl, ...(hook === undefined ? {} : { beforeResultCommit: hook }) })
    : new SqliteStore(options.dbPath ?? ':memory:', options.sqlite ?? {}));
  const solver = options.solver === undefined || options.solver === 'worker' ? new WorkerSolver()
    : options.solver === 'inline' ? new InlineSolver() : options.solver === 'off' ? null : options.solver;
  let log: FastifyInstance['log'] | undefined;
  const events: MarketObservers = {
    accepted: (kind) => metrics.accepted.inc({ kind }),
    incumbent: (slot, value, by) => {
      metrics.incumbent.set(Number(value));
      metrics.incumbentSlot.set(slot);
      log?.info({ slot, value: value.toString(), by }, 'incumbent');
    },
    finalised: (slot, digest, lagMs) => {
      metrics.finaliseLag.observe(Math.max(0, lagMs) / 1000);
      log?.info({ slot, digest, lagMs }, 'finalised');
    },
    solverError: (slot, message) => {
      metrics.solverErrors.inc();
      log?.warn({ slot, message }, 'solver failed');
    },
  };
  const market = await Market.open(options.config, store, {
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    solver,
    ...(options.autoSolve === undefined ? {} : { autoSolve: options.autoSolve }),
    ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
    ...(options.maxSolveSec === undefined ? {} : { maxSolveSec: options.maxSolveSec }),
    events,
  });
  const app = buildServer(market, {
    metrics,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.eventStream === undefined ? {} : { events: options.eventStream }),
  });
  log = app.log;
  return {
    market, app, metrics,
    async close() {
      await app.close();
      await market.close();
    },
  };
}
