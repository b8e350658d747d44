/**
 * The child side of an isolated run (the CLI's hidden `bench-run`): read the instance, resolve
 * the runner, run the task once or twice, print one tagged line per run.
 */
import { readInstanceFile } from '../formats/files.js';
import { executeTask, LINE_TAG } from './child.js';
import { keepSubprocessesInGroup } from './process.js';
import { resolveRunner } from './registry.js';

/** One isolated run, as the parent describes it on the child's command line. */
export interface BenchRunRequest {
  readonly runner: string;
  readonly instanceFile: string;
  readonly timeLimitSec: number;
  readonly seed: number;
  readonly warm: boolean;
}

/**
 * Runs one task in this process, which the parent kills as a whole at its cap (so solver
 * subprocesses stay in this process group). Each result goes to `write` as a tagged line.
 */
export async function benchRunChild(request: BenchRunRequest, write: (text: string) => void): Promise<void> {
  keepSubprocessesInGroup();
  const instance = await readInstanceFile(request.instanceFile);
  const runner = await resolveRunner(request.runner);
  const task = { instanceFile: request.instanceFile, instance, timeLimitSec: request.timeLimitSec, seed: request.seed };
  await executeTask(runner, task, request.warm, (line) => write(`${LINE_TAG}${JSON.stringify(line)}\n`));
}
