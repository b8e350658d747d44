/**
 * A typed client of the node's API: signs bids, tickets, reserve updates and beacons with a
 * viem account (EIP-712, the market's domain) and submits them; reads slots, instances and
 * results, and checks a result's digest and signature.
 */
import type { Hex } from 'viem';
import type { LocalAccount } from 'viem/accounts';
import { canonicalJson, sha256Hex } from '../model/digest.js';
import { BundleAuctionError } from '../model/errors.js';
import { marketDomain, typedData, typedDigest, type MarketDomain } from './eip712.js';
import { recoverSigner } from './recover.js';

/** How the client reaches the node: method, path (with query) and JSON body → status and text. */
export type Transport = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; text: string }>;

/** An HTTP transport over `fetch` to a base URL such as `http://127.0.0.1:8080`. */
export function httpTransport(baseUrl: string): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, text: await res.text() };
  };
}

/** A refusal by the node: its HTTP status and §7 error body. */
export class MarketClientError extends BundleAuctionError {
  override readonly name = 'MarketClientError';

  constructor(readonly status: number, readonly code: string, message: string, readonly field: string | null) {
    super(`node answered ${status} ${code}: ${message}`);
  }
}

/** A bid to sign (amounts and counters as bigint). */
export interface BidDraft {
  readonly slot: number;
  readonly bundle: readonly string[];
  readonly amount: bigint;
  readonly exclusive?: string;
  readonly nonce: bigint;
}

/** A ticket to sign. */
export type TicketDraft = Omit<BidDraft, 'exclusive'>;

/** A reserve/opt-in update to sign. */
export interface UpdateDraft {
  readonly rollup: string;
  readonly fromSlot: number;
  readonly reserve: bigint;
  readonly optIn: boolean;
  readonly nonce: bigint;
}

/** The client. */
export class MarketClient {
  readonly domain: MarketDomain;

  constructor(private readonly transport: Transport, readonly market: string, readonly chainId: number) {
    this.domain = marketDomain(market, chainId);
  }

  /** Connects to a node, reading its market name and chain id from `/healthz`. */
  static async connect(transport: Transport | string): Promise<MarketClient> {
    const t = typeof transport === 'string' ? httpTransport(transport) : transport;
    const h = await call<{ market: string; chainId: number }>(t, 'GET', '/healthz');
    return new MarketClient(t, h.market, h.chainId);
  }

  /** The signed request body of a bid. */
  async signBid(account: LocalAccount, bid: BidDraft): Promise<{ bid: Record<string, unknown>; bidder: string; signature: Hex }> {
    const exclusive = bid.exclusive ?? '';
    const signature = await account.signTypedData(typedData(this.domain, 'Bid', { slot: BigInt(bid.slot), bundle: bid.bundle, amount: bid.amount, exclusive, nonce: bid.nonce }));
    return {
      bid: { slot: bid.slot, bundle: bid.bundle, amount: bid.amount.toString(), ...(exclusive === '' ? {} : { exclusive }), nonce: bid.nonce.toString() },
      bidder: account.address.toLowerCase(), signature,
    };
  }

  /** The signed request body of a ticket. */
  async signTicket(account: LocalAccount, ticket: TicketDraft): Promise<{ ticket: Record<string, unknown>; holder: string; signature: Hex }> {
    const signature = await account.signTypedData(typedData(this.domain, 'Ticket', { slot: BigInt(ticket.slot), bundle: ticket.bundle, amount: ticket.amount, nonce: ticket.nonce }));
    return { ticket: { slot: ticket.slot, bundle: ticket.bundle, amount: ticket.amount.toString(), nonce: ticket.nonce.toString() }, holder: account.address.toLowerCase(), signature };
  }

  /** Signs and submits a bid; `created` is false when the node already had it (idempotent). */
  async submitBid(account: LocalAccount, bid: BidDraft): Promise<{ id: string; slot: number; bidder: string; created: boolean }> {
    return this.post('/v1/bids', await this.signBid(account, bid));
  }

  /** Signs and submits a ticket. */
  async submitTicket(account: LocalAccount, ticket: TicketDraft): Promise<{ id: string; slot: number; holder: string; created: boolean }> {
    return this.post('/v1/tickets', await this.signTicket(account, ticket));
  }

