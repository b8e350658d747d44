/**
 * Native COIN-OR CBC as a bench runner: the instance is written as CPLEX LP
 * ({@link instanceToLp}), solved by `cbc model.lp -sec T -threads 1 solve solu out.sol`, and the
 * solution file mapped back to bid ids through the canonical bid order (`x<k>` = bid k). Its
 * incumbent trace is read from the log ({@link parseCbcTrace}).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instanceToLp } from '../formats/lp.js';
import { compileMarket } from '../model/market.js';
import type { Instance } from '../model/types.js';
import { lastLine, runProcess } from './process.js';
import type { BenchRunner, RunnerAnswer, TracePoint } from './types.js';

/** Options of {@link cbcRunner}. */
export interface CbcRunnerOptions {
  /** Runner name. Default `cbc`. */
  readonly name?: string;
  /** The CBC executable. Default `cbc` (looked up on PATH). */
  readonly binary?: string;
  /** Threads passed to `-threads`. Default 1 (one process per run, like every other runner). */
  readonly threads?: number;
  /** Seconds past the time limit before the CBC process is killed. Default 10. */
  readonly graceSec?: number;
}

/** The `cbc` runner (install CBC with `bench/setup.sh`, Debian package `coinor-cbc`). */
export function cbcRunner(options: CbcRunnerOptions = {}): BenchRunner {
  const binary = options.binary ?? 'cbc';
  const threads = options.threads ?? 1;
  const grace = options.graceSec ?? 10;
  return {
    name: options.name ?? 'cbc',
    async available() {
      const p = await runProcess(binary, ['-quit'], { timeoutMs: 10_000 });
      if (p.spawnError !== undefined) {
        return p.spawnError.code === 'ENOENT' ? `${binary} not found on PATH (install coinor-cbc, e.g. bench/setup.sh)` : `${binary} cannot start: ${p.spawnError.message}`;
      }
      return /CBC/i.test(p.stdout + p.stderr) ? true : `${binary} does not look like CBC: ${lastLine(p.stdout + p.stderr) || `exit ${String(p.code)}`}`;
    },
    async run(task) {
      const dir = await mkdtemp(join(tmpdir(), 'bundle-auction-cbc-'));
      try {
        const lp = join(dir, 'model.lp');
        const sol = join(dir, 'model.sol');
        await writeFile(lp, instanceToLp(task.instance));
        const p = await runProcess(binary, [lp, '-sec', String(task.timeLimitSec), '-threads', String(threads), 'solve', 'solu', sol], {
          timeoutMs: (task.timeLimitSec + grace) * 1000,
          cwd: dir,
        });
        if (p.spawnError !== undefined) throw new Error(`cannot run ${binary}: ${p.spawnError.message}`);
        if (p.timedOut) throw new Error(`${binary} ignored its time limit and was killed after ${task.timeLimitSec + grace} s`);
        let text: string;
        try {
          text = await readFile(sol, 'utf8');
        } catch {
          throw new Error(`${binary} wrote no solution file (exit ${String(p.code)}): ${lastLine(p.stdout + p.stderr)}`);
        }
        const answer = parseCbcSolution(text, task.instance);
        const solverMs = parseCbcWallMs(p.stdout) ?? p.wallMs;
        const bound = answer.status === 'optimal' ? null : parseCbcUpperBound(p.stdout, task.instance);
        const trace = parseCbcTrace(p.stdout, compileMarket(task.instance).reserveTotal);
        return { ...answer, solverMs, ...(bound === null ? {} : { bound }), trace };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Parses a CBC solution file: a status line (`Optimal - objective value …`, `Stopped on time -
 * objective value …`, `Infeasible - …`) then lines `index name value objcoef` (only non-zeros
 * for larger models; a leading `**` marks an infeasible value). Variables `x<k>` map to bid k.
 * A fractional or out-of-range value yields status `none` (CBC had no integer solution).
 */
export function parseCbcSolution(text: string, instance: Instance): RunnerAnswer {
  const lines = text.split('\n');
  const head = (lines[0] ?? '').trim();
  const optimal = /^(Optimal|Integer optimal)/i.test(head);
  if (!optimal && /infeasible/i.test(head) && !/^Stopped/i.test(head)) return { status: 'infeasible', winners: [] };
  if (!optimal && !/^Stopped/i.test(head)) return { status: 'none', winners: [] };
  const { winners, fractional } = readValues(lines, instance);
  if (fractional) return { status: 'none', winners: [] };
  return { status: optimal ? 'optimal' : 'feasible', winners };
}

function readValues(lines: readonly string[], instance: Instance): { winners: string[]; fractional: boolean } {
  const winners: string[] = [];
  let fractional = false;
  for (const raw of lines.slice(1)) {
    const fields = raw.replace(/^\s*\*\*/, '').trim().split(/\s+/);
    if (fields.length < 3) continue;
    const name = fields[1] as string;
    const value = Number(fields[2]);
    const m = /^x([0-9]+)$/.exec(name);
    if (m === null || !Number.isFinite(value)) continue;
    if (Math.abs(value) < 1e-6) continue;
    if (Math.abs(value - 1) > 1e-6) {
      fractional = true;
      continue;
    }
    const bid = instance.bids[Number(m[1])];
    // An index past the bids cannot be mapped: report it as an unknown id so verification fails.
    winners.push(bid === undefined ? `<cbc:${name}>` : bid.id);
  }
  return { winners, fractional };
}

/** CBC's `Total time (CPU seconds): a (Wallclock seconds): b` → b in ms. */
export function parseCbcWallMs(stdout: string): number | null {
  const m = /Total time \(CPU seconds\):\s*[0-9.]+\s*\(Wallclock seconds\):\s*([0-9.]+)/.exec(stdout);
  return m === null ? null : Math.round(Number(m[1]) * 1000);
}

/**
 * CBC's `Upper bound: u` (a maximisation's dual bound on the objective, i.e. on Σ gains) as a
 * bound on the value in base units: ⌊u + 10⁻⁶·|u|⌋ + Σ reserves (gains are integers; the
 * tolerance absorbs floating-point noise; still only a claim, which the harness cross-checks).
 */
export function parseCbcUpperBound(stdout: string, instance: Instance): bigint | null {
  const m = /^Upper bound:\s*(-?[0-9.eE+-]+)\s*$/m.exec(stdout);
  if (m === null) return null;
  const u = Number(m[1]);
  if (!Number.isFinite(u) || Math.abs(u) >= 1e300) return null;
  return BigInt(Math.floor(u + 1e-6 * Math.max(1, Math.abs(u)))) + compileMarket(instance).reserveTotal;
}

/**
 * CBC's incumbent trace from its log: every `Cbc00nnI Integer solution of X found … (T
 * seconds)` line (Cbc0004I from the tree search, Cbc0012I from a heuristic, Cbc0016I from
 * strong branching). T is CBC's own clock since it started (CPU seconds by default, reading
 * the LP included). X is the objective CBC minimises: negated when the log says it
 * reformulated a maximisation. Value = Σ gains (a float as printed) + Σ reserves; only
 * improvements are kept. Earlier `Cbc0038I Solution found of …` lines (inside the feasibility
 * pump, with no time) are not used: CBC adopts them only at the Cbc0012I line.
 */
export function parseCbcTrace(stdout: string, reserveTotal: bigint): TracePoint[] {
  const sign = /Maximization problem reformulated as minimization/.test(stdout) ? -1 : 1;
  const out: TracePoint[] = [];
  const re = /^Cbc00[0-9][0-9]I Integer solution of (\S+) found\b.*\(([0-9.]+) seconds\)\s*$/gm;
  for (const m of stdout.matchAll(re)) {
    const objective = Number(m[1]) * sign;
    const seconds = Number(m[2]);
    if (!Number.isFinite(objective) || !Number.isFinite(seconds)) continue;
    const value = objective + Number(reserveTotal);
    const last = out[out.length - 1];
    if (last === undefined || value > (last.value as number)) out.push({ ms: Math.round(seconds * 1000), value });
  }
  return out;
}
