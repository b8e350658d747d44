/**
 * The dashboard: `GET /` (the page, under a strict Content-Security-Policy), its scripts and
 * styles under `/dashboard/`, and two read-only JSON endpoints it reads besides §7 and
 * `/v1/events`: `GET /v1/dashboard/overview?from&to` and `GET /v1/dashboard/slots/:slot`.
 */
import type { FastifyInstance } from 'fastify';
import { webAssets, type AssetName } from '../../dashboard/assets.js';
import { IncumbentHistory, MAX_OVERVIEW_SLOTS, overview, slotPicture } from '../dashboard-data.js';
import { DASHBOARD_CSP, DASHBOARD_HTML } from '../dashboard-page.js';
import { NodeError } from '../errors.js';
import { toJson } from '../json.js';
import type { Market } from '../market.js';
import { SLOT_PARAMS } from '../schemas.js';

const SLOT_TEXT = { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } as const;
const OVERVIEW_QUERY = { type: 'object', additionalProperties: false, properties: { from: SLOT_TEXT, to: SLOT_TEXT } } as const;

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };

/** Registers the dashboard routes. */
export function dashboardRoutes(app: FastifyInstance, market: Market): void {
  const history = new IncumbentHistory(market.events);
  app.addHook('onClose', async () => history.close());
  const security = { 'content-security-policy': DASHBOARD_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

  app.get('/', async (_request, reply) => reply.headers({ ...security, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).send(DASHBOARD_HTML));

  app.get<{ Params: { file: string } }>('/dashboard/:file', async (request, reply) => {
    const name = request.params.file;
    let assets: ReadonlyMap<AssetName, string>;
    try {
      assets = webAssets();
    } catch (error) {
      throw new NodeError(404, 'not_found', error instanceof Error ? error.message : String(error), null);
    }
    const text = assets.get(name as AssetName);
    const type = TYPES[name.slice(name.lastIndexOf('.') + 1)];
    if (text === undefined || type === undefined) throw new NodeError(404, 'not_found', `no dashboard file ${JSON.stringify(name)}`, 'file');
    return reply.headers({ ...security, 'content-type': type, 'cache-control': 'no-cache' }).send(text);
  });

  app.get<{ Querystring: { from?: string; to?: string } }>('/v1/dashboard/overview', { schema: { querystring: OVERVIEW_QUERY } }, async (request, reply) => {
    const from = request.query.from === undefined ? undefined : Number(request.query.from);
    const to = request.query.to === undefined ? undefined : Number(request.query.to);
    if (from !== undefined && to !== undefined) {
      if (to < from) throw new NodeError(400, 'bad_request', `to (${to}) must not be below from (${from})`, 'to');
      if (to - from + 1 > MAX_OVERVIEW_SLOTS) throw new NodeError(400, 'bad_request', `at most ${MAX_OVERVIEW_SLOTS} slots per request (received ${to - from + 1})`, 'to');
    } else if (from !== undefined || to !== undefined) {
      throw new NodeError(400, 'bad_request', 'give both from and to, or neither (the last 100 slots)', from === undefined ? 'from' : 'to');
    }
    const range = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
    return reply.type('application/json; charset=utf-8').send(toJson(await overview(market, range)));
  });

  app.get<{ Params: { slot: string } }>('/v1/dashboard/slots/:slot', { schema: { params: SLOT_PARAMS } }, async (request, reply) => {
    const slot = Number(request.params.slot);
    return reply.type('application/json; charset=utf-8').send(toJson(await slotPicture(market, history, slot)));
  });
}
