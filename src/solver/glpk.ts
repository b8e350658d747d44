/** Placeholder until the glpk.js backend lands. */
import { BackendError } from '../model/errors.js';
import type { MipBackend } from './problem.js';

export const glpkBackend: MipBackend = {
  name: 'glpk',
  solve() {
    return Promise.reject(new BackendError('glpk backend not implemented yet'));
  },
};
