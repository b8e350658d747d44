/**
 * Time sharing between `auto`'s local search (this thread) and its MIP (a worker thread).
 *
 * On a machine with a core for each busy thread, the two never compete and the MIP runs free.
 * When they share cores (measured: the process gets less CPU than its busy threads ask for),
 * the MIP runs on a duty cycle whose share follows which side has been paying: it grows while
 * the MIP finds packings above the search's best or closes the gap, and shrinks while the
 * search improves and the MIP does not. When the search has finished, the MIP gets the machine.
 * A MIP that sleeps gives its time to the search; for the MIP to get more than half, the
 * search (in this thread) must sleep too: above a share of ½, the last part of the MIP's
 * window is its own, and the search waits in {@link MipGovernor.pauseSearch} at its checkpoints
 * (measured on rollup-market 300 × 6,000 at share 0.9: without it, both threads awake on one
 * core left the MIP about half of it, and `auto` proved seed 11 in 12 s only without a search).
 *
 * The two sides talk through one SharedArrayBuffer. This thread writes the search's best and
 * a proven bound (no messages: the search may hold the event loop for
 * long stretches). The worker reads them from inside HiGHS's callbacks, where it decides
 * and, when its share is used up, sleeps with `Atomics.wait`.
 */
import { cpuUsage } from 'node:process';

/** Float slots of the shared buffer. */
const SEARCH_BEST = 0; // the search's best gain (exact gain units, as a float)
const SEARCH_DONE = 1; // 1 once the search has returned
const SHARE = 2; // the MIP's current share (written by the worker, for diagnostics and tests)
const MIP_PRIMAL = 3; // the MIP's best and bound, in gain units (written by the worker)
const MIP_DUAL = 4;
const CONTENDED = 5; // 1 contended, 0 free, NaN not yet measured
const CORES = 6; // the process's CPU per wall second, smoothed over awake windows
const BOUND = 7; // the best proven bound this thread knows (gain units; e.g. Lagrangian)
const PAUSE_UNTIL = 8; // absolute ms until which the search sleeps (0: never), written by the worker
const MAIN_WANTED = 9; // 1 when a MIP solve has returned: its next step needs this thread
const SLOTS = 10; // then two Int32: the worker sleeps on the first, the search on the second

/** Duty-cycle period (ms), and the MIP's share bounds and start. */
export const GOVERNOR_PERIOD_MS = 500;
export const GOVERNOR_MIN_SHARE = 0.1;
export const GOVERNOR_MAX_SHARE = 0.9;
export const GOVERNOR_START_SHARE = 0.5;
/** How often (ms) the share is re-decided. */
export const GOVERNOR_EPOCH_MS = 1000;
/**
 * Progress of at least this fraction of the gap in an epoch counts as paying: for the MIP a
 * bound move, for the search an improvement (small steps of a search near its plateau do not
 * starve a MIP on its way to a proof; measured on rollup-market 300 × 6,000, where the MIP finds
 * the optimum the search misses).
 */
export const GOVERNOR_GAP_PROGRESS = 0.05;
/** Shortest awake window (ms) over which contention is measured. */
const SAMPLE_MS = 200;
/** Shortest window (ms) sampled when the shared part of a period ends (above a share of ½). */
const SAMPLE_MIN_MS = 40;
/** The process counts as contended below (busy threads − this) cores of CPU. */
const CONTENTION_SLACK = 0.5;
/** Weight of the newest sample in the smoothed CPU rate. */
const CORES_SMOOTHING = 0.3;

/** Absolute time in ms, comparable across threads. */
function absoluteNow(): number {
  return performance.timeOrigin + performance.now();
}

/** This thread's side: tells the worker what the search is doing. */
export class MipGovernor {
  /** The buffer the worker receives with its task. */
  readonly buffer: SharedArrayBuffer;
  private readonly f: Float64Array;
  private readonly wake: Int32Array;

  /** `searchThreads`: threads the search keeps busy besides the MIP's (this one, or its pool). */
  constructor(readonly searchThreads: number) {
    this.buffer = new SharedArrayBuffer(SLOTS * 8 + 8);
    this.f = new Float64Array(this.buffer, 0, SLOTS);
    this.wake = new Int32Array(this.buffer, SLOTS * 8, 2);
    this.f[PAUSE_UNTIL] = 0;
    this.f[SEARCH_BEST] = -Infinity;
    this.f[SHARE] = GOVERNOR_START_SHARE;
    this.f[MIP_PRIMAL] = -Infinity;
    this.f[MIP_DUAL] = Infinity;
    this.f[CONTENDED] = Number.NaN;
    this.f[CORES] = Number.NaN;
    this.f[BOUND] = Infinity;
  }

