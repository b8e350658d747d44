/**
 * The market: slot after slot, per the slot clock. Accepts signed bids or tickets while a slot
 * is open, signed reserve updates for pending slots, challenges and the operator's beacon in
 * the challenge window; runs its own solver from the moment a slot opens; finalises each slot
 * when its window closes (winners, payments, refunds, payouts, burn, proposers, digests, signed
 * by the node's key). Checks run cheapest first (phase, cap, signature, market rules); every
 * accepted input is committed to the store before the call resolves; on start the market
 * rebuilds its unfinished slots from the store.
 */
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { canonicalJson, sha256Hex } from '../model/digest.js';
import { compareIds } from '../model/order.js';
import type { Instance } from '../model/types.js';
import { settleAuction } from '../mechanism/auction.js';
import { bundleKey } from '../mechanism/draw.js';
import { settleLottery } from '../mechanism/lottery.js';
import type { RoundResult, RoundRollup } from '../mechanism/types.js';
import { allocationCommitment } from '../verify/commitment.js';
import { lastFinalSlot, lastOpenedSlot, slotPhase, slotTimes, systemClock, type Clock, type SlotPhase } from './clock.js';
import type { Address, NodeConfig } from './config.js';
import { marketDomain, typedData, typedDigest, type MarketDomain } from './eip712.js';
import { NodeError } from './errors.js';
import { recoverSigner } from './recover.js';
import { slotPayments } from './slot-payments.js';
import { MarketEvents } from './events.js';
import { SlotBook } from './slot-book.js';
import type { NodeSolver } from './solver-pool.js';
import type { MarketStore, SlotInputs, StoreChange, StoredAllocation, StoredBid, StoredResult, StoredUpdate } from './store.js';

/** A signed bid or ticket, after the request schema. */
export interface BidInput {
  readonly kind: 'bid' | 'ticket';
  readonly slot: number;
  readonly bundle: readonly string[];
  readonly amount: bigint;
  /** `""` when none; always `""` for tickets. */
  readonly exclusive: string;
  readonly nonce: bigint;
  /** The bidder or holder the body names. */
  readonly signer: Address;
  readonly signature: Hex;
}

/** A signed reserve/opt-in update, after the request schema. */
export interface UpdateInput {
  readonly rollup: string;
  readonly fromSlot: number;
  readonly reserve: bigint;
  readonly optIn: boolean;
  readonly nonce: bigint;
  readonly signature: Hex;
}

/** The verdict on a challenge. */
export interface ChallengeVerdict {
  readonly accepted: boolean;
  readonly reason: string;
  readonly value: bigint;
  readonly incumbentValue: bigint;
}

/** A slot's public state. */
export interface SlotState {
  readonly slot: number;
  readonly phase: SlotPhase;
  readonly opensAt: number;
  readonly closesAt: number;
  readonly finalAt: number;
  readonly bids: number;
  readonly incumbent: { readonly value: bigint; readonly bound: bigint | null; readonly digest: string; readonly by: string } | null;
}

/** Observers of the market (metrics, logs). All optional. */
export interface MarketObservers {
  readonly accepted?: (kind: 'bid' | 'ticket' | 'update' | 'challenge' | 'beacon' | 'allocation', slot: number, detail: Record<string, unknown>) => void;
  readonly incumbent?: (slot: number, value: bigint, by: string) => void;
  readonly finalised?: (slot: number, digest: string, msAfterFinalAt: number) => void;
  readonly solverError?: (slot: number, message: string) => void;
}

/** Options of {@link Market.open}; all optional. */
export interface MarketOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** The node's own solver; null runs none. Default: none (the server passes a worker). */
  readonly solver?: NodeSolver | null;
  /** Start solves on its own as bids arrive and windows close. Default true (tests drive `solveSlot`). */
  readonly autoSolve?: boolean;
  /** Longest single solve while a slot is open (s); in the challenge window solves run to its end. Default 2. */
  readonly maxSolveSec?: number;
  /** Period of the phase ticker (ms); 0 runs no timer (tests call `tick`). Default 50. */
  readonly tickMs?: number;
  readonly events?: MarketObservers;
  /** Where the live events (`GET /v1/events`) are published. Default: a new publisher. */
  readonly publisher?: MarketEvents;
}

/** Accepted-bid events of one slot are coalesced to at most one per this many ms. */
export const BID_EVENT_MS = 100;

/** At most this many phase events per transition kind when the clock jumps far. */
const MAX_PHASE_EVENTS = 16;

/** Store metadata keys. */
const META = { market: 'market', chainId: 'chainId', mode: 'mode', firstSlot: 'firstSlot' } as const;

/** How many finalised slots' books stay in memory (for their instance endpoint). */
const KEEP_FINAL_BOOKS = 32;

/** The market of one config over one store. */
export class Market {
  readonly domain: MarketDomain;
  private readonly clock: Clock;
  private readonly account: PrivateKeyAccount;
  private readonly books = new Map<number, SlotBook>();
  private readonly finalBooks = new Map<number, SlotBook>();
  private readonly updates: ParsedUpdate[] = [];
  private readonly lastNonce = new Map<string, bigint>();
  private readonly solved = new Map<number, SolveRecord>();
  private nextFinal: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private solving = false;
  private closed = false;
  /** Stops the store's change feed (several nodes on one database). */
  private unsubscribe: (() => void) | undefined;
  /** Changes from other nodes, applied one batch after another. */
  private refreshing: Promise<void> = Promise.resolve();
  /** Clock time up to which phase changes have been published. */
  private observedAt: number;
  /** Per slot: when its last `bid` event went out (real ms), and a pending coalesced one. */
  private readonly bidEvents = new Map<number, { at: number; timer: NodeJS.Timeout | undefined }>();
  /** Live events of this market (`GET /v1/events`). */
  readonly events: MarketEvents;

