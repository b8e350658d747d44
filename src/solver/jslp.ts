/** Placeholder until the javascript-lp-solver backend lands. */
import { BackendError } from '../model/errors.js';
import type { MipBackend } from './problem.js';

export const jslpBackend: MipBackend = {
  name: 'jslp',
  solve() {
    return Promise.reject(new BackendError('jslp backend not implemented yet'));
  },
};
