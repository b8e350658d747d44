/**
 * The node's HTTP API (DESIGN.md §7) on Fastify: JSON schemas on every route (closed objects,
 * no type coercion), a 16 KiB body limit (challenges 4 MiB), one error handler for the §7
 * error body, an optional per-client rate limit, Prometheus metrics and one log line per
 * accepted or rejected input.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { NodeError } from './errors.js';
import { errorHandler, isInternal, toNodeError } from './http-errors.js';
import type { Market } from './market.js';
import { NodeMetrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes, type EventRouteOptions } from './routes/events.js';
import { inputRoutes } from './routes/inputs.js';
import { slotRoutes } from './routes/slots.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Id of the input this request submitted, for its log line. */
    inputId?: string;
    /** Code of the refusal, for its log line and metrics. */
    refusal?: string;
  }
}

/** Default body limit of the input routes (bytes). */
export const BODY_LIMIT = 16 * 1024;

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Fastify logger (pino) options or instance; false for none. Default false. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Metrics to fill; default: new ones. */
  readonly metrics?: NodeMetrics;
  /** `GET /v1/events` heartbeat and queue; defaults in `routes/events.ts`. */
  readonly events?: EventRouteOptions;
}

/** Builds the API over a market (not listening yet). */
export function buildServer(market: Market, options: ServerOptions = {}): FastifyInstance {
  const metrics = options.metrics ?? new NodeMetrics();
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, verbose: true, allowUnionTypes: true } },
  });
  const limiter = market.config.rateLimit === undefined ? null : new RateLimiter(market.config.rateLimit);

  app.setErrorHandler((error, request, reply) => {
    if (!isInternal(error)) request.refusal = toNodeError(error).code;
    errorHandler(error, request, reply);
  });
  app.setNotFoundHandler((request, reply) => {
    request.refusal = 'not_found';
    void reply.code(404).send(new NodeError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`, null).body());
  });
  if (limiter !== null) {
    app.addHook('preHandler', async (request) => {
      if (request.method === 'POST' && !limiter.take(request.ip, Date.now())) {
        throw new NodeError(429, 'rate_limited', `too many requests from ${request.ip}: at most ${market.config.rateLimit?.perSecond} per second (burst ${market.config.rateLimit?.burst})`, null);
      }
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unknown';
    metrics.latency.observe({ route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (request.method !== 'POST') return;
    if (reply.statusCode < 300) {
      request.log.info({ route, status: reply.statusCode, id: request.inputId }, 'accepted');
    } else {
      metrics.rejected.inc({ route, code: request.refusal ?? 'internal' });
      request.log.info({ route, status: reply.statusCode, code: request.refusal }, 'rejected');
    }
  });

  inputRoutes(app, market);
  slotRoutes(app, market);
  eventRoutes(app, market, options.events ?? {});
  dashboardRoutes(app, market);
  app.get('/healthz', async () => ({ ok: true, market: market.config.market, chainId: market.config.chainId, mode: market.config.mode, signer: market.address, ...market.now() }));
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  return app;
}
