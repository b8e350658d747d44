/**
 * SCIP (through its Python interface `pyscipopt`) as a bench runner: the instance is written as
 * CPLEX LP ({@link instanceToLp}), read by SCIP, solved with `limits/time` = the time limit and
 * one thread, and the solution's variables `x<k>` mapped back to bid k (canonical order), as
 * for CBC. Its incumbent trace comes from an event handler on BESTSOLFOUND (floats, ms from
 * before the model is read; Python's start excluded). Install with `python3 -m pip install pyscipopt` (bench/setup.sh tries it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instanceToLp } from '../formats/lp.js';
import { compileMarket } from '../model/market.js';
import { errorLine, lastLine, runProcess } from './process.js';
import type { BenchRunner, RunnerAnswer, TracePoint } from './types.js';

/** Options of {@link scipRunner}. */
export interface ScipRunnerOptions {
  /** Runner name. Default `scip`. */
  readonly name?: string;
  /** The Python interpreter with pyscipopt. Default `python3`. */
  readonly python?: string;
  /** Seconds past the time limit before the process is killed. Default 10. */
  readonly graceSec?: number;
}

/**
 * The driver: `python3 - model.lp SECONDS SEED` prints one JSON object. `trace` lists
 * `[ms, objective]` at every BESTSOLFOUND event (ms from before the model is read).
 */
const DRIVER = `
import json, sys, time
from pyscipopt import Model, Eventhdlr, SCIP_EVENTTYPE
path, limit, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
t0 = time.time()
trace = []
class Trace(Eventhdlr):
    def eventinit(self):
        self.model.catchEvent(SCIP_EVENTTYPE.BESTSOLFOUND, self)
    def eventexit(self):
        self.model.dropEvent(SCIP_EVENTTYPE.BESTSOLFOUND, self)
    def eventexec(self, event):
        trace.append([round((time.time() - t0) * 1000, 1), self.model.getSolObjVal(self.model.getBestSol())])
m = Model()
m.hideOutput()
m.readProblem(path)
m.includeEventhdlr(Trace(), 'trace', 'records every new best solution')
m.setParam('limits/time', max(0.01, limit - (time.time() - t0)))
m.setParam('parallel/maxnthreads', 1)
m.setParam('randomization/randomseedshift', seed)
m.optimize()
status = m.getStatus()
winners = []
if m.getNSols() > 0:
    sol = m.getBestSol()
    winners = [v.name for v in m.getVars() if m.getSolVal(sol, v) > 0.5]
bound = m.getDualbound()
# Stopped before its root LP, SCIP can report a "dual bound" below its own incumbent: no bound then.
if m.getNSols() > 0 and bound < m.getPrimalbound():
    bound = float('inf')
print(json.dumps({'status': status, 'winners': winners, 'bound': bound if abs(bound) < 1e300 else None, 'ms': (time.time() - t0) * 1000, 'trace': trace}))
`;

/** The `scip` runner. */
export function scipRunner(options: ScipRunnerOptions = {}): BenchRunner {
  const python = options.python ?? process.env['BUNDLE_AUCTION_PYTHON'] ?? 'python3';
  const grace = options.graceSec ?? 10;
  return {
    name: options.name ?? 'scip',
    async available() {
      const p = await runProcess(python, ['-c', 'import pyscipopt; print(pyscipopt.__version__)'], { timeoutMs: 30_000 });
      if (p.spawnError !== undefined) return `${python} not found (SCIP runs through Python's pyscipopt)`;
      return p.code === 0 ? true : `pyscipopt is not installed for ${python} (python3 -m pip install pyscipopt, e.g. bench/setup.sh)`;
    },
    async run(task) {
      const dir = await mkdtemp(join(tmpdir(), 'bundle-auction-scip-'));
      try {
        const lp = join(dir, 'model.lp');
        const driver = join(dir, 'driver.py');
        await writeFile(lp, instanceToLp(task.instance));
        await writeFile(driver, DRIVER);
        const p = await runProcess(python, [driver, lp, String(task.timeLimitSec), String(task.seed)], { timeoutMs: (task.timeLimitSec + grace) * 1000, cwd: dir });
        if (p.spawnError !== undefined) throw new Error(`cannot run ${python}: ${p.spawnError.message}`);
        if (p.timedOut) throw new Error(`SCIP ignored its time limit and was killed after ${task.timeLimitSec + grace} s`);
        if (p.code !== 0) throw new Error(`SCIP driver exit ${String(p.code)}: ${errorLine(p.stderr) || lastLine(p.stdout)}`);
        return parseScipOutput(p.stdout.trim().split('\n').pop() ?? '', task.instance);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The driver's JSON line → an answer. SCIP's dual bound is on Σ gains: the value bound adds
 * Σ reserves, rounded down after a 10⁻⁶ relative tolerance (only a claim; the harness
 * cross-checks it against every verified value).
 */
export function parseScipOutput(line: string, instance: Parameters<typeof compileMarket>[0]): RunnerAnswer {
  const o = JSON.parse(line) as { status: string; winners: string[]; bound: number | null; ms: number; trace?: [number, number][] };
  const winners = o.winners.map((name) => {
    const m = /^x([0-9]+)$/.exec(name);
    const bid = m === null ? undefined : instance.bids[Number(m[1])];
    return bid === undefined ? `<scip:${name}>` : bid.id;
  });
  const status = o.status === 'optimal' ? 'optimal' : winners.length > 0 || o.status === 'timelimit' ? 'feasible' : 'none';
  const bound = o.bound === null || !Number.isFinite(o.bound) ? null : BigInt(Math.floor(o.bound + 1e-6 * Math.max(1, Math.abs(o.bound)))) + compileMarket(instance).reserveTotal;
  const trace = o.trace === undefined ? undefined : scipTrace(o.trace, compileMarket(instance).reserveTotal);
  return { status, winners, solverMs: Math.round(o.ms), ...(status === 'optimal' || bound === null ? {} : { bound }), ...(trace === undefined ? {} : { trace }) };
}

/**
 * The driver's `[ms, objective]` pairs → trace points: value = objective (Σ gains, a float as
 * SCIP reports it) + Σ reserves; only improvements are kept (SCIP can report an equal one).
 */
export function scipTrace(points: readonly (readonly [number, number])[], reserveTotal: bigint): TracePoint[] {
  const out: TracePoint[] = [];
  for (const [ms, objective] of points) {
    if (!Number.isFinite(ms) || !Number.isFinite(objective)) continue;
    const value = objective + Number(reserveTotal);
    const last = out[out.length - 1];
    if (last === undefined || value > (last.value as number)) out.push({ ms: Math.round(ms), value });
  }
  return out;
}
