/**
 * The bench harness as a library (`bundle-auction/bench`): compare solvers, yours among them,
 * on generated and corpus instances. Every answer is verified exactly before its time counts:
 * an infeasible allocation is `invalid`, an optimality claim or bound beaten by another runner's
 * verified value is `disagree`.
 *
 * @example Plug in your own solver and compare it with HiGHS (in this process):
 * ```ts
 * import { benchMarkdown, defineRunner, runBench } from 'bundle-auction/bench';
 *
 * const mine = defineRunner('mine', async (instance, { timeLimitSec }) => ({
 *   status: 'feasible',
 *   winners: myAllocator(instance, timeLimitSec),
 * }));
 * const report = await runBench({
 *   instances: [{ kind: 'generated', family: 'regions', rollups: 50, bids: 300, seed: 1 }],
 *   runners: ['highs', mine],
 *   timeLimitSec: 10,
 *   isolate: false, // runner objects run in this process; isolated runs take `module:<path>`
 * });
 * console.log(benchMarkdown(report));
 * ```
 *
 * Isolated runs (the default: one child process per run, killed at its cap) spawn the package's
 * built CLI (`bench-run`); a runner reaches them as a built-in name, `command:<shell command>` or
 * `module:<path>` (an ES module whose default export is a {@link BenchRunner}).
 */
export type { BenchRunner, BenchTask, RunnerAnswer, RunObservation, TracePoint } from './types.js';
export { DEFAULT_GRACE_SEC, runBench, verifyAnswer, type BenchEvent, type BenchOptions, type BenchReport, type BenchRun, type RunCheck, type RunOutcome } from './harness.js';
export { BUILTIN_RUNNERS, registerRunner, resolveRunner, unregisterRunner, type RunnerFactory } from './registry.js';
export { commandRunner, defineRunner, moduleRunner, parseCommandOutput, type DefineRunnerOptions, type RunnerLimits } from './external.js';
export { solveRunner } from './ours.js';
export { cbcRunner, parseCbcTrace, type CbcRunnerOptions } from './cbc.js';
export { bestAt, CURVE_SECONDS, curveRows, curveSeconds, type CurveRow } from './curves.js';
export { scipRunner, scipTrace, type ScipRunnerOptions } from './scip.js';
export { expandCorpus, generatedSpecs, pairSpecs, parseSeeds, parseSize, type BenchInstance, type BenchSize, type FileSpec, type GeneratedSpec, type InstanceSpec } from './instances.js';
export { PRESET_NAMES, PRESETS, presetGenerated, type BenchPreset, type PresetName, type PresetPair } from './presets.js';
export { availableRunners, planBench, type BenchPlan, type BenchPlanInput } from './plan.js';
export { benchJson, benchMarkdown, summarize, type Comparison, type GroupSummary, type RunnerSummary } from './report.js';
