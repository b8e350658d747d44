/**
 * Process-level V8 tuning for short-lived solver processes. HiGHS is a large wasm module: by
 * default V8 starts recompiling hot functions with its optimising compiler after a small
 * budget, and on a machine with about one core that background compilation competes with the
 * solve itself. A larger tiering budget keeps short solves on the baseline compiler (2–3×
 * faster cold solves on the CATS corpus, measured in BENCHMARKS.md) while long solves still
 * tier up. The CLI applies it; long-running embedders are better served by V8's default.
 */
import v8 from 'node:v8';

/** Budget (V8's rough "bytes executed" before a wasm function tiers up); V8's default is 1.8e6. */
export const CLI_WASM_TIERING_BUDGET = 200_000_000;

/**
 * Raises V8's wasm tiering budget for this process, unless node was started with an explicit
 * wasm tiering flag. Call it before the first solve (the flag applies to wasm compiled later).
 */
export function delayWasmTierUp(budget: number = CLI_WASM_TIERING_BUDGET): void {
  const explicit = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].some((a) => /^--(?:wasm-tiering-budget|liftoff-only|no-liftoff|no-wasm-tier-up)/.test(a));
  if (!explicit) v8.setFlagsFromString(`--wasm-tiering-budget=${Math.max(1, Math.floor(budget))}`);
}
