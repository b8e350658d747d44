/** Named bench configurations. Corpus paths are relative to the package root. */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A named bench configuration; command-line flags override its fields. */
export interface BenchPreset {
  readonly families: readonly string[];
  /** `ROLLUPSxBIDS`. */
  readonly sizes: readonly string[];
  /** Seed list (see `parseSeeds`). */
  readonly seeds: string;
  /** Corpus arguments (file, directory or last-component pattern), relative to the package root. */
  readonly corpus: readonly string[];
  /** Runner specs; `glpk?` means glpk when it is installed (omitted otherwise). */
  readonly runners: readonly string[];
  readonly timeLimitSec: number;
}

/** Preset names. */
export const PRESET_NAMES = ['quick', 'standard', 'anytime', 'market', 'lns'] as const;

/** Preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The presets. `standard` (exact solving), `anytime` (heuristics at scale: value after a
 * few seconds against the MIP solvers' 60 s incumbents) and `market` (the slot budget: the
 * rollup market at 2, 5 and 12 s, our methods against SCIP and CBC with the same limits) and
 * `lns` (issue 14: `auto` and `heuristic` against SCIP and CBC at 10 s on the hard families,
 * 2 seeds; about 6 minutes here) are what BENCHMARKS.md reports.
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
};

/** Runners when neither `--runners` nor a preset names them: highs, glpk when installed, cbc. */
export const DEFAULT_RUNNERS: readonly string[] = ['highs', 'glpk?', 'cbc'];

/** The package root (where `corpus/` lives in a checkout): three levels above this module. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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