  /** Signs (with the rollup's registered key) and submits a reserve/opt-in update. */
  async updateReserve(account: LocalAccount, update: UpdateDraft): Promise<{ rollup: string; fromSlot: number; nonce: string }> {
    const signature = await account.signTypedData(typedData(this.domain, 'ReserveUpdate', { rollup: update.rollup, fromSlot: BigInt(update.fromSlot), reserve: update.reserve, optIn: update.optIn, nonce: update.nonce }));
    const body = { update: { rollup: update.rollup, fromSlot: update.fromSlot, reserve: update.reserve.toString(), optIn: update.optIn, nonce: update.nonce.toString() }, signature };
    return this.post(`/v1/rollups/${encodeURIComponent(update.rollup)}/reserve`, body);
  }

  /** Signs (with the operator's key) and posts a slot's beacon value (32 bytes hex). */
  async postBeacon(account: LocalAccount, slot: number, value: Hex): Promise<{ slot: number; value: string; created: boolean }> {
    const signature = await account.signTypedData(typedData(this.domain, 'Beacon', { slot: BigInt(slot), value }));
    return this.post(`/v1/slots/${slot}/beacon`, { value, signature });
  }

  /** Submits a challenge allocation. */
  challenge(slot: number, winners: readonly string[], submitter?: string): Promise<{ accepted: boolean; reason: string; value: string; incumbentValue: string }> {
    return this.post(`/v1/slots/${slot}/challenges`, { winners, ...(submitter === undefined ? {} : { submitter }) });
  }

  /** A slot's state. */
  slot(slot: number): Promise<{ slot: number; phase: string; opensAt: number; closesAt: number; finalAt: number; bids: number; incumbent: { value: string; bound: string | null; digest: string; by: string } | null }> {
    return call(this.transport, 'GET', `/v1/slots/${slot}`);
  }

  /** The slot's instance (auction) or round (lottery) JSON text, exactly as served. */
  async instanceText(slot: number): Promise<string> {
    const r = await this.transport('GET', `/v1/slots/${slot}/instance`);
    if (r.status >= 300) throw refusal(r.status, r.text);
    return r.text;
  }

  /** A final slot's result. */
  result(slot: number): Promise<Record<string, unknown>> {
    return call(this.transport, 'GET', `/v1/slots/${slot}/result`);
  }

  /** The proposer schedule of the final slots in [from, to]. */
  schedule(from: number, to: number): Promise<{ slots: { slot: number; proposers: { rollup: string; proposer: string }[]; digest: string }[] }> {
    return call(this.transport, 'GET', `/v1/schedule?from=${from}&to=${to}`);
  }

  /**
   * Checks a result: `digest` is the sha256 of the canonical JSON of the result without
   * `digest`, `signature` and `signer`, and `signature` (EIP-712 `Result(slot, digest)` in this
   * market's domain) recovers to `signer` (and to `expectedSigner` when given).
   */
  verifyResult(result: Record<string, unknown>, expectedSigner?: string): { ok: boolean; reason: string } {
    const { digest, signature, signer, ...body } = result;
    if (typeof digest !== 'string' || typeof signature !== 'string' || typeof signer !== 'string') return { ok: false, reason: 'missing digest, signature or signer' };
    const recomputed = sha256Hex(canonicalJson(body));
    if (recomputed !== digest) return { ok: false, reason: `digest ${digest} does not match the result (sha256 ${recomputed})` };
    const recovered = recoverSigner(typedDigest(this.domain, 'Result', { slot: BigInt(result['slot'] as number), digest: `0x${digest}` }), signature);
    if (recovered !== signer.toLowerCase()) return { ok: false, reason: `signature recovers ${recovered ?? 'no key'}, not ${signer}` };
    if (expectedSigner !== undefined && recovered !== expectedSigner.toLowerCase()) return { ok: false, reason: `signed by ${recovered}, expected ${expectedSigner}` };
    return { ok: true, reason: `digest matches; signed by ${recovered}` };
  }

  private async post<T>(path: string, body: unknown): Promise<T & { created: boolean }> {
    const r = await this.transport('POST', path, body);
    if (r.status >= 300) throw refusal(r.status, r.text);
    return { created: r.status === 201, ...(JSON.parse(r.text) as T) } as T & { created: boolean };
  }
}

async function call<T>(t: Transport, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const r = await t(method, path, body);
  if (r.status >= 300) throw refusal(r.status, r.text);
  return JSON.parse(r.text) as T;
}

function refusal(status: number, text: string): MarketClientError {
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string; field?: string | null } }).error;
    return new MarketClientError(status, e?.code ?? 'unknown', e?.message ?? text, e?.field ?? null);
  } catch {
    return new MarketClientError(status, 'unknown', text.slice(0, 200), null);
  }
}
