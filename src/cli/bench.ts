/**
 * `bundle-auction bench`: compares solvers on generated and corpus instances, one process per
 * run with a hard time cap, every answer verified before its time counts. A thin caller of the
 * harness library in src/bench/ (`bundle-auction/bench`): flags → `planBench` → `runBench` →
 * report files; the progress display is this file's own. `bench-run` (hidden) is the child side
 * of one run.
 */
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { benchRunChild } from '../bench/bench-run.js';
import { killActiveRuns } from '../bench/child.js';
import { DEFAULT_GRACE_SEC, runBench, type BenchEvent } from '../bench/harness.js';
import { planBench } from '../bench/plan.js';
import { PRESET_NAMES, type PresetName } from '../bench/presets.js';
import { benchJson, benchMarkdown, secondsText } from '../bench/report.js';
import { UsageError } from '../model/errors.js';
import { formatAmount } from '../model/money.js';
import { listOf, oneOf, parseNat, parseSeconds } from './args.js';
import type { Io } from './io.js';
import { checkWritableDirectory, writeOutputDirectory } from './output.js';

interface BenchFlags {
  readonly preset?: PresetName;
  readonly families?: string[];
  readonly sizes?: string[];
  readonly seeds?: string;
  readonly corpus?: string[];
  readonly runners?: string[];
  readonly timeLimit?: number;
  readonly grace: number;
  readonly warm?: boolean;
  readonly isolate: boolean;
  readonly solverSeed: number;
  readonly out?: string;
  readonly name: string;
  readonly json?: boolean;
}