  /** A proven upper bound on the gain (kept when tighter): the yardstick of progress. */
  bounded(gain: bigint): void {
    this.f[BOUND] = Math.min(this.f[BOUND] as number, Number(gain));
  }

  /** The search found a packing of this gain. */
  searchImproved(gain: bigint): void {
    const g = Number(gain);
    if (g > (this.f[SEARCH_BEST] as number)) this.f[SEARCH_BEST] = g;
  }

  /**
   * Called by the search at its checkpoints: while the MIP's window is its own (see the module
   * comment), sleeps until it ends or the worker wakes it. True (with `yieldToMip`) when a MIP
   * solve has returned since the last call: the search should end its current step, so that this
   * thread (the MIP side's next round, its LP for the search) is not kept waiting for seconds.
   * Cheap when there is nothing to do.
   */
  pauseSearch(yieldToMip = true): boolean {
    if (yieldToMip && this.f[MAIN_WANTED] === 1) {
      this.f[MAIN_WANTED] = 0;
      return true;
    }
    if (!((this.f[PAUSE_UNTIL] as number) > 0)) return false;
    // The counter first: a release after this load makes the wait return at once.
    const seen = Atomics.load(this.wake, 1);
    const wait = (this.f[PAUSE_UNTIL] as number) - absoluteNow();
    if (wait > 0) Atomics.wait(this.wake, 1, seen, Math.min(wait, GOVERNOR_PERIOD_MS));
    return false;
  }

  /** The search has returned: the MIP may have every core (wakes it if it sleeps). */
  searchDone(): void {
    this.f[SEARCH_DONE] = 1;
    Atomics.add(this.wake, 0, 1);
    Atomics.notify(this.wake, 0);
  }

  /**
   * What the worker last reported: its share, its best and bound (gain units), whether it found
   * contention, the smoothed CPU rate, and until when (absolute ms, 0: not) the search is to pause.
   */
  snapshot(): { share: number; mipPrimal: number; mipDual: number; contended: boolean | null; cores: number; pauseUntil: number } {
    const c = this.f[CONTENDED] as number;
    return {
      share: this.f[SHARE] as number, mipPrimal: this.f[MIP_PRIMAL] as number, mipDual: this.f[MIP_DUAL] as number,
      contended: Number.isNaN(c) ? null : c === 1, cores: this.f[CORES] as number, pauseUntil: this.f[PAUSE_UNTIL] as number,
    };
  }
}

/** The worker's solve returned: its result waits for the search's thread (see {@link MipGovernor.pauseSearch}). */
export function wantMainThread(buffer: SharedArrayBuffer): void {
  new Float64Array(buffer, 0, SLOTS)[MAIN_WANTED] = 1;
}

/** Ends a pause of the search (the MIP's window is over, or its solve returned). */
export function releaseSearch(buffer: SharedArrayBuffer): void {
  const f = new Float64Array(buffer, 0, SLOTS);
  if (f[PAUSE_UNTIL] === 0) return;
  f[PAUSE_UNTIL] = 0;
  const wake = new Int32Array(buffer, SLOTS * 8, 2);
  Atomics.add(wake, 1, 1);
  Atomics.notify(wake, 1);
}

/** The worker's pacing state between callbacks. */
interface PaceState {
  share: number;
  lastEpoch: number;
  /** The MIP's bound and the search's best at the start of the epoch, and when the MIP's best last improved. */
  epochDual: number;
  epochSearch: number;
  primalAt: number;
}

/**
 * The policy: the MIP's new share after an epoch. `mipPaid`: it found a packing above the
 * search's best, or moved its bound by {@link GOVERNOR_GAP_PROGRESS} of the gap; `searchPaid`:
 * the search improved by as much. The side that pays keeps or gains time; when neither does, nothing changes.
 */
export function nextShare(share: number, mipPaid: boolean, searchPaid: boolean): number {
  if (mipPaid && !searchPaid) return Math.min(GOVERNOR_MAX_SHARE, share + 0.2);
  if (mipPaid) return Math.max(share, GOVERNOR_START_SHARE);
  if (searchPaid) return Math.max(GOVERNOR_MIN_SHARE, share * 0.6);
  return share;
}

/** What the pacer reads and does besides the buffer (injected in tests). */
export interface PacerClock {
  /** Absolute time (ms). */
  now(): number;
  /** CPU time (ms) the process has used. */
  cpuMs(): number;
  /** Blocks for up to `ms`, or until `wake[0]` changes from `seen`. */
  sleep(wake: Int32Array, seen: number, ms: number): void;
}

/** The real clock: wall time, `process.cpuUsage`, `Atomics.wait`. */
export const REAL_CLOCK: PacerClock = {
  now: absoluteNow,
  cpuMs: () => {
    const u = cpuUsage();
    return (u.user + u.system) / 1000;
  },
  sleep: (wake, seen, ms) => { Atomics.wait(wake, 0, seen, ms); },
};

