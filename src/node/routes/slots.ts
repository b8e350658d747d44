/** Slot routes: state, instance, challenges, beacon, result, schedule. */
import type { FastifyInstance } from 'fastify';
import type { Hex } from 'viem';
import { instanceToJson } from '../../formats/json.js';
import { NodeError } from '../errors.js';
import { toJson } from '../json.js';
import type { Market } from '../market.js';
import { BEACON_BODY, CHALLENGE_BODY, SCHEDULE_QUERY, SLOT_PARAMS } from '../schemas.js';

type SlotParams = { Params: { slot: string } };

/** Largest body of a challenge (a winners list of a 10,000-bid slot fits many times). */
export const CHALLENGE_BODY_LIMIT = 4 * 1024 * 1024;

function slotOf(text: string, field = 'slot'): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new NodeError(400, 'bad_request', `${field}: must be a non-negative safe integer (received ${JSON.stringify(text)})`, field);
  return n;
}

/** Registers the slot routes. */
export function slotRoutes(app: FastifyInstance, market: Market): void {
  const json = { 'content-type': 'application/json; charset=utf-8' };

  app.get<SlotParams>('/v1/slots/:slot', { schema: { params: SLOT_PARAMS } }, async (request, reply) => {
    const s = await market.slotState(slotOf(request.params.slot));
    return reply.headers(json).send(toJson(s));
  });

  app.get<SlotParams>('/v1/slots/:slot/instance', { schema: { params: SLOT_PARAMS } }, async (request, reply) => {
    const x = await market.instanceOf(slotOf(request.params.slot));
    if (x.mode === 'auction') return reply.headers(json).send(instanceToJson(x.instance));
    const r = x.round;
    return reply.headers(json).send(toJson({
      rollups: r.rollups.map((x) => ({ id: x.id, reserve: x.reserve })),
      tickets: [...r.tickets].sort((a, b) => (a.id < b.id ? -1 : 1)).map((t) => ({ id: t.id, holder: t.holder, bundle: t.bundle, amount: t.amount })),
      price: r.price, cap: r.cap, burnBps: r.burnBps, payoutRule: r.payoutRule, ...(r.pricing === undefined ? {} : { pricing: r.pricing }),
    }));
  });

  app.post<SlotParams & { Body: { winners: string[]; submitter?: string } }>('/v1/slots/:slot/challenges', {
    schema: { params: SLOT_PARAMS, body: CHALLENGE_BODY }, bodyLimit: CHALLENGE_BODY_LIMIT,
  }, async (request, reply) => {
    const v = await market.challenge(slotOf(request.params.slot), request.body.winners, request.body.submitter ?? 'anonymous');
    return reply.headers(json).send(toJson(v));
  });

  app.post<SlotParams & { Body: { value: string; signature: string } }>('/v1/slots/:slot/beacon', {
    schema: { params: SLOT_PARAMS, body: BEACON_BODY },
  }, async (request, reply) => {
    const slot = slotOf(request.params.slot);
    const r = await market.postBeacon(slot, request.body.value as Hex, request.body.signature as Hex);
    return reply.send({ slot, value: request.body.value.toLowerCase(), created: r.created });
  });

  app.get<SlotParams>('/v1/slots/:slot/result', { schema: { params: SLOT_PARAMS } }, async (request, reply) => {
    return reply.headers(json).send(await market.result(slotOf(request.params.slot)));
  });

  app.get<{ Querystring: { from: string; to: string } }>('/v1/schedule', { schema: { querystring: SCHEDULE_QUERY } }, async (request, reply) => {
    const slots = await market.schedule(slotOf(request.query.from, 'from'), slotOf(request.query.to, 'to'));
    return reply.headers(json).send(toJson({ slots }));
  });
}
