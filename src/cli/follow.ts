/**
 * `bundle-auction challenge --follow URL`: an outside solver that follows a node. For every slot
 * entering its challenge window (the node's `phase` events, `GET /v1/events`), it fetches the
 * instance, solves it within the window (`--method` and `--seed`, or a bench runner:
 * `command:…`, `module:…`, or a built-in name), and submits the allocation when strictly better
 * than the incumbent. It stops a solve early when an `incumbent` event reaches its upper bound
 * (nothing left to win). Auction mode only. One JSON line per slot on stdout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInstanceJson } from '../formats/json.js';
import { UsageError } from '../model/errors.js';
import type { Instance } from '../model/types.js';
import { MarketClient } from '../node/client.js';
import { followEvents } from '../node/event-stream.js';
import { solve, type SolveMethod } from '../solver/solve.js';
import { checkAllocation } from '../verify/check.js';
import type { BenchRunner } from '../bench/types.js';

/** Options of {@link follow}. */
export interface FollowOptions {
  /** The node's base URL. */
  readonly url: string;
  /** Local solve when no `runner`. */
  readonly method: SolveMethod;
  readonly seed: number;
  /** A bench runner instead of `method` (its `signal` is aborted on an early stop). */
  readonly runner?: BenchRunner;
  /** Label recorded with accepted challenges. */
  readonly submitter: string;
  /** Stop after this many slots (undefined: until the signal aborts). */
  readonly maxSlots?: number;
  /** Stop solving this long before the slot's `finalAt` (node clock, ms), to submit in time. */
  readonly marginMs: number;
  /** Longest single solve (s). Default: the window. */
  readonly maxSolveSec?: number;
  /** Stops following (SIGTERM): the stream closes and a running solve is aborted. */
  readonly signal: AbortSignal;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
  /** One report per slot (stdout). */
  readonly report: (report: SlotReport) => void;
}

/** What the follower did for one slot. */
export interface SlotReport {
  readonly slot: number;
  readonly submitted: boolean;
  readonly accepted: boolean;
  /** The local allocation's value (null: none). */
  readonly value: string | null;
  /** The incumbent's value when the follower decided. */
  readonly incumbentValue: string;
  /** The follower's upper bound on the slot's value. */
  readonly bound: string;
  /** Stopped because an incumbent reached the bound. */
  readonly stoppedEarly: boolean;
  readonly reason: string;
  readonly solveMs: number;
}

/**
 * An upper bound on any allocation's value, in time linear in the instance: each rollup earns at
 * most the larger of its reserve and the best per-rollup share `amount / |bundle|` of a bid
 * covering it (rounded up), since a winning bid's amount splits over its rollups.
 */
export function densityBound(instance: Instance): bigint {
  const best = new Map<string, bigint>(instance.rollups.map((r) => [r.id, r.reserve]));
  for (const b of instance.bids) {
    const k = BigInt(b.bundle.length);
    const share = (b.amount + k - 1n) / k;
    for (const r of b.bundle) if (share > (best.get(r) ?? 0n)) best.set(r, share);
  }
  let sum = 0n;
  for (const v of best.values()) sum += v;
  return sum;
}

/** Follows the node until `maxSlots` slots are done or the signal aborts. */
export async function follow(o: FollowOptions): Promise<{ slots: number; accepted: number }> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  const client = await MarketClient.connect(o.url);
  const jobs = new Map<number, Job>();
  const running = new Set<Promise<void>>();
  let started = 0;
  let accepted = 0;
  let done = 0;
  try {
    for await (const ev of followEvents(o.url, { signal: stop.signal, onDisconnect: (why) => o.log(`event stream lost (${why}); reconnecting`) })) {
      const slot = typeof ev.data['slot'] === 'number' ? ev.data['slot'] : undefined;
      if (ev.type === 'hello') {
        if (ev.data['mode'] !== 'auction') throw new UsageError(`--follow: the node at ${o.url} runs in ${String(ev.data['mode'])} mode; following supports auction mode`);
        o.log(`following ${o.url} (market ${String(ev.data['market'])}, slotMs ${String(ev.data['slotMs'])})`);
      } else if (ev.type === 'incumbent' && slot !== undefined) {
        jobs.get(slot)?.incumbent(BigInt(String(ev.data['value'])));
      } else if (ev.type === 'phase' && ev.data['phase'] === 'challenge' && slot !== undefined && !jobs.has(slot)) {
        if (o.maxSlots !== undefined && started >= o.maxSlots) continue;
        started++;
        const job = new Job(slot, Number(ev.data['at']), client, o, stop.signal);
        jobs.set(slot, job);
        const p = job.run().then((r) => {
          o.report(r);
          if (r.accepted) accepted++;
        }, (error: unknown) => {
          o.log(`slot ${slot}: ${error instanceof Error ? error.message : String(error)}`);
        }).finally(() => {
          jobs.delete(slot);
          running.delete(p);
          done++;
          if (o.maxSlots !== undefined && done >= o.maxSlots) stop.abort();
        });
        running.add(p);
      }
    }
    await Promise.all(running);
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    stop.abort();
  }
  return { slots: done, accepted };
}

