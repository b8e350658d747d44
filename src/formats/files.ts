/** Reading instances and allocations from files, and writing instances as text. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError, UsageError, describeValue } from '../model/errors.js';
import type { Allocation, Certificate, Instance } from '../model/types.js';
import { parseCertificateJson } from './certificate.js';
import { instanceToCats, parseCats } from './cats.js';
import { instanceToJson, parseAllocationJson, parseInstanceJson } from './json.js';

/** Text formats of an instance: docs/DESIGN.md §2 JSON, or CATS (read: any dialect; write: v2). */
export type InstanceFormat = 'json' | 'cats';

/** Instance formats, for option parsers. */
export const INSTANCE_FORMATS: readonly InstanceFormat[] = ['json', 'cats'];

/** The format a file name implies: `.json` (any case) → json, anything else → cats. */
export function formatOfPath(path: string): InstanceFormat {
  return extname(path).toLowerCase() === '.json' ? 'json' : 'cats';
}

/**
 * Parses instance text in the given format.
 *
 * @param source - file name for error messages. Default: none.
 * @throws {InputError} on malformed input; {@link UsageError} on an unknown format.
 */
export function parseInstanceText(text: string, format: InstanceFormat, source?: string): Instance {
  checkFormat(format);
  return format === 'json' ? parseInstanceJson(text, source) : parseCats(text, source);
}

/**
 * Reads an instance file. The format defaults by extension (`.json` → json, else cats).
 *
 * @throws {InputError} naming the file and the OS reason ("no such file", …) when it cannot be
 *   read, or the file, position and rule when it is malformed.
 */
export async function readInstanceFile(path: string, format?: InstanceFormat): Promise<Instance> {
  const text = await readText(path);
  return parseInstanceText(text, format ?? formatOfPath(path), path);
}

/**
 * Reads an allocation JSON file `{ "winners": [...] }` (winners neither deduplicated nor
 * sorted).
 *
 * @throws {InputError} naming the file and the OS reason, or the position and rule.
 */
export async function readAllocationFile(path: string): Promise<Allocation> {
  return parseAllocationJson(await readText(path), path);
}

/**
 * Reads a certificate JSON file for `instance` (prices in its units).
 *
 * @throws {InputError} naming the file and the OS reason, or the field and rule.
 */
export async function readCertificateFile(path: string, instance: Instance): Promise<Certificate> {
  return parseCertificateJson(await readText(path), instance, path);
}

/**
 * Writes an instance as text: JSON ({@link instanceToJson}) or CATS v2
 * ({@link instanceToCats}).
 *
 * @throws {UsageError} on an unknown format.
 */
export function writeInstance(instance: Instance, format: InstanceFormat): string {
  checkFormat(format);
  return format === 'json' ? instanceToJson(instance) : instanceToCats(instance);
}

function checkFormat(format: unknown): asserts format is InstanceFormat {
  if (format !== 'json' && format !== 'cats') {
    throw new UsageError(`unknown instance format ${describeValue(format)}: expected "json" or "cats"`);
  }
}

const OS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a component of the path is not a directory',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** The OS reason of a failed file operation, in words ("no such file"), else its message. */
export function osReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return (typeof code === 'string' ? OS_REASONS[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
}

/** Reads a UTF-8 file; OS failures become an InputError naming the file and the reason. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new InputError({ source: path, rule: `cannot read file: ${osReason(error)}` }, { cause: error });
  }
}
