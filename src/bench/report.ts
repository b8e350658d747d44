/**
 * Bench reports: a markdown table per instance group (status, verified value and time per
 * runner, medians, "X faster than Y" lines computed from the data, the value-over-time table
 * of runs with an incumbent trace) and a JSON file with every run.
 */
import { formatAmount } from '../model/money.js';
import { curveJson, curveRows, curveSeconds, curveTable } from './curves.js';
import type { BenchReport, BenchRun } from './harness.js';

/** Per-runner figures of one group (or of all instances). */
export interface RunnerSummary {
  readonly runner: string;
  readonly instances: number;
  /** Runs proved optimal with check ok. */
  readonly optimal: number;
  /** Runs whose answer verified (check ok), optimal or not. */
  readonly valid: number;
  readonly invalid: number;
  readonly disagree: number;
  readonly timeouts: number;
  readonly errors: number;
  readonly skipped: number;
  /** Median wall time (ms) over verified runs; null when none. */
  readonly medianMs: number | null;
}

/** "faster is `ratio`× faster than slower", from medians over instances both proved optimal. */
export interface Comparison {
  readonly faster: string;
  readonly slower: string;
  /** median(slower) / median(faster), ≥ 1. */
  readonly ratio: number;
  readonly fasterMedianMs: number;
  readonly slowerMedianMs: number;
  /** Instances on which both proved optimality (with check ok). */
  readonly instances: number;
}

/** Summary of one group. */
export interface GroupSummary {
  readonly group: string;
  readonly runners: readonly RunnerSummary[];
  readonly comparisons: readonly Comparison[];
}

/** Groups in first-appearance order (the order instances were given). */
export function groupsOf(report: BenchReport): string[] {
  const out: string[] = [];
  for (const i of report.instances) if (!out.includes(i.group)) out.push(i.group);
  return out;
}

/** Whether a run's time counts: its answer verified. */
export function counts(run: BenchRun): boolean {
  return run.check === 'ok' && run.wallMs !== null && (run.outcome === 'optimal' || run.outcome === 'feasible');
}

function provedOptimal(run: BenchRun): boolean {
  return counts(run) && run.outcome === 'optimal';
}

/** Median of numbers (mean of the middle two for even counts); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Summaries of runs (all of one group, or all of a report). */
export function summarize(group: string, runs: readonly BenchRun[], runners: readonly string[]): GroupSummary {
  const byRunner = (name: string): BenchRun[] => runs.filter((r) => r.runner === name);
  const summaries = runners.map((name): RunnerSummary => {
    const mine = byRunner(name);
    return {
      runner: name,
      instances: mine.length,
      optimal: mine.filter(provedOptimal).length,
      valid: mine.filter(counts).length,
      invalid: mine.filter((r) => r.check === 'invalid').length,
      disagree: mine.filter((r) => r.check === 'disagree').length,
      timeouts: mine.filter((r) => r.outcome === 'timeout').length,
      errors: mine.filter((r) => r.outcome === 'error').length,
      skipped: mine.filter((r) => r.outcome === 'skipped').length,
      medianMs: roundMs(median(mine.filter(counts).map((r) => r.wallMs as number))),
    };
  });
  const comparisons: Comparison[] = [];
  for (let i = 0; i < runners.length; i++) {
    for (let j = i + 1; j < runners.length; j++) {
      const a = runners[i] as string;
      const b = runners[j] as string;
      const ta: number[] = [];
      const tb: number[] = [];
      const bRuns = new Map(byRunner(b).map((r) => [r.instance, r]));
      for (const ra of byRunner(a)) {
        const rb = bRuns.get(ra.instance);
        if (rb !== undefined && provedOptimal(ra) && provedOptimal(rb)) {
          ta.push(ra.wallMs as number);
          tb.push(rb.wallMs as number);
        }
      }
      const ma = median(ta);
      const mb = median(tb);
      if (ma === null || mb === null) continue;
      const aFaster = ma <= mb;
      const [fast, slow] = aFaster ? [ma, mb] : [mb, ma];
      comparisons.push({
        faster: aFaster ? a : b, slower: aFaster ? b : a,
        ratio: fast > 0 ? Math.round((slow / fast) * 1000) / 1000 : 1,
        fasterMedianMs: roundMs(fast) as number, slowerMedianMs: roundMs(slow) as number, instances: ta.length,
      });
    }
  }
  return { group, runners: summaries, comparisons };
}

function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

/** The report's runner names, in order. */
function runnerNames(report: BenchReport): string[] {
  return report.runners.map((r) => r.name);
}

/** Seconds for tables: 3 significant decimals below 10 s, 1 above. */
export function secondsText(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? s.toFixed(3) : s.toFixed(1);
}

