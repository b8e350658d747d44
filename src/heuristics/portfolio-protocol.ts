/**
 * Messages between the portfolio ({@link runPortfolio}) and its piscina workers. The market
 * index travels once as SharedArrayBuffers (no copy per task); a worker decodes it the first
 * time it sees a token and keeps it for later tasks.
 */
import type { PackingIndex } from './tabu.js';

/** The compiled index in shared memory. Gains are exact: comma-separated decimal text. */
export interface SharedIndex {
  readonly token: string;
  readonly nBids: number;
  readonly nRollups: number;
  readonly nGroups: number;
  readonly bundleStart: SharedArrayBuffer;
  readonly bundleItems: SharedArrayBuffer;
  readonly group: SharedArrayBuffer;
  readonly rollupBidStart: SharedArrayBuffer;
  readonly rollupBidItems: SharedArrayBuffer;
  readonly groupBidStart: SharedArrayBuffer;
  readonly groupBidItems: SharedArrayBuffer;
  readonly gains: SharedArrayBuffer;
  /** Bids the search may use. */
  readonly candidates: SharedArrayBuffer;
}

/** Failure injected by tests: the worker throws, exits its thread, or never returns. */
export type PortfolioFault = 'throw' | 'exit' | 'hang';

/** The searches of the portfolio. */
export type SearchKind = 'tabu' | 'lns';

/** One epoch of one worker: a search from `start` for at most `iterations` moves (LNS: steps). */
export interface PortfolioTask {
  readonly index: SharedIndex;
  readonly start: Int32Array;
  readonly kind: SearchKind;
  readonly seed: number;
  readonly sample: number;
  readonly iterations: number;
  readonly deterministic: boolean;
  readonly lp?: Float64Array;
  readonly elites?: readonly Int32Array[];
  /** LNS: sub-problem size to start from. */
  readonly startFree?: number;
  /** Milliseconds left until the run's deadline when the task was sent. */
  readonly remainingMs: number;
  readonly fault?: PortfolioFault;
}

/** A worker's answer (its gain is re-checked exactly by the caller). */
export interface PortfolioTaskResult {
  readonly winners: Int32Array;
  /** The move that found the answer's last improvement (`tabu`, `lns:region`, …), if any. */
  readonly move: string | null;
  /** LNS: the sub-problem size its adaptation ended at. */
  readonly free?: number;
}

/** Copies an Int32Array into shared memory. */
export function shareInt32(a: Int32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(Math.max(4, a.byteLength));
  new Int32Array(sab).set(a);
  return sab;
}

/** Puts a market index into shared memory. */
export function shareIndex(token: string, m: PackingIndex, candidates: ArrayLike<number>): SharedIndex {
  const text = new TextEncoder().encode(m.gain.join(','));
  const gains = new SharedArrayBuffer(Math.max(1, text.byteLength));
  new Uint8Array(gains).set(text);
  return {
    token, nBids: m.nBids, nRollups: m.nRollups, nGroups: m.nGroups,
    bundleStart: shareInt32(m.bundleStart), bundleItems: shareInt32(m.bundleItems), group: shareInt32(m.group),
    rollupBidStart: shareInt32(m.rollupBidStart), rollupBidItems: shareInt32(m.rollupBidItems),
    groupBidStart: shareInt32(m.groupBidStart), groupBidItems: shareInt32(m.groupBidItems),
    gains, candidates: shareInt32(Int32Array.from(candidates)),
  };
}

/** Reads a shared index back (views over the shared buffers; gains parsed to bigint). */
export function readIndex(s: SharedIndex): { index: PackingIndex; candidates: Int32Array } {
  const text = new TextDecoder().decode(new Uint8Array(s.gains).slice());
  const gain = s.nBids === 0 ? [] : text.split(',').map((v) => BigInt(v));
  const view = (b: SharedArrayBuffer, length: number): Int32Array => new Int32Array(b, 0, length);
  const bundleStart = view(s.bundleStart, s.nBids + 1);
  const rollupBidStart = view(s.rollupBidStart, s.nRollups + 1);
  const groupBidStart = view(s.groupBidStart, s.nGroups + 1);
  return {
    index: {
      nBids: s.nBids, nRollups: s.nRollups, nGroups: s.nGroups, gain,
      bundleStart, bundleItems: view(s.bundleItems, bundleStart[s.nBids] ?? 0), group: view(s.group, s.nBids),
      rollupBidStart, rollupBidItems: view(s.rollupBidItems, rollupBidStart[s.nRollups] ?? 0),
      groupBidStart, groupBidItems: view(s.groupBidItems, groupBidStart[s.nGroups] ?? 0),
    },
    candidates: new Int32Array(s.candidates, 0, s.candidates.byteLength / 4),
  };
}
