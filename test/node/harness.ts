/** A node under test: in-process, fake clock, in-memory or temp-file SQLite, inject() transport. */
import { ManualClock } from '../../src/node/clock.js';
import { MarketClient, type Transport } from '../../src/node/client.js';
import { parseNodeConfig, type NodeConfig } from '../../src/node/config.js';
import { createNode, type MarketNode, type NodeOptions } from '../../src/node/node.js';
import { configObject } from './fixtures.js';

export interface TestNode {
  readonly node: MarketNode;
  readonly clock: ManualClock;
  readonly client: MarketClient;
  readonly config: NodeConfig;
  readonly transport: Transport;
}

/** Starts a node of `mode` with the clock at `startMs` (solver inline, driven by the test). */
export async function startTestNode(mode: 'auction' | 'lottery', startMs: number, overrides: Record<string, unknown> = {}, options: Partial<NodeOptions> = {}): Promise<TestNode> {
  const config = parseNodeConfig(JSON.stringify(configObject(mode, overrides)), 'test-config.json', {});
  const clock = new ManualClock(startMs);
  const node = await createNode({ config, clock, solver: 'inline', autoSolve: false, tickMs: 0, ...options });
  const transport: Transport = async (method, path, body) => {
    const r = await node.app.inject({ method, url: path, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
    return { status: r.statusCode, text: r.body };
  };
  return { node, clock, client: new MarketClient(transport, config.market, config.chainId), config, transport };
}
