/**
 * Bench instances: generated (`family × size × seed`) or read from corpus files, each written
 * once as instance JSON into the work directory so that every runner reads the same file.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { readInstanceFile } from '../formats/files.js';
import { instanceToJson } from '../formats/json.js';
import { InputError, UsageError } from '../model/errors.js';
import { compareIds } from '../model/order.js';
import type { Instance } from '../model/types.js';
import type { GeneratorFamily } from '../generators/index.js';

/** A generated instance: `generateInstance(family, { rollups, bids, seed })`. */
export interface GeneratedSpec {
  readonly kind: 'generated';
  readonly family: GeneratorFamily;
  readonly rollups: number;
  readonly bids: number;
  readonly seed: number;
}

/** An instance file (JSON or CATS, by extension). */
export interface FileSpec {
  readonly kind: 'file';
  readonly path: string;
  /** Group shown in the report. Default: the file's directory relative to the working directory. */
  readonly group?: string;
}

/** Where a bench instance comes from. */
export type InstanceSpec = GeneratedSpec | FileSpec;

/** An instance ready to run. */
export interface BenchInstance {
  /** Unique id, e.g. `rollup-market/100x500/seed-1` or `corpus/cats/paths_40.txt`. */
  readonly id: string;
  /** Report group: `rollup-market 100x500`, or the corpus directory. */
  readonly group: string;
  /** Row label inside the group: `seed 1`, or the file name. */
  readonly name: string;
  /** `generated` or the original file path. */
  readonly source: string;
  /** The instance JSON every runner reads. */
  readonly file: string;
  readonly instance: Instance;
}

/** A size `RxB`: rollups × bids. */
export interface BenchSize {
  readonly rollups: number;
  readonly bids: number;
}

/** Parses `100x500` (also `100×500`). */
export function parseSize(text: string): BenchSize {
  const m = /^\s*([1-9][0-9]*)\s*[x×X]\s*([1-9][0-9]*)\s*$/.exec(text);
  if (m === null) throw new UsageError(`bad size ${JSON.stringify(text)}: expected ROLLUPSxBIDS, e.g. 100x500`);
  return { rollups: Number(m[1]), bids: Number(m[2]) };
}

/**
 * Parses a seed list: comma-separated seeds and inclusive ranges, `1,2,5` or `1-3` (= 1,2,3).
 * A single number is that one seed. Order kept, repeats dropped.
 */
export function parseSeeds(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(part);
    const lo = m === null ? NaN : Number(m[1]);
    const hi = m === null ? NaN : m[2] === undefined ? lo : Number(m[2]);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo || hi - lo > 10_000) {
      throw new UsageError(`bad seed ${JSON.stringify(part)}: expected a non-negative integer or a range like 1-3`);
    }
    for (let s = lo; s <= hi; s++) if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new UsageError('no seeds given');
  return out;
}

/** `families × sizes × seeds`, in that nesting order. Unknown families are a usage error. */
export async function generatedSpecs(families: readonly string[], sizes: readonly BenchSize[], seeds: readonly number[]): Promise<GeneratedSpec[]> {
  return pairSpecs(families.flatMap((family) => sizes.map((size) => ({ family, size }))), seeds);
}

/** `pairs × seeds`, in that nesting order (each (family, size) with every seed). Unknown families are a usage error. */
export async function pairSpecs(pairs: readonly { readonly family: string; readonly size: BenchSize }[], seeds: readonly number[]): Promise<GeneratedSpec[]> {
  if (pairs.length === 0) return [];
  const { GENERATOR_FAMILIES } = await generators();
  return pairs.flatMap((pair) => {
    const family = GENERATOR_FAMILIES.find((g) => g === pair.family);
    if (family === undefined) throw new UsageError(`unknown family ${JSON.stringify(pair.family)}: expected one of ${GENERATOR_FAMILIES.join(', ')}`);
    return seeds.map((seed): GeneratedSpec => ({ kind: 'generated', family, ...pair.size, seed }));
  });
}

/** Extensions a corpus directory contributes. */
const INSTANCE_EXTENSIONS = /\.(txt|cats|json)$/i;

/**
 * Expands a corpus argument into file specs, in natural name order: a file; a directory (its
 * `*.txt`, `*.cats` and `*.json` files, not recursive); or a pattern with `*` / `?` in its last
 * path component (`corpus/sandholm/Decay*`).
 *
 * @throws {InputError} when nothing matches or the path cannot be read.
 */
export async function expandCorpus(arg: string): Promise<FileSpec[]> {
  const fail = (rule: string): never => {
    throw new InputError({ source: arg, rule });
  };
  let files: string[];
  if (/[*?]/.test(basename(arg))) {
    if (/[*?]/.test(dirname(arg))) fail('wildcards are allowed only in the last path component');
    const re = new RegExp(`^${basename(arg).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    const dir = dirname(arg);
    const names = await readdir(dir).catch(() => fail(`cannot read directory ${dir}`));
    files = [];
    for (const n of names) if (re.test(n) && (await isFile(join(dir, n)))) files.push(join(dir, n));
  } else {
    const s = await stat(arg).catch(() => fail('no such file or directory'));
    if (s.isDirectory()) {
      const names = await readdir(arg);
      files = [];
      for (const n of names) if (INSTANCE_EXTENSIONS.test(n) && (await isFile(join(arg, n)))) files.push(join(arg, n));
    } else {
      files = [arg];
    }
  }
  if (files.length === 0) fail('matches no instance files');
  return files.sort((a, b) => compareIds(basename(a), basename(b))).map((path) => ({ kind: 'file' as const, path }));
}

/** The generators, loaded only when a bench generates instances. */
function generators(): Promise<typeof import('../generators/index.js')> {
  return import('../generators/index.js');
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/**
 * Builds (generates or reads) an instance and writes its JSON into `workDir`, as file
 * `<index>-<slug>.json`. Errors in a file name the file.
 */
export async function prepareInstance(spec: InstanceSpec, index: number, workDir: string): Promise<BenchInstance> {
  let instance: Instance;
  let id: string;
  let group: string;
  let name: string;
  let source: string;
  if (spec.kind === 'generated') {
    const { generateInstance } = await generators();
    instance = generateInstance(spec.family, { rollups: spec.rollups, bids: spec.bids, seed: spec.seed });
    id = `${spec.family}/${spec.rollups}x${spec.bids}/seed-${spec.seed}`;
    group = `${spec.family} ${spec.rollups}x${spec.bids}`;
    name = `seed ${spec.seed}`;
    source = 'generated';
  } else {
    instance = await readInstanceFile(spec.path);
    const rel = relative(process.cwd(), spec.path);
    const shown = (rel.startsWith('..') ? spec.path : rel).split(sep).join('/');
    id = shown;
    group = spec.group ?? (dirname(shown) === '.' ? 'files' : dirname(shown));
    name = basename(shown);
    source = spec.path;
  }
  const file = join(workDir, `${String(index).padStart(3, '0')}-${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
  await writeFile(file, instanceToJson(instance));
  return { id, group, name, source, file, instance };
}
