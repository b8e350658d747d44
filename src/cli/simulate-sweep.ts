/** `bundle-auction simulate --seeds N | --sweep AXIS=V,… | --preset NAME`: sweeps over many markets. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { SWEEP_PRESETS } from '../simulation/presets.js';
import { sweepHtml } from '../simulation/sweep-charts.js';
import { formatEstimate, sweepCsv, sweepJson, sweepMarkdown } from '../simulation/sweep-report.js';
import { runSweep, SWEEP_AXES, type SweepAxis, type SweepAxisValues, type SweepResult, type SweepSpec } from '../simulation/sweep.js';
import type { SimulationOptions } from '../simulation/types.js';
import type { Io } from './io.js';
import { seconds, StatusLine } from './progress.js';
import { table } from './table.js';

/** Files written by a sweep with `--out DIR`. */
export const SWEEP_FILES = ['sweep.csv', 'sweep.json', 'sweep.md', 'sweep.html'] as const;

/** Parses one `--sweep AXIS=V1,V2,…` (numbers stay numbers), accumulating repeats. */
export function parseSweepAxis(value: string, previous: SweepAxisValues[] = []): SweepAxisValues[] {
  const m = /^([a-z]+)=(.+)$/.exec(value);
  if (m === null) throw new InvalidArgumentError(`expected AXIS=V1,V2,… (axes: ${Object.keys(SWEEP_AXES).join(', ')}), got ${JSON.stringify(value)}`);
  const axis = m[1] as string;
  if (!(axis in SWEEP_AXES)) throw new InvalidArgumentError(`unknown axis ${JSON.stringify(axis)}: expected one of ${Object.keys(SWEEP_AXES).join(', ')}`);
  const values = (m[2] as string).split(',').map((v) => (/^[0-9]+$/.test(v) ? Number(v) : v));
  return [...previous, { axis: axis as SweepAxis, values }];
}

/**
 * The spec of a sweep: a preset's (base, seeds, axes) with the options given on the command
 * line laid over its base, `--seeds` over its seeds and `--sweep` axes instead of its axes; or,
 * without a preset, the command-line options as base, `--seeds` (default 10) and `--sweep`.
 */
export function sweepSpec(base: Omit<SimulationOptions, 'onProgress' | 'seed'>, preset: string | undefined, seeds: number | undefined, axes: readonly SweepAxisValues[]): SweepSpec {
  if (preset !== undefined) {
    const p = SWEEP_PRESETS[preset];
    if (p === undefined) throw new InvalidArgumentError(`unknown preset ${JSON.stringify(preset)}: expected one of ${Object.keys(SWEEP_PRESETS).join(', ')}`);
    return { base: { ...p.base, ...base }, seeds: seeds ?? p.seeds, axes: axes.length > 0 ? axes : p.axes };
  }
  return { base, seeds: seeds ?? 10, axes };
}

/** Runs the sweep with a progress bar on stderr, writes its files, prints its table. */
export async function runSweepCommand(io: Io, spec: SweepSpec, workers: number, out: string | undefined, json: boolean): Promise<void> {
  const progress = new SweepProgress(io);
  const result = await runSweep(spec, { workers, onProgress: (done, total) => progress.update(done, total) });
  progress.done();
  if (out !== undefined) {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'sweep.csv'), sweepCsv(result));
    await writeFile(join(out, 'sweep.json'), sweepJson(result));
    await writeFile(join(out, 'sweep.md'), sweepMarkdown(result, SHOWN));
    await writeFile(join(out, 'sweep.html'), sweepHtml(result, SHOWN));
  }
  io.stdout(json ? sweepJson(result) : sweepText(result, out));
}

/** Headline metrics shown in the table (all are in the CSV and JSON). */
const SHOWN = [
  'auction.revenue', 'auction.shillGain', 'auction.shillGainLosing', 'auction.honestKeep', 'auction.allHonestKeep', 'auction.vsIsolated', 'auction.vsStrawman',
  'lottery.revenue', 'lottery.shillGain', 'lottery.shillGainLosing', 'lottery.honestKeep', 'lottery.vsAuction', 'lottery.welfareVsAuction', 'lottery.rounds', 'strawman.shillGain', 'auction.shaderProfit',
];

/** The readable table: one row per grid point, mean ± 95 % CI half-width of the headline metrics. */
export function sweepText(result: SweepResult, out: string | undefined): string {
  const axes = result.spec.axes.map((a) => a.axis);
  const shown = SHOWN.filter((m) => result.points.some((p) => p.metrics[m] !== undefined));
  const lines = [
    `bundle-auction simulate: sweep of ${result.points.length} point${result.points.length === 1 ? '' : 's'} × ${result.spec.seeds} seeds = ${result.runs} runs; ${seconds(result.elapsedMs)}`,
    `  ${result.spec.base.slots ?? 50} slots each; mean ± 95 % confidence half-width over the seeds; ETH amounts, shares 0–1`,
    '',
    table([...axes, ...shown], result.points.map((p) => [
      ...axes.map((a) => String(p.params[a])),
      ...shown.map((m) => (p.metrics[m] === undefined ? '-' : formatEstimate(p.metrics[m] as NonNullable<(typeof p.metrics)[string]>))),
    ]), [...axes.map(() => false), ...shown.map(() => true)]),
  ];
  if (out !== undefined) lines.push('', `Wrote ${SWEEP_FILES.join(', ')} to ${out}`);
  lines.push('');
  return lines.join('\n');
}

/** A cli-progress bar on a terminal; a status line every few seconds in logs. */
class SweepProgress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly line: StatusLine;
  private readonly started = performance.now();

  constructor(private readonly io: Io) {
    this.line = new StatusLine(io, 0);
  }

  update(done: number, total: number): void {
    if (!this.io.stderrIsTTY) {
      this.line.update(`simulate: ${done}/${total} runs  ${seconds(performance.now() - this.started)}`);
      return;
    }
    if (this.bar === null) {
      this.bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'simulate |{bar}| {value}/{total} runs  {duration_formatted}  eta {eta_formatted}', hideCursor: true, clearOnComplete: true, barsize: 30 }, cliProgress.Presets.shades_classic);
      this.bar.start(total, done);
    } else this.bar.update(done);
  }

  done(): void {
    this.bar?.stop();
    this.line.done();
  }
}
