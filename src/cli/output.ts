/**
 * Output paths of the CLI (`--certificate FILE`, `--out DIR`): checked before the work starts,
 * so a typo in a path costs nothing, and written with one-line usage errors naming the path and
 * the OS reason (exit 2), never a stack trace.
 */
import { access, constants, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { osReason } from '../formats/files.js';
import { UsageError } from '../model/errors.js';

/** Throws a {@link UsageError} unless `path` can be created or overwritten as a file. */
export async function checkWritableFile(path: string, flag: string): Promise<void> {
  const fail = (reason: string): never => {
    throw new UsageError(`${flag} ${path}: cannot write file: ${reason}`);
  };
  const existing = await statOrError(path);
  if (existing.stats !== undefined) {
    if (existing.stats.isDirectory()) fail('is a directory, not a file');
    await access(path, constants.W_OK).catch((e: unknown) => fail(osReason(e)));
    return;
  }
  if (existing.code !== 'ENOENT') fail(existing.reason);
  await checkDirectory(dirname(resolve(path)), fail, false);
}

/** Throws a {@link UsageError} unless `dir` is (or can be created as) a writable directory. */
export async function checkWritableDirectory(dir: string, flag: string): Promise<void> {
  await checkDirectory(resolve(dir), (reason) => {
    throw new UsageError(`${flag} ${dir}: cannot write to directory: ${reason}`);
  }, true);
}

/** Writes `text` to `path`; an OS failure becomes a {@link UsageError} naming the path. */
export async function writeOutputFile(path: string, text: string, flag: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot write file: ${osReason(error)}`, {}, { cause: error });
  }
}

/** Creates `dir` (with parents) and writes the named files into it; failures as {@link writeOutputFile}. */
export async function writeOutputDirectory(dir: string, files: Readonly<Record<string, string>>, flag: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`${flag} ${dir}: cannot create directory: ${osReason(error)}`, {}, { cause: error });
  }
  for (const [name, text] of Object.entries(files)) await writeOutputFile(join(dir, name), text, flag);
}

/** A directory that exists must be writable; a missing one needs a writable existing ancestor. */
async function checkDirectory(dir: string, fail: (reason: string) => never, mayCreate: boolean): Promise<void> {
  const found = await statOrError(dir);
  if (found.stats !== undefined) {
    if (!found.stats.isDirectory()) fail(`${dir} is not a directory`);
    await access(dir, constants.W_OK | constants.X_OK).catch((e: unknown) => fail(`${dir}: ${osReason(e)}`));
    return;
  }
  if (found.code !== 'ENOENT') fail(found.reason);
  if (!mayCreate) fail(`no such directory ${dir}`);
  const parent = dirname(dir);
  if (parent === dir) fail(`no such directory ${dir}`);
  await checkDirectory(parent, fail, true);
}

async function statOrError(path: string): Promise<{ stats?: Awaited<ReturnType<typeof stat>>; code?: string; reason: string }> {
  try {
    return { stats: await stat(path), reason: '' };
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return { ...(typeof code === 'string' ? { code } : {}), reason: osReason(error) };
  }
}
