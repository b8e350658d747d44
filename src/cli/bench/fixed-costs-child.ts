/**
 * One cold `solve` taken apart, run as its own process by `npm run bench:fixed`
 * (`node dist/cli/bench/fixed-costs-child.js DIST FILE`): the modules are those of the build in
 * DIST (this branch's or another's), so two builds are timed by the same code. Prints one JSON line,
 * milliseconds: `bootMs` (Node's own start until this module runs), `importMs` (the modules
 * `bundle-auction solve` loads: cli/main.js and cli/solve.js), `wasmMs` (HiGHS wasm
 * instantiation), `parseMs`, `presolveMs` (compile + presolve on their own) and `solveMs` (the
 * CLI's default solve, which compiles and presolves again from the cached market).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { phaseMs } from './phases.js';

const boot = performance.now();
const [dist, file] = process.argv.slice(2);
if (dist === undefined || file === undefined) {
  process.stderr.write('usage: fixed-costs-child DIST FILE\n');
  process.exit(2);
}
const from = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(dist, path)).href)) as T;

const t0 = performance.now();
// As dist/cli.js does before anything else.
(await from<{ delayWasmTierUp: () => void }>('solver/wasm-tiering.js')).delayWasmTierUp();
await from('cli/main.js');
await from('cli/solve.js');
const imported = performance.now();
await (await from<{ loadHighs: () => Promise<unknown> }>('solver/highs.js')).loadHighs();
const wasm = performance.now();
const instance = await (await from<{ readInstanceFile: (f: string) => Promise<unknown> }>('formats/files.js')).readInstanceFile(file);
const parsed = performance.now();
const { compileMarket } = await from<{ compileMarket: (i: unknown) => unknown }>('model/market.js');
const { presolve } = await from<{ presolve: (m: unknown) => unknown }>('solver/presolve.js');
presolve(compileMarket(instance));
const presolved = performance.now();
const { solve, DEFAULT_TIME_LIMIT_SEC } = await from<{ solve: (i: unknown, o: object) => Promise<{ status: string; value: bigint }>; DEFAULT_TIME_LIMIT_SEC: number }>('solver/solve.js');
const result = await solve(instance, { method: 'auto', backend: 'highs', timeLimit: DEFAULT_TIME_LIMIT_SEC, seed: 0, workers: 1 });
const solved = performance.now();
process.stdout.write(`${JSON.stringify({
  status: result.status,
  value: result.value.toString(),
  ...phaseMs({ boot, t0, imported, wasm, parsed, presolved, solved }),
})}\n`);
