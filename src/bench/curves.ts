/**
 * Value over time: from each run's incumbent trace, the best value the runner knew at fixed
 * checkpoints (1, 2, 5, 10, 30, 60 s, up to its own limit), next to the verified value at its
 * deadline. Trace values are the runners' claims (floats for external solvers); only the
 * deadline value is verified.
 */
import { formatAmount } from '../model/money.js';
import type { BenchReport, BenchRun } from './harness.js';
import type { TracePoint } from './types.js';

/** Checkpoints of the value-over-time table, seconds. */
export const CURVE_SECONDS: readonly number[] = [1, 2, 5, 10, 30, 60];

/** The best value of a trace among its points at or before `ms`; null when there is none yet. */
export function bestAt(trace: readonly TracePoint[], ms: number): bigint | number | null {
  let best: bigint | number | null = null;
  for (const p of trace) if (p.ms <= ms && (best === null || p.value > best)) best = p.value;
  return best;
}

/** One instance × runner row of the table. */
export interface CurveRow {
  readonly instance: string;
  readonly runner: string;
  /** The runner's time limit, seconds. */
  readonly timeLimitSec: number;
  /**
   * Per checkpoint (in {@link curveSeconds} order): the best traced value, null when none yet,
   * `undefined` past the runner's limit; all `undefined` when the run has no trace (or its
   * answer is invalid).
   */
  readonly at: readonly (bigint | number | null | undefined)[];
  /** Whether the run gave a trace (and its answer is not invalid). */
  readonly traced: boolean;
  /** The verified value of the answer at the deadline (null: none or not verified). */
  readonly deadline: bigint | null;
  readonly run: BenchRun;
}

/** The checkpoints for a report: {@link CURVE_SECONDS} up to the longest runner limit. */
export function curveSeconds(report: BenchReport): number[] {
  const longest = report.runners.length === 0 ? report.settings.timeLimitSec : Math.max(...report.runners.map((r) => r.timeLimitSec));
  return CURVE_SECONDS.filter((t) => t <= longest);
}

/** The value-over-time rows: instance order × runner order. */
export function curveRows(report: BenchReport): CurveRow[] {
  const seconds = curveSeconds(report);
  const limits = new Map(report.runners.map((r) => [r.name, r.timeLimitSec]));
  const rows: CurveRow[] = [];
  for (const run of report.runs) {
    const limit = limits.get(run.runner) ?? report.settings.timeLimitSec;
    const traced = run.trace !== undefined && run.check !== 'invalid';
    const at = seconds.map((t) => (!traced || t > limit ? undefined : bestAt(run.trace as readonly TracePoint[], t * 1000)));
    const deadline = (run.check === 'ok' || run.check === 'disagree') ? run.value : null;
    rows.push({ instance: run.instance, runner: run.runner, timeLimitSec: limit, at, traced, deadline, run });
  }
  return rows;
}

/** A table cell: exact values as amounts, floats as `≈amount` (rounded to base units), `—` for none yet, blank past the limit. */
export function curveCell(v: bigint | number | null | undefined, decimals: number): string {
  if (v === undefined) return '';
  if (v === null) return '—';
  if (typeof v === 'bigint') return formatAmount(v, decimals);
  return `≈${formatAmount(BigInt(Math.round(v)), decimals)}`;
}

/** A value for the JSON report: exact as a decimal string, a float as a number in the instance's units. */
export function curveJson(v: bigint | number | null | undefined, decimals: number): string | number | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'bigint' ? formatAmount(v, decimals) : v / 10 ** decimals;
}

/** The markdown table of one group's instances (empty when no run of the group has a trace). */
export function curveTable(report: BenchReport, instanceIds: readonly string[]): string[] {
  const rows = curveRows(report).filter((r) => instanceIds.includes(r.instance));
  if (!rows.some((r) => r.traced)) return [];
  const seconds = curveSeconds(report);
  const info = new Map(report.instances.map((i) => [i.id, i]));
  const out = [
    'Value over time: the best value each runner reported by t (its own clock; ≈ = a float as the solver printed it, unverified), ' +
      'and the verified value of its answer at the deadline. "—": nothing yet; blank: past its limit or no trace.',
    '',
    `| instance | runner | ${seconds.map((t) => `${t} s`).join(' | ')} | deadline (verified) |`,
    `|---|---|${seconds.map(() => '---:').join('|')}|---:|`,
  ];
  for (const r of rows) {
    const inst = info.get(r.instance);
    const decimals = inst?.decimals ?? 0;
    const deadline = r.deadline === null ? (r.run.check === 'invalid' ? '**INVALID**' : r.run.outcome) : formatAmount(r.deadline, decimals);
    out.push(`| ${(inst?.name ?? r.instance).replace(/\|/g, '\\|')} | ${r.runner.replace(/\|/g, '\\|')} | ${r.at.map((v) => curveCell(v, decimals)).join(' | ')} | ${deadline} |`);
  }
  out.push('');
  return out;
}