  private constructor(readonly config: NodeConfig, readonly store: MarketStore, private readonly options: MarketOptions, readonly firstSlot: number) {
    this.domain = marketDomain(config.market, config.chainId);
    this.clock = options.clock ?? systemClock;
    this.account = privateKeyToAccount(config.nodeKey);
    this.nextFinal = firstSlot;
    this.events = options.publisher ?? new MarketEvents();
    this.observedAt = this.clock.now();
  }

  /**
   * Opens the market on a store: checks the store belongs to this market (name, chain id,
   * mode), rebuilds reserve updates and every unfinished slot, and starts the ticker.
   */
  static async open(config: NodeConfig, store: MarketStore, options: MarketOptions = {}): Promise<Market> {
    const clock = options.clock ?? systemClock;
    // initMeta: the first node to open a shared store sets these; the others must agree.
    for (const [key, value] of [[META.market, config.market], [META.chainId, String(config.chainId)], [META.mode, config.mode]] as const) {
      const stored = await store.initMeta(key, value);
      if (stored !== value) throw new NodeError(400, 'bad_request', `the store belongs to another market: its ${key} is ${JSON.stringify(stored)}, the config says ${JSON.stringify(value)}`, key);
    }
    const first = await store.initMeta(META.firstSlot, String(Math.max(0, lastFinalSlot(config, clock.now()) + 1)));
    const market = new Market(config, store, options, Number(first));
    // Subscribe before the rebuild: a change committed in between is then applied (idempotently) too.
    market.unsubscribe = store.subscribe?.((changes) => market.onChanges(changes), () => market.onChanges(null));
    await market.restore();
    const tickMs = options.tickMs ?? 50;
    if (tickMs > 0) {
      market.timer = setInterval(() => void market.tick(), tickMs);
      market.timer.unref();
    }
    return market;
  }

  /** The node's address (signs results). */
  get address(): Address {
    return this.account.address.toLowerCase() as Address;
  }

  private async restore(): Promise<void> {
    for (const u of await this.store.updates()) this.applyUpdate({ ...u, reserve: BigInt(u.reserve), nonce: BigInt(u.nonce) });
    const last = await this.store.lastResultSlot();
    if (last !== undefined && last + 1 > this.nextFinal) this.nextFinal = last + 1;
    const open = await this.store.loadUnfinished(this.firstSlot);
    for (const b of open.bids) this.book(b.slot).add(b);
    for (const a of open.allocations) this.book(a.slot).accept(a);
    for (const b of open.beacons) this.book(b.slot).beacon = { value: b.value, signature: b.signature };
  }

  /** The time, and the range of slots whose auctions are open now. */
  now(): { now: number; open: { from: number; to: number } } {
    const now = this.clock.now();
    const t = this.config;
    // Slot s is open for T(s) − leadMs ≤ now < T(s) − closeMs.
    return { now, open: { from: Math.floor((now + t.closeMs - t.genesisMs) / t.slotMs) + 1, to: lastOpenedSlot(t, now) } };
  }

  /** Phase and times of a slot now. */
  phase(slot: number): { phase: SlotPhase; opensAt: number; closesAt: number; finalAt: number } {
    const t = slotTimes(this.config, slot);
    return { phase: slotPhase(this.config, slot, this.clock.now()), opensAt: t.opensAt, closesAt: t.closesAt, finalAt: t.finalAt };
  }

