/**
 * One slot's market state in memory: its rollups (reserves as of the slot), the accepted bids
 * or tickets, and the accepted allocations in order. It builds the slot's instance (what
 * anyone can solve offline) and its winner-determination instance, and values allocations
 * with the verifier. The store holds the same inputs; {@link SlotBook} is rebuilt from it.
 */
import { createInstance } from '../model/instance.js';
import type { Instance } from '../model/types.js';
import { burnOf } from '../mechanism/payouts.js';
import { bundleKey } from '../mechanism/draw.js';
import type { Round, RoundRollup } from '../mechanism/types.js';
import { checkAllocation, type CheckResult } from '../verify/check.js';
import { allocationCommitment } from '../verify/commitment.js';
import type { NodeConfig } from './config.js';
import type { StoredAllocation, StoredBid } from './store.js';

/** An accepted bid with its amount parsed. */
export interface BookBid extends StoredBid {
  readonly value: bigint;
}

/** The best accepted allocation of a slot. */
export interface Incumbent {
  readonly winners: readonly string[];
  readonly value: bigint;
  readonly digest: string;
  readonly by: string;
  /** Position in the accepted list (ties keep the earlier). */
  readonly index: number;
}

/** A slot's bids, tickets and accepted allocations. */
export class SlotBook {
  /** By `signer/nonce`. */
  readonly byKey = new Map<string, BookBid>();
  readonly byId = new Map<string, BookBid>();
  readonly perSigner = new Map<string, number>();
  readonly allocations: StoredAllocation[] = [];
  beacon: { value: string; signature: string } | undefined;
  /** Bumped on every added bid. */
  version = 0;
  /** Upper bound from the node's solver, valid for `boundVersion`. */
  bound: { value: bigint; version: number } | undefined;
  private cache: { version: number; instance: Instance; wdp: Instance; incumbent: Incumbent | null } | undefined;

  constructor(readonly slot: number, readonly rollups: readonly RoundRollup[], private readonly config: NodeConfig) {}

  /** Adds an accepted bid (already checked). */
  add(bid: StoredBid): BookBid {
    const entry: BookBid = { ...bid, value: BigInt(bid.amount) };
    this.byKey.set(`${bid.signer}/${bid.nonce}`, entry);
    this.byId.set(bid.id, entry);
    this.perSigner.set(bid.signer, (this.perSigner.get(bid.signer) ?? 0) + 1);
    this.version++;
    return entry;
  }

  /** Removes a bid whose commit failed. */
  remove(bid: StoredBid): void {
    this.byKey.delete(`${bid.signer}/${bid.nonce}`);
    this.byId.delete(bid.id);
    this.perSigner.set(bid.signer, (this.perSigner.get(bid.signer) ?? 1) - 1);
    this.version++;
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The slot's instance (DESIGN.md §2) in auction mode: bid ids are the EIP-712 digests,
   * bidders the addresses, exclusive groups `bidder/exclusive`.
   */
  instance(): Instance {
    return this.cached().instance;
  }

  /**
   * What winner determination and challenges run on: the instance in auction mode; in lottery
   * mode one bid per distinct bundle (id = its canonical key, `["op-1","zk-2"]`), worth its
   * tickets' total net of the burn.
   */
  wdpInstance(): Instance {
    return this.cached().wdp;
  }

  /** The lottery round of the slot (lottery mode). */
  round(): Round {
    const lottery = this.config.lottery;
    if (lottery === undefined) throw new Error('round() in auction mode');
    return {
      rollups: this.rollups,
      tickets: [...this.byId.values()].map((b) => ({ id: b.id, holder: b.signer, bundle: b.bundle, amount: b.value })),
      price: lottery.price,
      cap: lottery.cap,
      burnBps: this.config.burnBps,
      payoutRule: this.config.payoutRule,
      ...(lottery.pricing === undefined ? {} : { pricing: lottery.pricing }),
    };
  }

  /** Checks an allocation (winner ids of the WDP instance) exactly. */
  check(winners: readonly string[]): CheckResult {
    return checkAllocation(this.wdpInstance(), { winners });
  }

  /** Value of the empty allocation: every rollup keeps its reserve. */
  baseValue(): bigint {
    return this.rollups.reduce((s, r) => s + r.reserve, 0n);
  }

  /** The best accepted allocation on the current inputs (ties keep the earlier), or null. */
  incumbent(): Incumbent | null {
    return this.cached().incumbent;
  }

  /**
   * Records an accepted allocation (already found strictly better), in the store's order (`seq`):
   * with several nodes another node's may sit before it. One already held (same seq) is ignored.
   */
  accept(allocation: StoredAllocation): void {
    const seq = allocation.seq;
    if (seq !== undefined && this.allocations.some((a) => a.seq === seq)) return;
    let at = this.allocations.length;
    if (seq !== undefined) while (at > 0 && ((this.allocations[at - 1] as StoredAllocation).seq ?? -1) > seq) at--;
    this.allocations.splice(at, 0, allocation);
    if (this.cache !== undefined) this.cache = { ...this.cache, incumbent: this.best(this.cache.wdp) };
  }

  private cached(): { instance: Instance; wdp: Instance; incumbent: Incumbent | null } {
    if (this.cache?.version === this.version) return this.cache;
    const bids = [...this.byId.values()];
    const rollups = this.rollups.map((r) => ({ id: r.id, reserve: r.reserve }));
    const instance = createInstance({
      rollups,
      bids: bids.map((b) => ({ id: b.id, bidder: b.signer, bundle: b.bundle, amount: b.value, ...(b.exclusive === '' ? {} : { exclusive: `${b.signer}/${b.exclusive}` }) })),
    });
    let wdp = instance;
    if (this.config.mode === 'lottery') {
      const totals = new Map<string, { bundle: readonly string[]; total: bigint }>();
      for (const b of bids) {
        const key = bundleKey(b.bundle);
        const t = totals.get(key);
        totals.set(key, { bundle: b.bundle, total: (t?.total ?? 0n) + b.value });
      }
      wdp = createInstance({
        rollups,
        bids: [...totals.entries()].map(([key, t]) => ({ id: key, bidder: key, bundle: t.bundle, amount: t.total - burnOf(t.total, this.config.burnBps) })),
      });
    }
    this.cache = { version: this.version, instance, wdp, incumbent: this.best(wdp) };
    return this.cache;
  }

  private best(wdp: Instance): Incumbent | null {
    let best: Incumbent | null = null;
    this.allocations.forEach((a, index) => {
      const c = checkAllocation(wdp, { winners: a.winners });
      if (c.valid && (best === null || c.value > best.value)) {
        best = { winners: a.winners, value: c.value, digest: allocationCommitment(wdp, { winners: a.winners }).digest, by: a.submitter, index };
      }
    });
    return best;
  }
}
