export * from './solve.js';
export * from './problem.js';
export { getBackend, BACKEND_NAMES } from './backends.js';
export { presolve, type Presolved, type PresolveOptions } from './presolve.js';
export { SAFE_BITS, MAX_REFINEMENTS, MIP_MARGIN_SEC, AUTO_LP_SHARE, AUTO_MIP_GAP, AUTO_MIP_MIN_SEC, AUTO_SEARCH_SHARE, AUTO_SEARCH_MS_PER_BID, INSERTION_SHARE, LOCAL_SEARCH_MS, LAGRANGIAN_SHARE, AUTO_MIP_MS_PER_COLUMN, AUTO_RACE_MIN_COLUMNS, type ComponentMode } from './component.js';
export { lagrangianBound, keepAbove, LAGRANGIAN_ITERATIONS, type LagrangianBound, type LagrangianOptions } from './lagrangian.js';
export { ENUMERATION_LIMIT } from './enumerate.js';
export { loadHighs } from './highs.js';