  /** Submits a signed bid (auction mode) or ticket (lottery mode). Resolves once committed. */
  async submitBid(input: BidInput): Promise<{ created: boolean; id: string; slot: number; signer: Address }> {
    const what = input.kind === 'bid' ? 'bid' : 'ticket';
    if ((this.config.mode === 'auction') !== (input.kind === 'bid')) {
      throw new NodeError(409, 'wrong_phase', `this market runs in ${this.config.mode} mode: submit ${this.config.mode === 'auction' ? 'bids to POST /v1/bids' : 'tickets to POST /v1/tickets'}`, null);
    }
    this.requirePhase(input.slot, ['open'], `${what}.slot`, `${what}s`);
    const book = this.book(input.slot);
    const key = `${input.signer}/${input.nonce}`;
    const existing = book.byKey.get(key);
    const who = input.kind === 'bid' ? 'bidder' : 'holder';
    if (existing === undefined && (book.perSigner.get(input.signer) ?? 0) >= this.config.maxBidsPerBidderPerSlot) {
      throw new NodeError(429, 'over_cap', `${who} ${input.signer} already has ${this.config.maxBidsPerBidderPerSlot} ${what}s in slot ${input.slot} (maxBidsPerBidderPerSlot)`, who);
    }
    const id = input.kind === 'bid'
      ? typedDigest(this.domain, 'Bid', { slot: BigInt(input.slot), bundle: input.bundle, amount: input.amount, exclusive: input.exclusive, nonce: input.nonce })
      : typedDigest(this.domain, 'Ticket', { slot: BigInt(input.slot), bundle: input.bundle, amount: input.amount, nonce: input.nonce });
    const recovered = recoverSigner(id, input.signature);
    if (recovered !== input.signer) {
      throw new NodeError(401, 'bad_signature', recovered === null
        ? 'signature recovers no key'
        : `signature recovers ${recovered}, not the ${who} ${input.signer} (a changed field, another market or chain id, or another key)`, 'signature');
    }
    const nonceUsed = (other: string): NodeError => new NodeError(409, 'nonce_used', `${who} ${input.signer} already used nonce ${input.nonce} in slot ${input.slot} for another ${what} (${other})`, `${what}.nonce`);
    if (existing !== undefined) {
      if (existing.id !== id) throw nonceUsed(existing.id);
      return { created: false, id, slot: input.slot, signer: input.signer };
    }
    const offered = new Set(book.rollups.map((r) => r.id));
    input.bundle.forEach((m, j) => {
      if (!offered.has(m)) {
        const known = this.config.rollups.some((r) => r.id === m);
        throw new NodeError(404, 'not_found', known ? `rollup ${JSON.stringify(m)} is not offered in slot ${input.slot} (opted out)` : `unknown rollup ${JSON.stringify(m)}`, `${what}.bundle[${j}]`);
      }
    });
    const lottery = this.config.lottery;
    if (lottery !== undefined) {
      const minimum = lottery.price * BigInt(input.bundle.length);
      if (input.amount < minimum) throw new NodeError(400, 'bad_amount', `ticket.amount must be at least price × |bundle| = ${lottery.price} × ${input.bundle.length} = ${minimum} (received ${input.amount})`, 'ticket.amount');
      if (book.size >= lottery.cap) throw new NodeError(429, 'over_cap', `slot ${input.slot} has sold its ${lottery.cap} tickets (lottery.cap)`, null);
    }
    const idTaken = (): NodeError => new NodeError(409, 'nonce_used', `another ${who} already submitted a ${what} with the same content and id ${id}: change the nonce`, `${what}.nonce`);
    if (book.byId.has(id)) throw idTaken();
    const stored: StoredBid = {
      slot: input.slot, kind: input.kind, signer: input.signer, nonce: input.nonce.toString(), id,
      bundle: input.bundle, amount: input.amount.toString(), exclusive: input.exclusive, signature: input.signature.toLowerCase(),
    };
    // The store is the authority (several nodes may share it): key, id, caps and finality are
    // checked again inside the insert's transaction; the book takes the bid once committed.
    const outcome = await this.store.addBid(stored, { perSigner: this.config.maxBidsPerBidderPerSlot, ...(lottery === undefined ? {} : { perSlot: lottery.cap }) });
    switch (outcome.status) {
      case 'added':
        break;
      case 'duplicate':
        if (outcome.id !== id) throw nonceUsed(outcome.id);
        return { created: false, id, slot: input.slot, signer: input.signer };
      case 'id_taken':
        throw idTaken();
      case 'over_cap':
        throw new NodeError(429, 'over_cap', `${who} ${input.signer} already has ${this.config.maxBidsPerBidderPerSlot} ${what}s in slot ${input.slot} (maxBidsPerBidderPerSlot)`, who);
      case 'slot_full':
        throw new NodeError(429, 'over_cap', `slot ${input.slot} has sold its ${lottery?.cap ?? 0} tickets (lottery.cap)`, null);
      case 'final':
        throw new NodeError(409, 'wrong_phase', `slot ${input.slot} already has its result: ${what}s are not accepted`, `${what}.slot`);
    }
    if (!book.byId.has(id)) book.add(stored);
    this.options.events?.accepted?.(input.kind, input.slot, { id, [who]: input.signer });
    this.publishBids(input.slot);
    this.kickSolver();
    return { created: true, id, slot: input.slot, signer: input.signer };
  }

  /** Applies a signed reserve/opt-in update of a rollup (from a pending slot on). */
  async updateReserve(rollupId: string, input: UpdateInput): Promise<{ rollup: string; fromSlot: number; nonce: string }> {
    if (input.rollup !== rollupId) throw new NodeError(400, 'bad_request', `update.rollup ${JSON.stringify(input.rollup)} differs from the path's rollup ${JSON.stringify(rollupId)}`, 'update.rollup');
    const rollup = this.config.rollups.find((r) => r.id === rollupId);
    if (rollup === undefined) throw new NodeError(404, 'not_found', `unknown rollup ${JSON.stringify(rollupId)}`, 'update.rollup');
    this.requirePhase(input.fromSlot, ['pending'], 'update.fromSlot', 'reserve updates');
    const digest = typedDigest(this.domain, 'ReserveUpdate', { rollup: input.rollup, fromSlot: BigInt(input.fromSlot), reserve: input.reserve, optIn: input.optIn, nonce: input.nonce });
    const recovered = recoverSigner(digest, input.signature);
    if (recovered === null) throw new NodeError(401, 'bad_signature', 'signature recovers no key', 'signature');
    if (recovered !== rollup.signer) throw new NodeError(403, 'forbidden', `signature recovers ${recovered}, not rollup ${JSON.stringify(rollupId)}'s registered signer ${rollup.signer}`, 'signature');
    const stale = (last: bigint | string): NodeError => new NodeError(409, 'nonce_used', `update.nonce must be above rollup ${JSON.stringify(rollupId)}'s last nonce ${last} (received ${input.nonce})`, 'update.nonce');
    const last = this.lastNonce.get(rollupId);
    if (last !== undefined && input.nonce <= last) throw stale(last);
    const update = { rollup: input.rollup, fromSlot: input.fromSlot, reserve: input.reserve, optIn: input.optIn, nonce: input.nonce };
    const outcome = await this.store.addUpdate({ ...update, reserve: update.reserve.toString(), nonce: update.nonce.toString(), signature: input.signature.toLowerCase() });
    if (outcome.status === 'stale') throw stale(outcome.last);
    this.applyUpdate(update);
    this.options.events?.accepted?.('update', input.fromSlot, { rollup: rollupId, reserve: input.reserve.toString(), optIn: input.optIn });
    return { rollup: rollupId, fromSlot: input.fromSlot, nonce: input.nonce.toString() };
  }

  private applyUpdate(u: ParsedUpdate): void {
    if (this.updates.some((x) => x.rollup === u.rollup && x.nonce === u.nonce)) return;
    this.updates.push(u);
    const last = this.lastNonce.get(u.rollup);
    if (last === undefined || u.nonce > last) this.lastNonce.set(u.rollup, u.nonce);
  }

