/**
 * A packing handed from `auto`'s search (this thread) to its racing MIP (a worker thread) while
 * the MIP runs: the search writes its best into a SharedArrayBuffer, and HiGHS reads it at its
 * user-solution checkpoints (`highs.ts`), so that the MIP prunes with, and its own heuristics
 * start from, the best packing either side knows. The MIP validates what it reads (a packing
 * cut off by a refinement row is refused), and every answer is re-checked exactly anyway.
 *
 * Layout: Int32 `version` (odd while a write is in progress: a sequence lock), then one byte
 * per column of the race (`columns`, ascending global bid indices).
 */

/** Int32 slots before the packing bytes. */
const HEADER_INTS = 1;

/** This thread's side: offers packings over a fixed set of columns. */
export class SharedIncumbent {
  readonly buffer: SharedArrayBuffer;
  private readonly version: Int32Array;
  private readonly x: Uint8Array;
  private readonly slotOf: Map<number, number>;

  /** `columns`: the race's columns (global bid indices, ascending). */
  constructor(readonly columns: Int32Array) {
    this.buffer = new SharedArrayBuffer(HEADER_INTS * 4 + columns.length);
    this.version = new Int32Array(this.buffer, 0, HEADER_INTS);
    this.x = new Uint8Array(this.buffer, HEADER_INTS * 4);
    this.slotOf = new Map(Array.from(columns, (b, j) => [b, j]));
  }

  /** Publishes `winners` (global bid indices; those outside the columns are left out). */
  offer(winners: readonly number[]): void {
    Atomics.add(this.version, 0, 1); // odd: writing
    this.x.fill(0);
    for (const b of winners) {
      const j = this.slotOf.get(b);
      if (j !== undefined) this.x[j] = 1;
    }
    Atomics.add(this.version, 0, 1); // even: complete
  }

  /** Where each of `cols` (a subset of the columns, global indices) sits in the buffer (−1: absent). */
  slots(cols: Int32Array): Int32Array {
    return Int32Array.from(cols, (b) => this.slotOf.get(b) ?? -1);
  }
}

/** What a solve receives: the buffer and, per column of its problem, the slot it reads. */
export interface SharedIncumbentView {
  readonly buffer: SharedArrayBuffer;
  readonly slots: Int32Array;
}

/**
 * The worker's side: returns a reader that yields the problem-column vector of each newly
 * published packing once (null when nothing new, or when a write is in progress).
 */
export function incumbentReader(view: SharedIncumbentView): () => Float64Array | null {
  const version = new Int32Array(view.buffer, 0, HEADER_INTS);
  const x = new Uint8Array(view.buffer, HEADER_INTS * 4);
  let seen = 0;
  return () => {
    const v = Atomics.load(version, 0);
    if (v === seen || (v & 1) === 1) return null;
    const out = new Float64Array(view.slots.length);
    view.slots.forEach((slot, j) => { if (slot >= 0 && x[slot] === 1) out[j] = 1; });
    // Torn by a write that started meanwhile: try again at the next checkpoint.
    if (Atomics.load(version, 0) !== v) return null;
    seen = v;
    return out;
  };
}