/** Ratios below this are reported as ties (timing noise between runs is a few percent). */
export const TIE_RATIO = 1.05;

/** One comparison as a sentence. */
export function comparisonText(c: Comparison): string {
  const n = `${c.instances} instance${c.instances === 1 ? '' : 's'} both proved optimal`;
  if (c.ratio < TIE_RATIO) return `${c.faster} and ${c.slower} tie on the median instance (within ${Math.round((TIE_RATIO - 1) * 100)}%: median ${secondsText(c.fasterMedianMs)} s vs ${secondsText(c.slowerMedianMs)} s over ${n})`;
  return `${c.faster} faster than ${c.slower} on the median instance: ${c.ratio.toFixed(2)}× (median ${secondsText(c.fasterMedianMs)} s vs ${secondsText(c.slowerMedianMs)} s over ${n})`;
}

function statusCell(run: BenchRun | undefined): string {
  if (run === undefined) return '';
  if (run.check === 'invalid') return '**INVALID**';
  if (run.check === 'disagree') return `**DISAGREE** (${run.outcome})`;
  return run.outcome;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The markdown report. `title` heads it. */
export function benchMarkdown(report: BenchReport, title = 'bundle-auction bench'): string {
  const s = report.settings;
  const names = runnerNames(report);
  const out: string[] = [];
  out.push(`# ${title}`, '');
  out.push(
    `Time limit ${s.timeLimitSec} s per run (killed at +${s.graceSec} s), ` +
      `${s.isolate ? 'one child process per run; times are wall-clock from process spawn to answer (process start, module load and instance read included)' : 'in-process runs (not isolated); times exclude process start'}` +
      `${s.warm ? '; "warm" = the same task run again in the same process' : ''}. ` +
      `Machine: ${report.machine.cpu}, ${report.machine.cpus} vCPU, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, ${report.machine.platform}.`,
    '',
  );
  out.push(`Runners: ${report.runners.map((r) => (r.available === true ? `${r.name}` : `${r.name} (skipped: ${escapeCell(r.available)})`)).join(', ')}.`, '');
  out.push(
    'Every answer is re-verified exactly (bundles disjoint, exclusive groups, value recomputed in integers) before its time counts. ' +
      '**INVALID**: infeasible or unknown winners (time not counted). **DISAGREE**: an optimality claim or bound beaten by another runner\'s verified value (time not counted). ' +
      'Times in parentheses do not count. Medians are over verified runs; speed ratios use only instances both runners proved optimal.',
    '',
  );
  const instances = new Map(report.instances.map((i) => [i.id, i]));
  for (const group of groupsOf(report)) {
    const groupInstances = report.instances.filter((i) => i.group === group);
    const runs = report.runs.filter((r) => r.group === group);
    const summary = summarize(group, runs, names);
    out.push(`## ${group}`, '');
    const header = ['instance', 'size'];
    for (const n of names) header.push(`${n} status`, `${n} value`, `${n} time (s)`, ...(s.warm ? [`${n} warm (s)`] : []));
    out.push(`| ${header.map(escapeCell).join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
    for (const inst of groupInstances) {
      const cells = [inst.name, `${inst.rollups}×${inst.bids}`];
      for (const n of names) {
        const run = runs.find((r) => r.instance === inst.id && r.runner === n);
        cells.push(statusCell(run));
        cells.push(run?.value === null || run === undefined ? '' : formatAmount(run.value, inst.decimals));
        const t = run?.wallMs ?? null;
        cells.push(t === null || run === undefined ? '—' : counts(run) ? secondsText(t) : `(${secondsText(t)})`);
        if (s.warm) cells.push(run?.warmMs === null || run === undefined || !counts(run) ? '—' : secondsText(run.warmMs));
      }
      out.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    }
    const med = ['**median**', ''];
    for (const r of summary.runners) {
      med.push(r.skipped === r.instances ? 'skipped' : `${r.optimal}/${r.instances} optimal`, '', r.medianMs === null ? '—' : secondsText(r.medianMs));
      if (s.warm) {
        const warmTimes = runs.filter((x) => x.runner === r.runner && counts(x) && x.warmMs !== null).map((x) => x.warmMs as number);
        const m = median(warmTimes);
        med.push(m === null ? '—' : secondsText(m));
      }
    }
    out.push(`| ${med.join(' | ')} |`, '');
    out.push(...gapTable(groupInstances, runs, names));
    out.push(...curveTable(report, groupInstances.map((i) => i.id)));
    for (const c of summary.comparisons) out.push(`- ${comparisonText(c)}`);
    const notes = runs.filter((r) => r.reason !== undefined && r.outcome !== 'skipped');
    for (const r of notes) out.push(`- ${instances.get(r.instance)?.name ?? r.instance} · ${r.runner}: ${r.check === 'invalid' ? 'INVALID' : r.check === 'disagree' ? 'DISAGREE' : r.outcome}: ${escapeCell(r.reason ?? '')}`);
    if (summary.comparisons.length > 0 || notes.length > 0) out.push('');
  }
  if (groupsOf(report).length > 1) {
    const all = summarize('all', report.runs, names);
    out.push('## All instances', '');
    out.push('| runner | instances | proved optimal | verified | invalid | disagree | timeout | error | skipped | median time (s) |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of all.runners) {
      out.push(`| ${escapeCell(r.runner)} | ${r.instances} | ${r.optimal} | ${r.valid} | ${r.invalid} | ${r.disagree} | ${r.timeouts} | ${r.errors} | ${r.skipped} | ${r.medianMs === null ? '—' : secondsText(r.medianMs)} |`);
    }
    out.push('');
    for (const c of all.comparisons) out.push(`- ${comparisonText(c)}`);
    if (all.comparisons.length > 0) out.push('');
  }
  return `${out.join('\n')}\n`;
}

/**
 * When some run of the group reports a bound: each verified run's relative gap
 * (bound − value) / bound, with the median per runner (over verified runs; 0 when proven).
 */
function gapTable(instances: BenchReport['instances'], runs: readonly BenchRun[], names: readonly string[]): string[] {
  if (!runs.some((r) => r.bound !== null && r.outcome !== 'optimal')) return [];
  const gapOf = (r: BenchRun | undefined): number | null => {
    if (r === undefined || !counts(r) || r.value === null || r.bound === null) return null;
    if (r.bound <= r.value || r.bound === 0n) return 0;
    return Number(((r.bound - r.value) * 10_000_000n) / r.bound) / 10_000_000;
  };
  const text = (g: number | null): string => (g === null ? '—' : g === 0 ? '0' : `${(g * 100).toPrecision(2)} %`);
  const out = ['Gap (bound − value) / bound of each verified answer, from the runner\'s own bound:', ''];
  out.push(`| instance | ${names.map(escapeCell).join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`);
  for (const inst of instances) out.push(`| ${escapeCell(inst.name)} | ${names.map((n) => text(gapOf(runs.find((r) => r.instance === inst.id && r.runner === n)))).join(' | ')} |`);
  const medians = names.map((n) => median(instances.flatMap((i) => { const g = gapOf(runs.find((r) => r.instance === i.id && r.runner === n)); return g === null ? [] : [g]; })));
  out.push(`| **median** | ${medians.map(text).join(' | ')} |`, '');
  return out;
}

/** The JSON report: settings, machine, runners, instances, every run (amounts as decimal strings in the instance's units) and group summaries. */
export function benchJson(report: BenchReport, name = 'results'): string {
  const decimals = new Map(report.instances.map((i) => [i.id, i.decimals]));
  const money = (id: string, v: bigint | null): string | null => (v === null ? null : formatAmount(v, decimals.get(id) ?? 0));
  const names = runnerNames(report);
  const data = {
    schema: 'bundle-auction-bench/1',
    name,
    date: new Date().toISOString(),
    settings: report.settings,
    machine: report.machine,
    runners: report.runners.map((r) => ({ name: r.name, spec: r.spec, available: r.available === true, ...(r.available === true ? {} : { reason: r.available }) })),
    instances: report.instances,
    runs: report.runs.map((r) => ({
      instance: r.instance,
      group: r.group,
      runner: r.runner,
      status: r.outcome,
      check: r.check,
      value: money(r.instance, r.value),
      bound: money(r.instance, r.bound),
      winners: r.winners,
      wallMs: r.wallMs,
      coldMs: r.coldMs,
      warmMs: r.warmMs,
      solverMs: r.solverMs,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
      ...(r.trace === undefined ? {} : { trace: r.trace.map((p) => [p.ms, curveJson(p.value, decimals.get(r.instance) ?? 0)]) }),
    })),
    curves: {
      seconds: curveSeconds(report),
      rows: curveRows(report).map((c) => ({
        instance: c.instance,
        runner: c.runner,
        timeLimitSec: c.timeLimitSec,
        traced: c.traced,
        at: c.at.map((v) => curveJson(v, decimals.get(c.instance) ?? 0)),
        deadline: money(c.instance, c.deadline),
      })),
    },
    groups: [...groupsOf(report).map((g) => summarize(g, report.runs.filter((r) => r.group === g), names)), summarize('all', report.runs, names)],
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}