  /** The rollups offered in `slot` (opted in), with their reserves then, canonical order. */
  rollupsAt(slot: number): RoundRollup[] {
    return rollupsFrom(this.config, this.updates, slot);
  }

  /**
   * A challenge in the challenge window: accepted when valid and strictly better than the
   * incumbent (ties keep the earlier). In lottery mode winners are ticket ids, each naming its
   * bundle. @throws {NodeError} 400 for winners naming unknown or conflicting bids.
   */
  async challenge(slot: number, winners: readonly string[], submitter: string): Promise<ChallengeVerdict> {
    this.requirePhase(slot, ['challenge'], 'slot', 'challenges');
    const book = this.book(slot);
    let named = winners;
    if (this.config.mode === 'lottery') {
      named = winners.map((id, i) => {
        const t = book.byId.get(id);
        if (t === undefined) throw new NodeError(400, 'bad_request', `winners[${i}]: ${JSON.stringify(id)} names no ticket of slot ${slot}`, `winners[${i}]`);
        return bundleKey(t.bundle);
      });
    }
    const check = book.check(named);
    if (!check.valid) {
      const m = /^winners\[(\d+)\]/.exec(check.reason);
      throw new NodeError(400, 'bad_request', `challenge rejected: ${check.reason}`, m === null ? 'winners' : `winners[${m[1]}]`);
    }
    return this.offer(book, named, submitter);
  }

  /** The challenge rule, for outside challengers and the node's solver alike. */
  private async offer(book: SlotBook, winners: readonly string[], submitter: string): Promise<ChallengeVerdict> {
    const check = book.check(winners);
    const incumbent = book.incumbent();
    const incumbentValue = incumbent?.value ?? book.baseValue();
    if (!check.valid) return { accepted: false, reason: `invalid: ${check.reason}`, value: 0n, incumbentValue };
    if (check.value <= incumbentValue) {
      return { accepted: false, reason: check.value === incumbentValue ? 'tie: the incumbent stays (ties keep the earlier)' : 'lower than the incumbent', value: check.value, incumbentValue };
    }
    const record: StoredAllocation = { slot: book.slot, submitter, winners: [...winners], value: check.value.toString() };
    const added = await this.store.addAllocation(record);
    if (added.status === 'final') return { accepted: false, reason: `slot ${book.slot} already has its result`, value: check.value, incumbentValue };
    if (added.status === 'not_better') {
      // Another node accepted one at least as good that this node had not heard of yet.
      await this.learnAllocations(book);
      const best = BigInt(added.best);
      return { accepted: false, reason: best === check.value ? 'tie: the incumbent stays (ties keep the earlier)' : 'lower than the incumbent', value: check.value, incumbentValue: best };
    }
    const seq = added.seq;
    book.accept({ ...record, seq });
    this.options.events?.accepted?.('allocation', book.slot, { by: submitter, value: check.value.toString() });
    this.options.events?.incumbent?.(book.slot, check.value, submitter);
    this.publishIncumbent(book);
    return { accepted: true, reason: `valid and strictly better than the incumbent (${incumbentValue})`, value: check.value, incumbentValue };
  }

  /** The operator's signed beacon for a slot whose bids have closed. */
  async postBeacon(slot: number, value: Hex, signature: Hex): Promise<{ created: boolean }> {
    if (this.config.mode !== 'lottery') throw new NodeError(400, 'bad_request', 'this market runs in auction mode: there is no draw, hence no beacon', null);
    this.requirePhase(slot, ['challenge'], 'slot', 'beacons');
    const recovered = recoverSigner(typedDigest(this.domain, 'Beacon', { slot: BigInt(slot), value }), signature);
    if (recovered === null) throw new NodeError(401, 'bad_signature', 'signature recovers no key', 'signature');
    if (recovered !== this.config.operator) throw new NodeError(403, 'forbidden', `signature recovers ${recovered}, not the operator ${this.config.operator}`, 'signature');
    const book = this.book(slot);
    const v = value.toLowerCase();
    if (book.beacon !== undefined) {
      if (book.beacon.value === v) return { created: false };
      throw new NodeError(409, 'nonce_used', `slot ${slot} already has a beacon (${book.beacon.value})`, 'value');
    }
    const outcome = await this.store.addBeacon({ slot, value: v, signature: signature.toLowerCase() });
    if (outcome.status === 'final') throw new NodeError(409, 'wrong_phase', `slot ${slot} already has its result: beacons are not accepted`, 'slot');
    if (outcome.status === 'exists') {
      book.beacon = { value: outcome.value, signature: (await this.store.beacon(slot))?.signature ?? '' };
      if (outcome.value === v) return { created: false };
      throw new NodeError(409, 'nonce_used', `slot ${slot} already has a beacon (${outcome.value})`, 'value');
    }
    book.beacon = { value: v, signature: signature.toLowerCase() };
    this.options.events?.accepted?.('beacon', slot, { value: v });
    return { created: true };
  }

  /** A slot's public state. */
  async slotState(slot: number): Promise<SlotState> {
    this.requireKnown(slot);
    const p = this.phase(slot);
    if (p.phase === 'final') {
      const r = await this.resultObject(slot);
      return { slot, ...p, bids: r['bids'] as number, incumbent: r['by'] === null ? null : { value: BigInt(r['value'] as string), bound: null, digest: r['allocationDigest'] as string, by: r['by'] as string } };
    }
    const book = this.books.get(slot);
    const inc = book?.incumbent() ?? null;
    const bound = book?.bound !== undefined && book.bound.version === book.version ? book.bound.value : null;
    return { slot, ...p, bids: book?.size ?? 0, incumbent: inc === null ? null : { value: inc.value, bound, digest: inc.digest, by: inc.by } };
  }

