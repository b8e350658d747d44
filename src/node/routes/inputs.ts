/** Signed inputs: `POST /v1/bids`, `POST /v1/tickets`, `POST /v1/rollups/:id/reserve`. */
import type { FastifyInstance } from 'fastify';
import type { Hex } from 'viem';
import type { Address } from '../config.js';
import type { Market } from '../market.js';
import { BID_BODY, TICKET_BODY, UPDATE_BODY, uint256, uint64 } from '../schemas.js';

interface BidBody {
  bid: { slot: number; bundle: string[]; amount: string; exclusive?: string; nonce: number | string };
  bidder: string;
  signature: string;
}
interface TicketBody {
  ticket: { slot: number; bundle: string[]; amount: string; nonce: number | string };
  holder: string;
  signature: string;
}
interface UpdateBody {
  update: { rollup: string; fromSlot: number; reserve: string; optIn: boolean; nonce: number | string };
  signature: string;
}

/** Registers the signed-input routes. */
export function inputRoutes(app: FastifyInstance, market: Market): void {
  app.post<{ Body: BidBody }>('/v1/bids', { schema: { body: BID_BODY } }, async (request, reply) => {
    const { bid, bidder, signature } = request.body;
    const r = await market.submitBid({
      kind: 'bid', slot: bid.slot, bundle: bid.bundle, amount: uint256(bid.amount, 'bid.amount'), exclusive: bid.exclusive ?? '',
      nonce: uint64(bid.nonce, 'bid.nonce'), signer: bidder.toLowerCase() as Address, signature: signature as Hex,
    });
    request.inputId = r.id;
    return reply.code(r.created ? 201 : 200).send({ id: r.id, slot: r.slot, bidder: r.signer });
  });

  app.post<{ Body: TicketBody }>('/v1/tickets', { schema: { body: TICKET_BODY } }, async (request, reply) => {
    const { ticket, holder, signature } = request.body;
    const r = await market.submitBid({
      kind: 'ticket', slot: ticket.slot, bundle: ticket.bundle, amount: uint256(ticket.amount, 'ticket.amount'), exclusive: '',
      nonce: uint64(ticket.nonce, 'ticket.nonce'), signer: holder.toLowerCase() as Address, signature: signature as Hex,
    });
    request.inputId = r.id;
    return reply.code(r.created ? 201 : 200).send({ id: r.id, slot: r.slot, holder: r.signer });
  });

  app.post<{ Body: UpdateBody; Params: { id: string } }>('/v1/rollups/:id/reserve', {
    schema: { body: UPDATE_BODY, params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } },
  }, async (request, reply) => {
    const { update, signature } = request.body;
    const r = await market.updateReserve(request.params.id, {
      rollup: update.rollup, fromSlot: update.fromSlot, reserve: uint256(update.reserve, 'update.reserve'), optIn: update.optIn,
      nonce: uint64(update.nonce, 'update.nonce'), signature: signature as Hex,
    });
    return reply.code(200).send(r);
  });
}
