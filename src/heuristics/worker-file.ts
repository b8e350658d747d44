/** Locating compiled worker modules (piscina needs a JavaScript file, also under vitest). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../model/errors.js';

/**
 * The compiled worker module `name` (e.g. `heuristics/portfolio-worker.js`): beside the caller
 * in dist/, or in dist/ when the caller runs from src/ (`here` is the caller's import.meta.url,
 * which must sit one directory below src/ or dist/).
 *
 * @throws {BackendError} when the file is missing (the package was not built).
 */
export function workerFile(here: string, name: string): string {
  const url = new URL(here.endsWith('.ts') ? `../../dist/${name}` : `../${name}`, here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new BackendError(`worker module not found at ${path}: run npm run build`);
  return path;
}
