/**
 * The slot clock (DESIGN.md §7): slot s starts at T(s) = genesisMs + s·slotMs; its auction is
 * pending until T(s) − leadMs, open until T(s) − closeMs, in its challenge window until
 * T(s) − finalMs, then final. Time comes from an injectable {@link Clock}.
 */
import { readFileSync } from 'node:fs';

/** A source of wall-clock time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to (tests, replays). */
export class ManualClock implements Clock {
  private t: number;

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  /** Sets the time (ms since the epoch). */
  set(ms: number): void {
    this.t = ms;
  }

  /** Moves the time forward by `ms`. */
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * A clock read from a file holding a millisecond timestamp (re-read on every call): lets a test
 * drive the time of a node running as a child process (`BUNDLE_AUCTION_CLOCK_FILE`). Falls back
 * to the last value read while the file is being rewritten.
 */
export class FileClock implements Clock {
  private last: number;

  constructor(private readonly path: string) {
    this.last = this.read() ?? Date.now();
  }

  now(): number {
    const v = this.read();
    if (v !== undefined) this.last = v;
    return this.last;
  }

  private read(): number | undefined {
    try {
      const v = Number(readFileSync(this.path, 'utf8').trim());
      return Number.isFinite(v) && v > 0 ? v : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Phase of a slot's auction. */
export type SlotPhase = 'pending' | 'open' | 'challenge' | 'final';

/** The slot timing parameters of a market (all in milliseconds). */
export interface SlotTiming {
  readonly genesisMs: number;
  readonly slotMs: number;
  readonly leadMs: number;
  readonly closeMs: number;
  readonly finalMs: number;
}

/** When a slot's phases begin. */
export interface SlotTimes {
  /** T(s): the slot itself starts. */
  readonly startsAt: number;
  /** T(s) − leadMs: bids are accepted from here. */
  readonly opensAt: number;
  /** T(s) − closeMs: no new bids; the challenge window begins. */
  readonly closesAt: number;
  /** T(s) − finalMs: the result is fixed. */
  readonly finalAt: number;
}

/** The times of slot `slot`. */
export function slotTimes(t: SlotTiming, slot: number): SlotTimes {
  const startsAt = t.genesisMs + slot * t.slotMs;
  return { startsAt, opensAt: startsAt - t.leadMs, closesAt: startsAt - t.closeMs, finalAt: startsAt - t.finalMs };
}

/** The phase of `slot` at time `now`. */
export function slotPhase(t: SlotTiming, slot: number, now: number): SlotPhase {
  const s = slotTimes(t, slot);
  if (now < s.opensAt) return 'pending';
  if (now < s.closesAt) return 'open';
  if (now < s.finalAt) return 'challenge';
  return 'final';
}

/** The highest slot that is final at `now` (−1 when none), i.e. the largest s with finalAt(s) ≤ now. */
export function lastFinalSlot(t: SlotTiming, now: number): number {
  return Math.floor((now + t.finalMs - t.genesisMs) / t.slotMs);
}

/** The highest slot that is open or later than pending at `now`: the largest s with opensAt(s) ≤ now. */
export function lastOpenedSlot(t: SlotTiming, now: number): number {
  return Math.floor((now + t.leadMs - t.genesisMs) / t.slotMs);
}
