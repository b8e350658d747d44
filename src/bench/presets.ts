/** Named bench configurations. Corpus paths are relative to the package root. */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One generated family at one size (`ROLLUPSxBIDS`), as a preset lists it. */
export interface PresetPair {
  readonly family: string;
  readonly size: string;
}

/** A named bench configuration; command-line flags override its fields. */
export interface BenchPreset {
  /** Generated families; with {@link BenchPreset.pairs}, the families the pairs name. */
  readonly families: readonly string[];
  /** `ROLLUPSxBIDS`; with {@link BenchPreset.pairs}, the sizes the pairs name. */
  readonly sizes: readonly string[];
  /**
   * Explicit (family, size) pairs, generated instead of `families × sizes` (each with every
   * seed). `--families` or `--sizes` on the command line return to a product (see
   * {@link presetGenerated}).
   */
  readonly pairs?: readonly PresetPair[];
  /** Seed list (see `parseSeeds`). */
  readonly seeds: string;
  /** Corpus arguments (file, directory or last-component pattern), relative to the package root. */
  readonly corpus: readonly string[];
  /** Runner specs; `glpk?` means glpk when it is installed (omitted otherwise). */
  readonly runners: readonly string[];
  readonly timeLimitSec: number;
}

/** Preset names. */
export const PRESET_NAMES = ['quick', 'standard', 'anytime', 'market', 'lns', 'hard', 'curves'] as const;

/** Preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The presets. `standard` (exact solving), `anytime` (heuristics at scale: value after a
 * few seconds against the MIP solvers' 60 s incumbents) and `market` (the slot budget: the
 * rollup market at 2, 5 and 12 s, our methods against SCIP and CBC with the same limits) and
 * `lns` (issue 14: `auto` and `heuristic` against SCIP and CBC at 10 s on the hard families,
 * 2 seeds; about 6 minutes here) are what BENCHMARKS.md reports. `hard` (issue 13 item 5): the
 * large exact instances, highs, bnb, CBC and SCIP at 60 s on 3 seeds of CATS arbitrary and
 * regions at 100 × 4,000 and 500 × 4,000, uniform (L3: three goods per bid, random prices) at
 * 100 × 4,000 and 500 × 2,000 and bidder-interest at 200 × 1,000 (60 runs of up to 70 s each).
 * `curves` (issue 14, value over time): the `lns` families at 60 s, seeds 1–2, plus the five
 * Lau–Goh files, `auto`, `heuristic`, SCIP and CBC (52 runs of up to 70 s each; the report's
 * value-over-time table comes from their incumbent traces).
 */
export const PRESETS: Readonly<Record<PresetName, BenchPreset>> = {
  quick: {
    families: ['bidder-interest', 'rollup-market'],
    sizes: ['20x60'],
    seeds: '1',
    corpus: ['corpus/cats/matching_40.txt', 'corpus/cats/paths_40.txt'],
    runners: ['highs', 'glpk?', 'cbc', 'heuristic'],
    timeLimitSec: 10,
  },
  standard: {
    families: ['bidder-interest', 'rollup-market'],
    sizes: ['100x500', '200x1000'],
    seeds: '1-3',
    corpus: ['corpus/cats', 'corpus/sandholm/Decay*', 'corpus/sandholm/*rand*'],
    runners: ['highs', 'glpk', 'cbc'],
    timeLimitSec: 120,
  },
  anytime: {
    families: ['bidder-interest'],
    sizes: ['1000x10000'],
    seeds: '1',
    corpus: ['corpus/lau-goh'],
    runners: ['heuristic@1', 'auto@1', 'heuristic@5', 'auto@5', 'auto@10', 'auto@60', 'highs@60', 'cbc@60'],
    timeLimitSec: 60,
  },
  market: {
    families: ['rollup-market'],
    sizes: ['300x6000', '1000x20000', '3000x60000'],
    seeds: '1-3',
    corpus: [],
    runners: ['auto@2', 'heuristic@2', 'scip@2', 'cbc@2', 'auto@5', 'heuristic@5', 'scip@5', 'cbc@5', 'auto@12', 'heuristic@12', 'scip@12', 'cbc@12'],
    timeLimitSec: 12,
  },
  lns: {
    families: ['uniform', 'arbitrary', 'regions', 'bidder-interest'],
    sizes: ['500x2000'],
    seeds: '1-2',
    corpus: [],
    runners: ['auto@10', 'heuristic@10', 'scip@10', 'cbc@10'],
    timeLimitSec: 10,
  },
  curves: {
    families: ['uniform', 'arbitrary', 'regions', 'bidder-interest'],
    sizes: ['500x2000'],
    seeds: '1-2',
    corpus: ['corpus/lau-goh'],
    runners: ['auto@60', 'heuristic@60', 'scip@60', 'cbc@60'],
    timeLimitSec: 60,
  },
  hard: fromPairs(
    [
      { family: 'arbitrary', size: '100x4000' },
      { family: 'arbitrary', size: '500x4000' },
      { family: 'regions', size: '100x4000' },
      { family: 'regions', size: '500x4000' },
      { family: 'uniform', size: '100x4000' },
      { family: 'uniform', size: '500x2000' },
      { family: 'bidder-interest', size: '200x1000' },
    ],
    { seeds: '1-3', corpus: [], runners: ['highs', 'bnb', 'cbc', 'scip'], timeLimitSec: 60 },
  ),
};

/** A preset from explicit pairs: its `families` and `sizes` are the distinct ones they name. */
function fromPairs(pairs: readonly PresetPair[], rest: Omit<BenchPreset, 'families' | 'sizes' | 'pairs'>): BenchPreset {
  const distinct = (values: string[]): string[] => [...new Set(values)];
  return { families: distinct(pairs.map((p) => p.family)), sizes: distinct(pairs.map((p) => p.size)), pairs, ...rest };
}

/**
 * The (family, size) pairs a bench generates: the preset's pairs when it has them and neither
 * `families` nor `sizes` is overridden; otherwise `families × sizes`, each taken from the
 * override when given, else from the preset (else no families, size `100x500`).
 */
export function presetGenerated(preset: BenchPreset | undefined, override: { readonly families?: readonly string[]; readonly sizes?: readonly string[] } = {}): PresetPair[] {
  if (preset?.pairs !== undefined && override.families === undefined && override.sizes === undefined) return [...preset.pairs];
  const families = override.families ?? preset?.families ?? [];
  const sizes = override.sizes ?? preset?.sizes ?? ['100x500'];
  return families.flatMap((family) => sizes.map((size) => ({ family, size })));
}

/** Runners when neither `--runners` nor a preset names them: highs, glpk when installed, cbc. */
export const DEFAULT_RUNNERS: readonly string[] = ['highs', 'glpk?', 'cbc'];

/** The package root (where `corpus/` lives in a checkout): two levels above this module (dist/bench/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Resolves a preset corpus path: relative to the working directory when it exists there, else
 * to the package root; shown relative to the working directory when inside it.
 */
export function presetPath(path: string): string {
  if (isAbsolute(path) || existsSync(path.replace(/[*?][^/]*$/, '') || '.')) return path;
  const abs = join(PACKAGE_ROOT, path);
  const rel = relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
}