  /**
   * The incumbent's winning bids of an unfinished slot (winner-determination bids: in lottery
   * mode one per bundle, id = its key), or null when it has none. Read-only (the dashboard).
   */
  incumbentBids(slot: number): readonly { readonly id: string; readonly bidder: string; readonly bundle: readonly string[]; readonly amount: bigint }[] | null {
    const book = this.books.get(slot);
    const inc = book?.incumbent() ?? null;
    if (book === undefined || inc === null) return null;
    const byId = new Map(book.wdpInstance().bids.map((b) => [b.id, b] as const));
    return inc.winners.flatMap((id) => byId.get(id) ?? []);
  }

  /** The slot's instance (auction) or round (lottery) as JSON-ready data (amounts as bigint). */
  async instanceOf(slot: number): Promise<{ mode: 'auction'; instance: Instance } | { mode: 'lottery'; round: ReturnType<SlotBook['round']> }> {
    this.requireKnown(slot);
    const book = this.books.get(slot) ?? this.finalBooks.get(slot) ?? (await this.rebuildFinalBook(slot));
    return this.config.mode === 'auction' ? { mode: 'auction', instance: book.instance() } : { mode: 'lottery', round: book.round() };
  }

  private async rebuildFinalBook(slot: number): Promise<SlotBook> {
    const book = new SlotBook(slot, this.rollupsAt(slot), this.config);
    if (this.phase(slot).phase === 'final') for (const b of await this.store.slotBids(slot)) book.add(b);
    return book;
  }

  /** The published result JSON of a final slot. @throws {NodeError} 409 until final. */
  async result(slot: number): Promise<string> {
    this.requireKnown(slot);
    const p = this.phase(slot);
    if (p.phase !== 'final') throw new NodeError(409, 'not_final', `slot ${slot} is ${p.phase}: its result is fixed at ${p.finalAt} (${new Date(p.finalAt).toISOString()})`, 'slot');
    return (await this.finalised(slot)).body;
  }

  /** The parsed result of a final slot. */
  async resultObject(slot: number): Promise<Record<string, unknown>> {
    return JSON.parse(await this.result(slot)) as Record<string, unknown>;
  }

  /** Proposers and digests of the final slots in [from, to] (at most 1000 slots). */
  async schedule(from: number, to: number): Promise<{ slot: number; proposers: unknown; digest: string }[]> {
    if (to < from) throw new NodeError(400, 'bad_request', `to (${to}) must not be below from (${from})`, 'to');
    if (to - from > 1000) throw new NodeError(400, 'bad_request', `at most 1000 slots per request (received ${to - from + 1})`, 'to');
    const last = Math.min(to, lastFinalSlot(this.config, this.clock.now()));
    const start = Math.max(from, this.firstSlot);
    if (last >= start) await this.finaliseThrough(last);
    return (await this.store.results(start, last)).map((r) => {
      const body = JSON.parse(r.body) as Record<string, unknown>;
      return { slot: r.slot, proposers: body['proposers'], digest: r.digest };
    });
  }