/**
 * The worker's side: `pace(primal, dual)` is called from the MIP's callbacks with its objective
 * values in model units (`unit` converts to gain units). It may block the thread (sleep) and
 * returns when the MIP may go on. `deadline` is absolute (ms).
 */
export function workerPacer(buffer: SharedArrayBuffer, searchThreads: number, unit: number, deadline: number, clock: PacerClock = REAL_CLOCK): (primal: number | null, dual: number | null) => void {
  const f = new Float64Array(buffer, 0, SLOTS);
  const wake = new Int32Array(buffer, SLOTS * 8, 2);
  const busy = searchThreads + 1;
  const start = clock.now();
  const state: PaceState = { share: f[SHARE] as number, lastEpoch: start, epochDual: Infinity, epochSearch: f[SEARCH_BEST] as number, primalAt: -Infinity };
  let cycleStart = start;
  let sampleAt = start;
  let sampleCpu = clock.cpuMs();
  // Contention is sampled only while both sides are awake (not in the MIP's own part).
  const sample = (now: number, minMs: number): void => {
    if (now - sampleAt < minMs) return;
    const cpu = clock.cpuMs();
    const cores = (cpu - sampleCpu) / (now - sampleAt);
    const smoothed = Number.isNaN(f[CORES] as number) ? cores : CORES_SMOOTHING * cores + (1 - CORES_SMOOTHING) * (f[CORES] as number);
    f[CORES] = smoothed;
    f[CONTENDED] = smoothed < busy - CONTENTION_SLACK ? 1 : 0;
    sampleAt = now;
    sampleCpu = cpu;
  };
  return (primal, dual) => {
    const now = clock.now();
    if (primal !== null && primal * unit > (f[MIP_PRIMAL] as number)) {
      f[MIP_PRIMAL] = primal * unit;
      state.primalAt = now;
    }
    if (dual !== null) f[MIP_DUAL] = Math.min(f[MIP_DUAL] as number, dual * unit);
    if (f[SEARCH_DONE] === 1) return;
    const paused = (f[PAUSE_UNTIL] as number) > 0;
    if (!paused) sample(now, SAMPLE_MS);
    if (now - state.lastEpoch >= GOVERNOR_EPOCH_MS) epoch(f, state, now);
    if (f[CONTENDED] !== 1) {
      releaseSearch(buffer);
      return;
    }
    const window = state.share * GOVERNOR_PERIOD_MS;
    if (now - cycleStart < window) {
      // Above half, the window's last (2·share − 1) periods are the MIP's own: the search
      // (one thread of it, in-thread) pauses. With a pool, its workers cannot be paused.
      if (!paused && searchThreads === 1 && state.share > 0.5 && now - cycleStart >= GOVERNOR_PERIOD_MS - window) {
        sample(now, SAMPLE_MIN_MS);
        f[PAUSE_UNTIL] = cycleStart + window;
      }
      return;
    }
    // Share used up: the search gets the machine for the rest of the period (woken early when it finishes).
    releaseSearch(buffer);
    const sleep = Math.min((1 - state.share) * GOVERNOR_PERIOD_MS, deadline - now);
    if (sleep > 0) clock.sleep(wake, Atomics.load(wake, 0), sleep);
    cycleStart = clock.now();
    sampleAt = cycleStart;
    sampleCpu = clock.cpuMs();
  };
}

/** Re-decides the share at the end of an epoch (see {@link nextShare}). */
function epoch(f: Float64Array, state: PaceState, now: number): void {
  const searchBest = f[SEARCH_BEST] as number;
  const primal = f[MIP_PRIMAL] as number;
  const dual = f[MIP_DUAL] as number;
  const best = Math.max(primal, searchBest);
  const gap = Math.min(state.epochDual, f[BOUND] as number) - best;
  const boundMoved = Number.isFinite(state.epochDual) && Number.isFinite(dual) && gap > 0 && state.epochDual - dual >= GOVERNOR_GAP_PROGRESS * gap;
  const foundBetter = state.primalAt > state.lastEpoch && primal > searchBest;
  // Without a finite gap any improvement counts.
  const searchStep = searchBest - state.epochSearch;
  const searchPaid = searchStep > 0 && (!(gap > 0 && Number.isFinite(gap)) || searchStep >= GOVERNOR_GAP_PROGRESS * (gap + searchStep));
  state.share = nextShare(state.share, foundBetter || boundMoved, searchPaid);
  f[SHARE] = state.share;
  state.lastEpoch = now;
  state.epochDual = dual;
  state.epochSearch = searchBest;
}
