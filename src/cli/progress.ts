/** A status line on stderr for long runs: redrawn in place on a terminal, sparse otherwise. */
import type { Io } from './io.js';

/** Writes `render()` to stderr once `delayMs` have passed, then at most every `everyMs`. */
export class StatusLine {
  private lastWrite = -Infinity;
  private shown = false;
  private readonly started = performance.now();

  constructor(private readonly io: Io, private readonly delayMs = 1000, private readonly everyMs = io.stderrIsTTY ? 200 : 5000) {}

  update(text: string): void {
    const now = performance.now();
    if (now - this.started < this.delayMs || now - this.lastWrite < this.everyMs) return;
    this.lastWrite = now;
    this.shown = true;
    this.io.stderr(this.io.stderrIsTTY ? `\r\x1b[K${text}` : `${text}\n`);
  }

  /** Clears the line (terminal) so that final output starts clean. */
  done(): void {
    if (this.shown && this.io.stderrIsTTY) this.io.stderr('\r\x1b[K');
  }
}

/** Seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
