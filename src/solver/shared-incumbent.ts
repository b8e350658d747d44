/**
 * Packings exchanged between `auto`'s search (this thread) and its racing MIP (a worker thread)
 * while both run, through SharedArrayBuffers (the search may hold the event loop for long
 * stretches, and HiGHS blocks its worker, so there are no messages):
 * - to the MIP: the search writes its best; HiGHS reads it at its user-solution checkpoints
 *   (`highs.ts`) and takes it as a candidate incumbent, so that it prunes with, and its own
 *   heuristics start from, the best packing either side knows;
 * - from the MIP: HiGHS writes each improving solution; the search takes it up at its next epoch
 *   (`PortfolioOptions.outside`), instead of only when the MIP's solve returns.
 * Both sides validate what they read (HiGHS refuses a packing a refinement row cuts off; the
 * search re-checks every packing exactly).
 *
 * Each channel: Int32 `version` (odd while a write is in progress: a sequence lock), then one
 * byte per column of the race (`columns`, ascending global bid indices).
 */

/** Int32 slots before the packing bytes. */
const HEADER_INTS = 1;

/** One packing channel over the race's columns. */
class Channel {
  private readonly version: Int32Array;
  private readonly x: Uint8Array;
  private seen = 0;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.version = new Int32Array(buffer, 0, HEADER_INTS);
    this.x = new Uint8Array(buffer, HEADER_INTS * 4);
  }

  static create(columns: number): Channel {
    return new Channel(new SharedArrayBuffer(HEADER_INTS * 4 + columns));
  }

  /** Writes a packing: `fill` sets the slots of its bids (the rest are cleared first). */
  write(fill: (x: Uint8Array) => void): void {
    Atomics.add(this.version, 0, 1); // odd: writing
    this.x.fill(0);
    fill(this.x);
    Atomics.add(this.version, 0, 1); // even: complete
  }

  /** Each complete packing once (null: nothing new, or a write in progress or torn). */
  read<T>(decode: (x: Uint8Array) => T): T | null {
    const v = Atomics.load(this.version, 0);
    if (v === this.seen || (v & 1) === 1) return null;
    const out = decode(this.x);
    if (Atomics.load(this.version, 0) !== v) return null; // a write started meanwhile: next time
    this.seen = v;
    return out;
  }
}

/** This thread's side: the two channels over a fixed set of columns. */
export class SharedIncumbent {
  private readonly toMip: Channel;
  private readonly fromMip: Channel;
  private readonly slotOf: Map<number, number>;

  /** `columns`: the race's columns (global bid indices, ascending). */
  constructor(readonly columns: Int32Array) {
    this.toMip = Channel.create(columns.length);
    this.fromMip = Channel.create(columns.length);
    this.slotOf = new Map(Array.from(columns, (b, j) => [b, j]));
  }

  /** Offers `winners` (global bid indices; those outside the columns are left out) to the MIP. */
  offer(winners: readonly number[]): void {
    this.toMip.write((x) => {
      for (const b of winners) {
        const j = this.slotOf.get(b);
        if (j !== undefined) x[j] = 1;
      }
    });
  }

  /** The MIP's newest improving solution since the last call (global bid indices, ascending), or null. */
  found(): number[] | null {
    return this.fromMip.read((x) => {
      const winners: number[] = [];
      x.forEach((v, j) => { if (v === 1) winners.push(this.columns[j] as number); });
      return winners;
    });
  }

  /** What a solve on `cols` (a subset of the columns, global indices) receives. */
  view(cols: Int32Array): SharedIncumbentView {
    return { toMip: this.toMip.buffer, fromMip: this.fromMip.buffer, slots: Int32Array.from(cols, (b) => this.slotOf.get(b) ?? -1) };
  }
}

/** The MIP's side of both channels: the buffers and, per column of its problem, its slot (−1: none). */
export interface SharedIncumbentView {
  readonly toMip: SharedArrayBuffer;
  readonly fromMip: SharedArrayBuffer;
  readonly slots: Int32Array;
}

/** The MIP's reader: the problem-column vector of each newly offered packing once, or null. */
export function incumbentReader(view: SharedIncumbentView): () => Float64Array | null {
  const channel = new Channel(view.toMip);
  return () => channel.read((x) => Float64Array.from(view.slots, (slot) => (slot >= 0 && x[slot] === 1 ? 1 : 0)));
}

/** The MIP's writer: publishes a solution over its problem's columns (values above ½ are taken). */
export function foundWriter(view: SharedIncumbentView): (solution: ArrayLike<number>) => void {
  const channel = new Channel(view.fromMip);
  return (solution) => channel.write((x) => {
    view.slots.forEach((slot, j) => { if (slot >= 0 && (solution[j] ?? 0) > 0.5) x[slot] = 1; });
  });
}