/** Registers `bench`. */
export function benchCommand(program: Command, io: Io): void {
  program
    .command('bench')
    .description('compare solvers: one process per run, hard time cap, answers verified before times count')
    .option('--preset <name>', `${PRESET_NAMES.join('|')}: a named configuration the other flags override (default quick when no instances are given)`, oneOf(PRESET_NAMES))
    .option('--families <list>', 'generated families, comma-separated', listOf(String))
    .option('--sizes <list>', 'generated sizes ROLLUPSxBIDS, comma-separated (default 100x500; with a preset that lists family × size pairs, e.g. hard, --families or --sizes make it a product again)', listOf(String))
    .option('--seeds <list>', 'generator seeds: comma-separated seeds and ranges, "1,2,5" or "1-3"; a single number is one seed (default 1)')
    .option('--corpus <paths>', 'instance files, directories (*.txt, *.cats, *.json) or patterns like dir/Decay*; comma-separated, repeatable', collect, undefined)
    .option('--runners <list>', 'highs, glpk, jslp, bnb, heuristic, auto, cbc, scip (NAME@SECONDS: with its own time limit, e.g. auto@1), command:<shell command> (must come last: it keeps its commas), module:<path>; "label=command:…" names one (default highs, cbc, and glpk when installed)', splitRunners)
    .option('--time-limit <seconds>', 'time limit per run (default 60, preset: its own)', parseSeconds)
    .option('--grace <seconds>', 'seconds past the time limit before a run is killed as a timeout', parseNonNegative, DEFAULT_GRACE_SEC)
    .option('--warm', 'run each task twice in its process and report the second (warm) time as well')
    .option('--no-isolate', 'run in this process instead of one child process per run (no process start in times; no hard kill)')
    .option('--solver-seed <n>', 'seed passed to the runners', parseNat, 0)
    .option('--out <dir>', 'also write <dir>/bench-<name>.json and <dir>/bench-<name>.md')
    .option('--name <name>', 'report name (file names and title)', parseName, 'results')
    .option('--json', 'print the JSON report on stdout instead of the markdown')
    .action(async (flags: BenchFlags) => {
      if (flags.out !== undefined) await checkWritableDirectory(flags.out, '--out');
      const plan = await planBench({
        ...(flags.preset === undefined ? {} : { preset: flags.preset }),
        ...(flags.families === undefined ? {} : { families: flags.families }),
        ...(flags.sizes === undefined ? {} : { sizes: flags.sizes }),
        ...(flags.seeds === undefined ? {} : { seeds: flags.seeds }),
        ...(flags.corpus === undefined ? {} : { corpus: flags.corpus }),
        ...(flags.runners === undefined ? {} : { runners: flags.runners }),
        ...(flags.timeLimit === undefined ? {} : { timeLimitSec: flags.timeLimit }),
      });

      const progress = new BenchProgress(io);
      // Runs are detached process groups: take them down with us on Ctrl-C / SIGTERM.
      const onSignal = (signal: NodeJS.Signals): void => {
        killActiveRuns();
        progress.stop();
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        process.kill(process.pid, signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let report;
      try {
        report = await runBench({
          ...plan, graceSec: flags.grace, warm: flags.warm === true, isolate: flags.isolate, seed: flags.solverSeed,
          onEvent: (e) => progress.event(e),
        });
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        progress.stop();
      }
      const title = `bundle-auction bench: ${flags.name}`;
      const markdown = benchMarkdown(report, title);
      const json = benchJson(report, flags.name);
      io.stdout(flags.json === true ? json : markdown);
      if (flags.out !== undefined) {
        const base = `bench-${flags.name}`;
        await writeOutputDirectory(flags.out, { [`${base}.json`]: json, [`${base}.md`]: markdown }, '--out');
        io.stderr(`wrote ${join(flags.out, base)}.json and ${join(flags.out, base)}.md\n`);
      }
    });
}

interface BenchRunFlags {
  readonly runner: string;
  readonly instance: string;
  readonly timeLimit: number;
  readonly seed: number;
  readonly warm?: boolean;
}

/** Registers the hidden `bench-run`: one run of one runner, results as tagged JSON lines on stdout. */
export function benchRunCommand(program: Command, io: Io): void {
  program
    .command('bench-run', { hidden: true })
    .description('(internal) one bench run in its own process')
    .requiredOption('--runner <spec>', 'runner spec')
    .requiredOption('--instance <file>', 'instance file')
    .requiredOption('--time-limit <seconds>', 'time limit', parseSeconds)
    .option('--seed <n>', 'seed', parseNat, 0)
    .option('--warm', 'run twice')
    .action(async (flags: BenchRunFlags) => {
      const request = { runner: flags.runner, instanceFile: flags.instance, timeLimitSec: flags.timeLimit, seed: flags.seed, warm: flags.warm === true };
      await benchRunChild(request, (text) => io.stdout(text));
    });
}

/**
 * Splits `--runners`: commas separate specs, except that a `command:` spec (optionally
 * labelled, `label=command:…`) takes the rest of the text, commas included.
 */
export function splitRunners(value: string): string[] {
  const out: string[] = [];
  let rest = value;
  while (rest.trim() !== '') {
    const trimmed = rest.trimStart();
    if (/^([A-Za-z][\w.-]*=)?command:/.test(trimmed)) {
      out.push(trimmed.trim());
      break;
    }
    const comma = trimmed.indexOf(',');
    const item = (comma < 0 ? trimmed : trimmed.slice(0, comma)).trim();
    if (item !== '') out.push(item);
    rest = comma < 0 ? '' : trimmed.slice(comma + 1);
  }
  return out;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

function parseNonNegative(value: string): number {
  return value.trim() === '0' ? 0 : parseSeconds(value);
}

function parseName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) throw new UsageError(`bad report name ${JSON.stringify(value)}: use letters, digits, ".", "_" and "-"`);
  return value;
}

/** Progress on stderr: a cli-progress bar on a terminal, one line per finished run otherwise. */
class BenchProgress {
  private bar: SingleBar | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private runStarted = 0;
  private readonly started = performance.now();

  constructor(private readonly io: Io) {}

  event(e: BenchEvent): void {
    if (e.kind === 'prepare') return;
    if (this.io.stderrIsTTY) this.tty(e);
    else if (e.kind === 'done') this.plain(e);
  }

  private tty(e: Exclude<BenchEvent, { kind: 'prepare' }>): void {
    if (this.bar === null) {
      const stream = { isTTY: true, columns: process.stderr.columns, write: (s: string) => { this.io.stderr(s); return true; } } as unknown as NodeJS.WritableStream;
      this.bar = new SingleBar({
        format: '{bar} {value}/{total} | {item} | run {run}s | total {elapsed}s',
        stream, hideCursor: true, clearOnComplete: true, barsize: 24, fps: 5,
      }, Presets.shades_classic);
      this.bar.start(e.total, 0, { item: '', run: '0', elapsed: '0' });
      this.ticker = setInterval(() => this.bar?.update({ run: this.since(this.runStarted), elapsed: this.since(this.started) }), 500);
      this.ticker.unref();
    }
    if (e.kind === 'start') {
      this.runStarted = performance.now();
      this.bar.update(e.index, { item: `${e.instance.id} · ${e.runner}`, run: '0', elapsed: this.since(this.started) });
    } else {
      this.bar.update(e.index + 1, { elapsed: this.since(this.started) });
    }
  }

  private plain(e: Extract<BenchEvent, { kind: 'done' }>): void {
    const r = e.run;
    const value = r.value === null ? '' : ` ${formatAmount(r.value, e.instance.instance.decimals)}`;
    const time = r.wallMs === null ? '' : ` ${secondsText(r.wallMs)} s`;
    const check = r.check === 'invalid' || r.check === 'disagree' ? ` ${r.check.toUpperCase()}` : '';
    const reason = r.outcome === 'skipped' || r.outcome === 'error' || r.outcome === 'timeout' || check !== '' ? ` (${r.reason ?? ''})` : '';
    this.io.stderr(`[${e.index + 1}/${e.total}] ${e.instance.id} · ${r.runner}: ${r.outcome}${check}${value}${time}${reason}\n`);
  }

  private since(t: number): string {
    return ((performance.now() - t) / 1000).toFixed(0);
  }

  stop(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.bar?.stop();
    this.bar = null;
  }
}
