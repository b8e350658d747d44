/** Registry of MIP backends; optional ones are imported only when asked for. */
import { BackendError, UsageError } from '../model/errors.js';
import { resolvePackage } from './backend-worker.js';
import { highsBackend } from './highs.js';
import type { BackendName, MipBackend } from './problem.js';

/** Backend names accepted by `--backend`. */
export const BACKEND_NAMES: readonly BackendName[] = ['highs', 'glpk', 'jslp', 'bnb'];

/** What to do when the optional glpk.js is missing. */
export const GLPK_MISSING_HINT = 'the glpk backend needs glpk.js, an optional peer dependency (GPL-3.0, not installed by default): npm install glpk.js';

/**
 * Resolves a backend by name. glpk.js is an optional peer dependency (GPL-3.0): asking for it
 * when it is not installed throws a {@link BackendError} saying how to install it (CLI exit 3).
 */
export async function getBackend(name: string): Promise<MipBackend> {
  switch (name) {
    case 'highs':
      return highsBackend;
    case 'glpk':
      resolvePackage('glpk.js/node', GLPK_MISSING_HINT);
      return loadOptional('glpk', () => import('./glpk.js').then((m) => m.glpkBackend));
    case 'jslp':
      return loadOptional('jslp', () => import('./jslp.js').then((m) => m.jslpBackend));
    case 'bnb':
      return import('./bnb.js').then((m) => m.bnbBackend);
    default:
      throw new UsageError(`unknown backend ${JSON.stringify(name)}: expected one of ${BACKEND_NAMES.join(', ')}`);
  }
}

async function loadOptional(name: string, load: () => Promise<MipBackend>): Promise<MipBackend> {
  try {
    return await load();
  } catch (cause) {
    throw new BackendError(`backend ${name} is not available: ${cause instanceof Error ? cause.message : String(cause)}`, {}, { cause });
  }
}
