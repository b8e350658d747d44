/** A node under test: in-process, fake clock, in-memory SQLite or a fresh Postgres database, inject() transport. */
import { ManualClock } from '../../src/node/clock.js';
import { MarketClient, type Transport } from '../../src/node/client.js';
import { parseNodeConfig, type NodeConfig } from '../../src/node/config.js';
import { createNode, type MarketNode, type NodeOptions } from '../../src/node/node.js';
import { PgStore } from '../../src/node/pg-store.js';
import { freshDatabase } from '../support/pg.js';
import { configObject } from './fixtures.js';
import type { StoreKind } from './stores.js';

export interface TestNode {
  readonly node: MarketNode;
  readonly clock: ManualClock;
  readonly client: MarketClient;
  readonly config: NodeConfig;
  readonly transport: Transport;
}

/**
 * Starts a node of `mode` with the clock at `startMs` (solver inline, driven by the test), on
 * in-memory SQLite or (`storeKind: 'postgres'`) a fresh database of the suite's Postgres server.
 */
export async function startTestNode(mode: 'auction' | 'lottery', startMs: number, overrides: Record<string, unknown> = {}, options: Partial<NodeOptions> & { readonly storeKind?: StoreKind } = {}): Promise<TestNode> {
  const config = parseNodeConfig(JSON.stringify(configObject(mode, overrides)), 'test-config.json', {});
  const clock = new ManualClock(startMs);
  const { storeKind, ...rest } = options;
  const store = storeKind === 'postgres' ? await PgStore.open({ url: (await freshDatabase(`node_${mode}`)).url }) : undefined;
  const node = await createNode({ config, clock, solver: 'inline', autoSolve: false, tickMs: 0, ...(store === undefined ? {} : { store }), ...rest });
  const transport: Transport = async (method, path, body) => {
    const r = await node.app.inject({ method, url: path, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
    return { status: r.statusCode, text: r.body };
  };
  return { node, clock, client: new MarketClient(transport, config.market, config.chainId), config, transport };
}
