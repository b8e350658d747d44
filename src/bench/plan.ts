/**
 * From a preset and its overrides (the `bench` command's flags) to what {@link runBench} takes:
 * instance specs, runner specs and the time limit.
 */
import { UsageError } from '../model/errors.js';
import { expandCorpus, pairSpecs, parseSeeds, parseSize, type InstanceSpec } from './instances.js';
import { DEFAULT_RUNNERS, PRESETS, presetGenerated, presetPath, type PresetName } from './presets.js';
import { resolveRunner } from './registry.js';

/** A bench as the command line describes it: a preset, each field overridable. */
export interface BenchPlanInput {
  /** Preset name; default `quick` when neither `families` nor `corpus` is given. */
  readonly preset?: PresetName;
  readonly families?: readonly string[];
  /** `ROLLUPSxBIDS`. */
  readonly sizes?: readonly string[];
  /** Seed list (`parseSeeds`), default the preset's or `1`. */
  readonly seeds?: string;
  /** Corpus arguments (file, directory or last-component pattern). */
  readonly corpus?: readonly string[];
  /** Runner specs; `name?` keeps `name` only when it is available here. */
  readonly runners?: readonly string[];
  readonly timeLimitSec?: number;
}

/** What {@link planBench} settles on. */
export interface BenchPlan {
  readonly instances: InstanceSpec[];
  readonly runners: string[];
  readonly timeLimitSec: number;
}

/**
 * Resolves a preset and its overrides into instances, runners and a time limit. Corpus
 * arguments are expanded (files must exist); generated instances are only specified here.
 *
 * @throws {UsageError} when there are no instances, a size, seed or family is malformed.
 * @throws {InputError} when a corpus argument matches no file.
 */
export async function planBench(input: BenchPlanInput): Promise<BenchPlan> {
  const noInstances = input.families === undefined && input.corpus === undefined;
  const preset = input.preset === undefined ? (noInstances ? PRESETS.quick : undefined) : PRESETS[input.preset];
  const override = { ...(input.families === undefined ? {} : { families: input.families }), ...(input.sizes === undefined ? {} : { sizes: input.sizes }) };
  const pairs = presetGenerated(preset, override).map((p) => ({ family: p.family, size: parseSize(p.size) }));
  const seeds = parseSeeds(input.seeds ?? preset?.seeds ?? '1');
  const corpus = input.corpus ?? (preset?.corpus.map(presetPath) ?? []);
  const instances: InstanceSpec[] = [...(await pairSpecs(pairs, seeds))];
  for (const arg of corpus) instances.push(...(await expandCorpus(arg)));
  if (instances.length === 0) throw new UsageError('bench: no instances: give --families, --corpus or --preset');
  const runners = await availableRunners(input.runners ?? preset?.runners ?? DEFAULT_RUNNERS);
  return { instances, runners, timeLimitSec: input.timeLimitSec ?? preset?.timeLimitSec ?? 60 };
}

/** Drops `name?` entries whose runner is not available here (e.g. `glpk?`); keeps everything else. */
export async function availableRunners(specs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const spec of specs) {
    if (spec.endsWith('?')) {
      const name = spec.slice(0, -1);
      if ((await (await resolveRunner(name)).available()) === true) out.push(name);
    } else out.push(spec);
  }
  return out;
}
