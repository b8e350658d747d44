/**
 * `GET /v1/events`: the market's live events as server-sent events (see `../events.ts`).
 * `retry: 2000`, then a `hello`, then every event (optionally of one slot) as
 * `event/id/data`, with a `: hb` comment heartbeat. Raw writes on a hijacked reply; concurrent
 * streams capped by `maxEventClients` (429 beyond); streams close before the server does.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { NodeError } from '../errors.js';
import { sseFrame } from '../events.js';
import type { Market } from '../market.js';
import { EVENTS_QUERY } from '../schemas.js';

/** Default heartbeat period (ms). */
export const HEARTBEAT_MS = 15_000;

/** Reconnect delay the stream asks browsers for (ms). */
export const RETRY_MS = 2000;

/** Options of {@link eventRoutes}. */
export interface EventRouteOptions {
  /** Heartbeat period (ms). Default {@link HEARTBEAT_MS}. */
  readonly heartbeatMs?: number;
  /** Events queued for a stream whose socket is full before it is dropped. Default 256. */
  readonly maxQueue?: number;
}

/** Registers `GET /v1/events`. */
export function eventRoutes(app: FastifyInstance, market: Market, options: EventRouteOptions = {}): void {
  const streams = new Set<ServerResponse>();
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  // Before the server stops listening: end every stream, or close() would wait for them.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
    streams.clear();
  });

  app.get<{ Querystring: { slot?: string } }>('/v1/events', { schema: { querystring: EVENTS_QUERY } }, async (request, reply) => {
    const cap = market.config.maxEventClients;
    if (streams.size >= cap) {
      throw new NodeError(429, 'over_cap', `at most ${cap} event streams at once (maxEventClients); try again later`, null);
    }
    const slot = request.query.slot === undefined ? undefined : Number(request.query.slot);
    reply.hijack();
    const res = reply.raw;
    streams.add(res);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const c = market.config;
    res.write(`retry: ${RETRY_MS}\n\n` + sseFrame('hello', market.events.lastId, { market: c.market, chainId: c.chainId, mode: c.mode, slotMs: c.slotMs, now: market.now().now }));
    // A full socket holds back the next event until it drains; the publisher's queue is the bound.
    const write = (text: string): Promise<void> | undefined => {
      if (res.destroyed || res.writableEnded) return undefined;
      if (res.write(text)) return undefined;
      return new Promise((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    };
    const unsubscribe = market.events.subscribe((e) => write(sseFrame(e.type, e.id, e.data)), {
      ...(slot === undefined ? {} : { slot }),
      ...(options.maxQueue === undefined ? {} : { maxQueue: options.maxQueue }),
      onDrop: () => res.destroy(),
    });
    const heartbeat = setInterval(() => void write(': hb\n\n'), heartbeatMs);
    heartbeat.unref();
    res.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
    return reply;
  });
}