  /** Moves the phases on: finalises every slot whose window has closed, and feeds the solver. */
  tick(): Promise<void> {
    if (this.ticking !== undefined) return this.ticking;
    this.ticking = (async () => {
      try {
        this.publishPhases();
        await this.finaliseThrough(lastFinalSlot(this.config, this.clock.now()));
        this.kickSolver();
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  private finalising: Promise<void> = Promise.resolve();

  /** Finalises, in slot order, every slot up to `slot` (serialised). */
  private finaliseThrough(slot: number): Promise<void> {
    const run = this.finalising.then(async () => {
      while (this.nextFinal <= slot && !this.closed) {
        await this.finalise(this.nextFinal);
        this.nextFinal++;
      }
    });
    this.finalising = run.catch(() => undefined);
    return run;
  }

  private async finalised(slot: number): Promise<{ body: string; digest: string }> {
    await this.finaliseThrough(slot);
    const stored = await this.store.result(slot);
    if (stored === undefined) throw new NodeError(404, 'not_found', `slot ${slot} has no result`, 'slot');
    return stored;
  }

  /**
   * Finalises a slot: the best accepted allocation (ties keep the earlier; none: every rollup
   * keeps its reserve), settled by the auction or the lottery (seed: the operator's beacon, or
   * the fallback from the slot's inputs), committed to by `digest` = sha256 of the canonical
   * result and signed as EIP-712 `Result(slot, digest)` by the node's key. Stored once.
   */
  private async finalise(slot: number): Promise<void> {
    const existing = await this.store.result(slot);
    if (existing !== undefined) {
      this.retire(slot);
      this.publishFinal(existing);
      return;
    }
    // The result is computed from the slot's stored inputs (not this node's memory), inside the
    // store's exclusion: whichever node finalises, from the same store, publishes the same digest.
    let rebuilt: SlotBook | undefined;
    const { result, stored } = await this.store.finaliseSlot(slot, async (inputs) => {
      rebuilt = this.bookFrom(inputs);
      return this.settle(slot, rebuilt);
    });
    if (rebuilt !== undefined) this.books.set(slot, rebuilt);
    this.retire(slot);
    if (stored) this.options.events?.finalised?.(slot, result.digest, this.clock.now() - slotTimes(this.config, slot).finalAt);
    this.publishFinal(result);
  }

  /** The `final` event of a stored result (this node's, or another node's it learnt from the store). */
  private publishFinal(result: StoredResult): void {
    const value = (JSON.parse(result.body) as { value?: unknown }).value;
    this.events.publish('final', { slot: result.slot, digest: result.digest, value: String(value), at: this.clock.now() });
  }

  /** The `incumbent` event of a slot's current incumbent (after an allocation accepted here or learnt from the store). */
  private publishIncumbent(book: SlotBook): void {
    const inc = book.incumbent();
    if (inc === null) return;
    const bound = book.bound !== undefined && book.bound.version === book.version ? book.bound.value.toString() : null;
    this.events.publish('incumbent', { slot: book.slot, value: inc.value.toString(), bound, digest: inc.digest, by: inc.by, seq: inc.index, at: this.clock.now() });
  }

  /** A slot's book built from its stored inputs alone. */
  private bookFrom(inputs: SlotInputs): SlotBook {
    const book = new SlotBook(inputs.slot, rollupsFrom(this.config, inputs.updates.map(parseUpdate), inputs.slot), this.config);
    for (const b of inputs.bids) book.add(b);
    for (const a of inputs.allocations) book.accept(a);
    if (inputs.beacon !== undefined) book.beacon = { value: inputs.beacon.value, signature: inputs.beacon.signature };
    return book;
  }

  /** The signed result of a slot from its book. */
  private async settle(slot: number, book: SlotBook): Promise<StoredResult> {
    const incumbent = book.incumbent();
    const winners = incumbent?.winners ?? [];
    const wdp = book.wdpInstance();
    let round: Omit<RoundResult, 'status'>;
    let seed: string | null = null;
    let seedSource: 'beacon' | 'fallback' | null = null;
    if (this.config.mode === 'auction') {
      const index = new Map(wdp.bids.map((b, i) => [b.id, i]));
      const { burnBps, payoutRule, paymentRule } = this.config;
      const paid = await slotPayments(wdp, winners, paymentRule);
      round = settleAuction(wdp, winners.map((id) => index.get(id) as number), { burnBps, payoutRule, paymentRule }, paid);
    } else {
      seedSource = book.beacon === undefined ? 'fallback' : 'beacon';
      seed = book.beacon?.value.replace(/^0x/, '') ?? fallbackSeed(this.config, slot, [...book.byId.keys()]);
      round = settleLottery(book.round(), winners, seed);
    }
    const proposerOf = new Map<string, string>();
    for (const w of round.winners) for (const r of w.bundle) proposerOf.set(r, w.proposerHolder);
    const body = {
      slot,
      mode: this.config.mode,
      bids: book.size,
      winners: round.winners.map((w) => w.proposer),
      bundles: round.winners.map((w) => ({ bundle: w.bundle, tickets: w.tickets, paid: w.paid, drawn: w.proposer, proposer: w.proposerHolder })),
      value: incumbent?.value ?? book.baseValue(),
      by: incumbent?.by ?? null,
      allocationDigest: allocationCommitment(wdp, { winners }).digest,
      roundDigest: round.digest,
      proposers: [...this.config.rollups].map((r) => r.id).sort(compareIds).map((rollup) => ({ rollup, proposer: proposerOf.get(rollup) ?? rollup })),
      payouts: round.payouts.map((p) => ({ rollup: p.rollup, amount: p.amount })),
      refunds: round.refunds.map((r) => ({ ticket: r.ticket, amount: r.amount })),
      burned: round.burned,
      ...(this.config.mode === 'lottery' ? { nextPrice: round.nextPrice } : {}),
      ...(this.config.paymentRule === 'pay-as-bid' ? {} : { paymentRule: this.config.paymentRule }),
      seed,
      seedSource,
    };
    const digest = sha256Hex(canonicalJson(body));
    const signature = await this.account.signTypedData(typedData(this.domain, 'Result', { slot: BigInt(slot), digest: `0x${digest}` }));
    const json = JSON.stringify({ ...body, digest, signature, signer: this.address }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return { slot, digest, body: json };
  }

  /**
   * Applies changes other nodes committed to a shared store (null: some may have been missed,
   * reload every unfinished slot). Bids and allocations join the books in the store's order;
   * the slot's result stays a function of the store alone (see {@link finalise}).
   */
  private onChanges(changes: readonly StoreChange[] | null): void {
    this.refreshing = this.refreshing.then(() => this.applyChanges(changes)).catch((error: unknown) => {
      this.options.events?.solverError?.(-1, `applying other nodes' changes: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async applyChanges(changes: readonly StoreChange[] | null): Promise<void> {
    if (this.closed) return;
    const live = (slot: number): boolean => slot >= this.nextFinal && slot >= this.firstSlot;
    if (changes === null) {
      await this.reloadUpdates();
      const open = await this.store.loadUnfinished(Math.max(this.firstSlot, this.nextFinal));
      for (const b of open.bids) this.learnBid(b);
      for (const a of open.allocations) if (live(a.slot)) this.book(a.slot).accept(a);
      for (const b of open.beacons) if (live(b.slot)) this.book(b.slot).beacon ??= { value: b.value, signature: b.signature };
      this.kickSolver();
      void this.tick();
      return;
    }
    if (changes.some((c) => c.kind === 'update')) await this.reloadUpdates();
    const bidSeqs = changes.filter((c) => c.kind === 'bid' && live(c.slot) && c.seq !== null).map((c) => c.seq as number);
    for (const b of await this.store.bidsBySeq(bidSeqs)) this.learnBid(b);
    for (const slot of new Set(changes.filter((c) => c.kind === 'allocation' && live(c.slot)).map((c) => c.slot))) await this.learnAllocations(this.book(slot));
    for (const slot of new Set(changes.filter((c) => c.kind === 'beacon' && live(c.slot)).map((c) => c.slot))) {
      const b = await this.store.beacon(slot);
      if (b !== undefined) this.book(slot).beacon ??= { value: b.value, signature: b.signature };
    }
    if (bidSeqs.length > 0) this.kickSolver();
    if (changes.some((c) => c.kind === 'result')) void this.tick();
  }

  /** Adds the slot's stored allocations (other nodes' too) to its book; publishes a new incumbent. */
  private async learnAllocations(book: SlotBook): Promise<void> {
    const before = book.incumbent()?.digest;
    for (const a of await this.store.slotAllocations(book.slot)) book.accept(a);
    const after = book.incumbent();
    if (after !== null && after.digest !== before) {
      this.options.events?.incumbent?.(book.slot, after.value, after.by);
      this.publishIncumbent(book);
    }
  }

  /** Adds a bid another node accepted to its slot's book (unless held or the slot is done). */
  private learnBid(b: StoredBid): void {
    if (b.slot < this.nextFinal || b.slot < this.firstSlot) return;
    const book = this.book(b.slot);
    if (book.byId.has(b.id)) return;
    book.add(b);
    this.publishBids(b.slot);
  }

  /** Reloads reserve updates; a book whose reserves they change is rebuilt from the store. */
  private async reloadUpdates(): Promise<void> {
    const updates = await this.store.updates();
    for (const u of updates) this.applyUpdate(parseUpdate(u));
    for (const [slot, book] of this.books) {
      if (JSON.stringify(this.rollupsAt(slot), bigintJson) === JSON.stringify(book.rollups, bigintJson)) continue;
      const [bids, allocations, beacon] = await Promise.all([this.store.slotBids(slot), this.store.slotAllocations(slot), this.store.beacon(slot)]);
      this.books.set(slot, this.bookFrom({ slot, bids, allocations, beacon, updates }));
    }
  }

  private retire(slot: number): void {
    const book = this.books.get(slot);
    if (this.bidEvents.get(slot)?.timer === undefined) this.bidEvents.delete(slot);
    this.books.delete(slot);
    this.solved.delete(slot);
    if (book === undefined) return;
    this.finalBooks.set(slot, book);
    for (const s of this.finalBooks.keys()) {
      if (this.finalBooks.size <= KEEP_FINAL_BOOKS) break;
      this.finalBooks.delete(s);
    }
  }

  /** Starts the solver loop unless it runs (or auto-solving is off). */
  private kickSolver(): void {
    if (this.options.autoSolve === false || this.solving || this.closed || (this.options.solver ?? null) === null) return;
    this.solving = true;
    void (async () => {
      try {
        for (let slot = this.pickSlot(); slot !== undefined && !this.closed; slot = this.pickSlot()) await this.solveSlot(slot);
      } finally {
        this.solving = false;
      }
    })();
  }

  /**
   * The unfinished slot nearest to its end that is due a solve: never solved; or its window
   * closed since its last run (one more run on the frozen inputs, unless proven optimal); or,
   * while open, its inputs changed and either they grew by {@link RESOLVE_GROWTH} or
   * {@link RESOLVE_AFTER_MS} passed — so a large slot taking many bids is not rebuilt and
   * re-sent to the worker for every few of them.
   */
  private pickSlot(): number | undefined {
    let pick: number | undefined;
    const now = this.clock.now();
    for (const [slot, book] of this.books) {
      const phase = this.phase(slot).phase;
      if ((phase !== 'open' && phase !== 'challenge') || book.size === 0) continue;
      const s = this.solved.get(slot);
      if (s !== undefined && !dueSolve(s, book, phase, now)) continue;
      if (pick === undefined || slot < pick) pick = slot;
    }
    return pick;
  }

  /**
   * Runs the node's solver once on a slot (`auto`, starting from the incumbent) and offers its
   * allocation through the challenge rule as submitter `"node"`. While the slot is open a run
   * lasts at most `maxSolveSec`; in the challenge window it may use the window.
   */
  async solveSlot(slot: number): Promise<ChallengeVerdict | null> {
    const solver = this.options.solver ?? null;
    const book = this.books.get(slot);
    if (solver === null || book === undefined) return null;
    const p = this.phase(slot);
    const now = this.clock.now();
    const version = book.version;
    const size = book.size;
    const seconds = p.phase === 'open' ? Math.min(this.options.maxSolveSec ?? 2, Math.max(0.2, (p.closesAt - now) / 1000)) : (p.finalAt - now - 300) / 1000;
    if ((p.phase !== 'open' && p.phase !== 'challenge') || seconds < 0.05) {
      this.solved.set(slot, { version, size: book.size, phase: p.phase, endedAt: now, optimal: true });
      return null;
    }
    const wdp = book.wdpInstance();
    const answer = await solver.solve({
      instance: {
        rollups: wdp.rollups.map((r) => ({ id: r.id, reserve: r.reserve.toString() })),
        bids: wdp.bids.map((b) => ({ id: b.id, bidder: b.bidder, bundle: b.bundle, amount: b.amount.toString(), ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }) })),
      },
      timeLimitSec: seconds,
      incumbent: book.incumbent()?.winners ?? [],
    });
    if (!answer.ok) {
      // A job cut short by the node closing is not a solver failure.
      if (!this.closed) this.options.events?.solverError?.(slot, answer.error);
      this.solved.set(slot, { version, size: book.size, phase: p.phase, endedAt: this.clock.now(), optimal: true });
      return null;
    }
    const phase = this.phase(slot).phase;
    if ((phase !== 'open' && phase !== 'challenge') || this.books.get(slot) !== book) return null;
    if (answer.bound !== null) book.bound = { value: BigInt(answer.bound), version };
    const verdict = await this.offer(book, answer.winners, 'node');
    this.solved.set(slot, { version, size, phase: p.phase, endedAt: this.clock.now(), optimal: answer.status === 'optimal' });
    return verdict;
  }

  /** Stops the ticker and the solver, waits for finalisation in progress, closes the store. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.refreshing;
    for (const b of this.bidEvents.values()) if (b.timer !== undefined) clearTimeout(b.timer);
    this.bidEvents.clear();
    await this.finalising;
    this.closed = true;
    await this.options.solver?.close();
    await this.store.close();
  }

  /**
   * Publishes the phase changes between the last observation and now (slot order within a
   * kind; at most {@link MAX_PHASE_EVENTS} per kind when the clock jumps; none backwards).
   */
  private publishPhases(): void {
    const now = this.clock.now();
    const from = this.observedAt;
    this.observedAt = Math.max(from, now);
    if (!(now > from)) return;
    const t = this.config;
    const kinds = [['open', t.leadMs], ['challenge', t.closeMs], ['final', t.finalMs]] as const;
    for (const [phase, offset] of kinds) {
      // Slot s enters `phase` at genesisMs + s·slotMs − offset: those in (from, now].
      const last = Math.floor((now + offset - t.genesisMs) / t.slotMs);
      const first = Math.max(this.firstSlot, Math.floor((from + offset - t.genesisMs) / t.slotMs) + 1, last - MAX_PHASE_EVENTS + 1);
      for (let slot = first; slot <= last; slot++) this.events.publish('phase', { slot, phase, at: now });
    }
  }

  /** Publishes a slot's bid count now, or once {@link BID_EVENT_MS} after the last one. */
  private publishBids(slot: number): void {
    const state = this.bidEvents.get(slot) ?? { at: -Infinity, timer: undefined };
    this.bidEvents.set(slot, state);
    if (state.timer !== undefined) return;
    const send = (): void => {
      state.timer = undefined;
      state.at = Date.now();
      const book = this.books.get(slot) ?? this.finalBooks.get(slot);
      this.events.publish('bid', { slot, bids: book?.size ?? 0, at: this.clock.now() });
      if (book === undefined || !this.books.has(slot)) this.bidEvents.delete(slot);
    };
    const wait = state.at + BID_EVENT_MS - Date.now();
    if (wait <= 0) send();
    else {
      state.timer = setTimeout(send, wait);
      state.timer.unref();
    }
  }

  private book(slot: number): SlotBook {
    let book = this.books.get(slot);
    if (book === undefined) {
      book = new SlotBook(slot, this.rollupsAt(slot), this.config);
      this.books.set(slot, book);
    }
    return book;
  }

  private requireKnown(slot: number): void {
    if (slot < this.firstSlot) throw new NodeError(404, 'not_found', `slot ${slot} is before this node's first slot ${this.firstSlot}`, 'slot');
  }

  private requirePhase(slot: number, allowed: readonly SlotPhase[], field: string, what: string): void {
    if (slot < this.firstSlot) throw new NodeError(409, 'wrong_phase', `slot ${slot} is before this node's first slot ${this.firstSlot}: ${what} are not accepted`, field);
    const p = this.phase(slot);
    if (allowed.includes(p.phase)) return;
    const at = (ms: number): string => `${ms} (${new Date(ms).toISOString()})`;
    throw new NodeError(409, 'wrong_phase', `slot ${slot} is ${p.phase}: ${what} are accepted only while it is ${allowed.join(' or ')}; it opens at ${at(p.opensAt)}, closes at ${at(p.closesAt)}, is final at ${at(p.finalAt)}`, field);
  }
}

/** A reserve update with its amounts parsed. */
interface ParsedUpdate { readonly rollup: string; readonly fromSlot: number; readonly reserve: bigint; readonly optIn: boolean; readonly nonce: bigint }

function parseUpdate(u: StoredUpdate): ParsedUpdate {
  return { rollup: u.rollup, fromSlot: u.fromSlot, reserve: BigInt(u.reserve), optIn: u.optIn, nonce: BigInt(u.nonce) };
}

/** The rollups offered in `slot` given the updates: per rollup the highest-nonce update from ≤ slot, else the config. */
function rollupsFrom(config: NodeConfig, updates: readonly ParsedUpdate[], slot: number): RoundRollup[] {
  const out: RoundRollup[] = [];
  for (const r of config.rollups) {
    let best: ParsedUpdate | undefined;
    for (const u of updates) if (u.rollup === r.id && u.fromSlot <= slot && (best === undefined || u.nonce > best.nonce)) best = u;
    const optIn = best?.optIn ?? r.optIn;
    if (optIn) out.push({ id: r.id, reserve: best?.reserve ?? r.reserve });
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

const bigintJson = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/** A slot's last solver run. */
interface SolveRecord {
  readonly version: number;
  /** Bids (WDP instance size) the run saw. */
  readonly size: number;
  readonly phase: SlotPhase;
  readonly endedAt: number;
  /** Proven optimal (or nothing left to do) for `version`. */
  readonly optimal: boolean;
}

/** While open, re-solve once the inputs grew by this factor ... */
const RESOLVE_GROWTH = 1.05;
/** ... or this long after the last run (ms), when they changed at all. */
const RESOLVE_AFTER_MS = 5000;

function dueSolve(s: SolveRecord, book: SlotBook, phase: SlotPhase, now: number): boolean {
  if (s.version === book.version) return !s.optimal && s.phase === 'open' && phase === 'challenge';
  if (phase === 'challenge') return true;
  return book.size >= s.size * RESOLVE_GROWTH || now - s.endedAt >= RESOLVE_AFTER_MS;
}

/**
 * The documented fallback seed when no beacon arrived in time: sha256 of the canonical JSON of
 * `{ rule, market, chainId, slot, tickets }` (tickets: the slot's ticket ids, sorted). Anyone
 * can recompute it; the result flags it with `seedSource: "fallback"`.
 */
export function fallbackSeed(config: Pick<NodeConfig, 'market' | 'chainId'>, slot: number, ticketIds: readonly string[]): string {
  return sha256Hex(canonicalJson({ rule: 'bundle-auction fallback seed v1', market: config.market, chainId: config.chainId, slot, tickets: [...ticketIds].sort() }));
}
