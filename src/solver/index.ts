export * from './solve.js';
export * from './problem.js';
export { getBackend, BACKEND_NAMES } from './backends.js';
export { presolve, type Presolved, type PresolveOptions } from './presolve.js';
export { SAFE_BITS, MAX_REFINEMENTS, type ComponentMode } from './component.js';
export { ENUMERATION_LIMIT } from './enumerate.js';
export { loadHighs } from './highs.js';
