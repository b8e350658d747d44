/**
 * One profiled exact solve, run as its own process by `npm run bench:profile`
 * (`node dist/cli/bench/profile-child.js FILE SECONDS`): prints one JSON line with where the
 * time went, in milliseconds since this process started (Node's time origin): boot (until this
 * module runs), module imports, HiGHS wasm instantiation, parse, compile + presolve (measured on
 * their own, then again inside the solve), the solve, and inside it the HiGHS LP relaxations and
 * MIP runs with their branch-and-bound nodes and simplex iterations ({@link highsCounters}).
 */
import { phaseMs } from './phases.js';

const boot = performance.now();

const [file, seconds] = process.argv.slice(2);
if (file === undefined || seconds === undefined || !(Number(seconds) > 0)) {
  process.stderr.write('usage: profile-child FILE SECONDS\n');
  process.exit(2);
}
const t0 = performance.now();
const { readInstanceFile } = await import('../../formats/files.js');
const { compileMarket } = await import('../../model/market.js');
const { presolve } = await import('../../solver/presolve.js');
const { solve } = await import('../../solver/solve.js');
const { highsCounters, loadHighs } = await import('../../solver/highs.js');
const imported = performance.now();
await loadHighs();
const wasm = performance.now();
const instance = await readInstanceFile(file);
const parsed = performance.now();
const reduced = presolve(compileMarket(instance));
const presolved = performance.now();
const result = await solve(instance, { method: 'exact', timeLimit: Number(seconds) });
const solved = performance.now();
const ms = (v: number): number => Math.round(v * 10) / 10;
process.stdout.write(`${JSON.stringify({
  status: result.status,
  value: result.value.toString(),
  bound: result.bound?.toString() ?? null,
  bids: instance.bids.length,
  rollups: instance.rollups.length,
  components: reduced.components.length,
  largestComponent: Math.max(0, ...reduced.components.map((c) => c.length)),
  removed: reduced.removedNonPositive + reduced.removedDominated,
  ...phaseMs({ boot, t0, imported, wasm, parsed, presolved, solved }),
  lpRuns: highsCounters.lpRuns,
  lpMs: ms(highsCounters.lpMs),
  mipRuns: highsCounters.mipRuns,
  mipMs: ms(highsCounters.mipMs),
  nodes: highsCounters.nodes,
  lpIterations: highsCounters.lpIterations,
})}\n`);
