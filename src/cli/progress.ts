/** A status line on stderr for long runs: redrawn in place on a terminal, sparse otherwise. */
import type cliProgress from 'cli-progress';
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

/** Fields shown while solving. */
export interface SolveStatus {
  readonly elapsedMs: number;
  readonly incumbent: string;
  readonly bound: string;
  readonly gap: string;
  /** The move that found the latest improvement (e.g. `lns:region`), when known. */
  readonly move?: string;
}

/**
 * Progress of a solve on stderr, shown once a run passes a second: a cli-progress bar of the
 * elapsed share of the time limit with incumbent, bound and gap on a terminal; otherwise a
 * status line every few seconds (logs stay readable). cli-progress is imported at the first
 * update that needs the bar (runs shorter than a second never load it); updates until it has
 * loaded are skipped.
 */
export class SolveProgressBar {
  private bar: cliProgress.SingleBar | null = null;
  private module: typeof cliProgress | null = null;
  private loading = false;
  private finished = false;
  private readonly line: StatusLine;

  constructor(private readonly io: Io, private readonly label: string, private readonly limitSec: number) {
    this.line = new StatusLine(io);
  }

  update(s: SolveStatus): void {
    if (!this.io.stderrIsTTY) {
      this.line.update(`${this.label}: incumbent ${s.incumbent}${s.move === undefined ? '' : ` (${s.move})`}  bound ${s.bound}  gap ${s.gap}  ${seconds(s.elapsedMs)}`);
      return;
    }
    if (s.elapsedMs < 1000 || this.finished) return;
    const cli = this.module;
    if (cli === null) {
      if (!this.loading) {
        this.loading = true;
        void import('cli-progress').then((m) => { this.module = m.default; }, () => undefined);
      }
      return;
    }
    const payload = { incumbent: s.incumbent, move: s.move === undefined ? '' : ` (${s.move})`, bound: s.bound, gap: s.gap, label: this.label, secs: (s.elapsedMs / 1000).toFixed(1) };
    const value = Math.min(this.limitSec, s.elapsedMs / 1000);
    if (this.bar === null) {
      this.bar = new cli.SingleBar({
        stream: process.stderr,
        format: '{label} |{bar}| {secs}/{total} s  incumbent {incumbent}{move}  bound {bound}  gap {gap}',
        hideCursor: true,
        clearOnComplete: true,
        barsize: 20,
      }, cli.Presets.shades_classic);
      this.bar.start(this.limitSec, value, payload);
    } else {
      this.bar.update(value, payload);
    }
  }

  done(): void {
    this.finished = true;
    this.bar?.stop();
    this.line.done();
  }
}