/** One slot's solve, from the window's start to the submission. */
class Job {
  private best: bigint | undefined;
  private bound = 0n;
  private readonly abort = new AbortController();
  private stoppedEarly = false;
  /** Set once the solve is over: later incumbents (e.g. its own) no longer stop anything. */
  private solved = false;

  constructor(readonly slot: number, private readonly at: number, private readonly client: MarketClient, private readonly o: FollowOptions, stop: AbortSignal) {
    stop.addEventListener('abort', () => this.abort.abort(), { once: true });
  }

  /** An incumbent event: remember it, and stop when nothing is left to win. */
  incumbent(value: bigint): void {
    if (this.best === undefined || value > this.best) this.best = value;
    if (!this.solved && this.bound > 0n && value >= this.bound && !this.abort.signal.aborted) {
      this.stoppedEarly = true;
      this.abort.abort();
    }
  }

  async run(): Promise<SlotReport> {
    const t0 = Date.now();
    const state = await this.client.slot(this.slot);
    const instance = parseInstanceJson(await this.client.instanceText(this.slot), `slot ${this.slot} instance`);
    const base = instance.rollups.reduce((s, r) => s + r.reserve, 0n);
    this.incumbent(state.incumbent === null ? base : BigInt(state.incumbent.value));
    this.bound = densityBound(instance);
    // Node-clock time left: from the phase event's time, less what fetching took and the margin.
    const windowMs = state.finalAt - this.at - (Date.now() - t0) - this.o.marginMs;
    const report = (value: bigint | null, submitted: boolean, isAccepted: boolean, reason: string): SlotReport => ({
      slot: this.slot, submitted, accepted: isAccepted, value: value?.toString() ?? null, incumbentValue: (this.best ?? base).toString(),
      bound: this.bound.toString(), stoppedEarly: this.stoppedEarly, reason, solveMs: Date.now() - t0,
    });
    if ((this.best ?? base) >= this.bound) return report(null, false, false, `the incumbent ${this.best ?? base} already reaches the upper bound ${this.bound}`);
    if (windowMs <= 0) return report(null, false, false, `no time left in the window (finalAt ${state.finalAt})`);
    const seconds = Math.max(0.05, Math.min(windowMs / 1000, this.o.maxSolveSec ?? Infinity));
    this.o.log(`slot ${this.slot}: solving for ${seconds.toFixed(1)} s (${instance.bids.length} bids, incumbent ${this.best ?? base}, bound ${this.bound})`);
    const winners = await this.solve(instance, seconds);
    this.solved = true;
    if (this.stoppedEarly) return report(null, false, false, `stopped early: an incumbent reached the upper bound ${this.bound}`);
    if (winners === null) return report(null, false, false, 'the solver gave no allocation');
    const check = checkAllocation(instance, { winners });
    if (!check.valid) return report(null, false, false, `the solver's allocation is invalid: ${check.reason}`);
    const incumbent = this.best ?? base;
    if (check.value <= incumbent) return report(check.value, false, false, `local value ${check.value} is not above the incumbent ${incumbent}`);
    const verdict = await this.client.challenge(this.slot, winners, this.o.submitter);
    return { ...report(check.value, true, verdict.accepted, verdict.reason), incumbentValue: verdict.incumbentValue };
  }

  private async solve(instance: Instance, seconds: number): Promise<readonly string[] | null> {
    const signal = this.abort.signal;
    if (this.o.runner === undefined) {
      const r = await solve(instance, { method: this.o.method, seed: this.o.seed, timeLimit: seconds, signal });
      return r.winners;
    }
    const dir = mkdtempSync(join(tmpdir(), 'ba-follow-'));
    try {
      const instanceFile = join(dir, `slot-${this.slot}.json`);
      writeFileSync(instanceFile, JSON.stringify({
        rollups: instance.rollups.map((r) => ({ id: r.id, reserve: r.reserve.toString() })),
        bids: instance.bids.map((b) => ({ id: b.id, bidder: b.bidder, bundle: b.bundle, amount: b.amount.toString(), ...(b.exclusive === undefined ? {} : { exclusive: b.exclusive }) })),
      }));
      const answer = await this.o.runner.run({ instanceFile, instance, timeLimitSec: seconds, seed: this.o.seed, signal });
      return answer.status === 'none' ? null : answer.winners;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
