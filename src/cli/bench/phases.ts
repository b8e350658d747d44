/** The phase split the cold-solve probes print (`profile-child`, `fixed-costs-child`). */

/** `performance.now()` marks of one cold solve, in the order they are taken. */
export interface PhaseMarks {
  /** When the probe module started running (Node's own start before it). */
  readonly boot: number;
  readonly t0: number;
  readonly imported: number;
  readonly wasm: number;
  readonly parsed: number;
  readonly presolved: number;
  readonly solved: number;
}

/** Milliseconds per phase, to 0.1 ms: boot, imports, wasm instantiation, parse, presolve, solve. */
export function phaseMs(m: PhaseMarks): Record<'bootMs' | 'importMs' | 'wasmMs' | 'parseMs' | 'presolveMs' | 'solveMs', number> {
  const ms = (v: number): number => Math.round(v * 10) / 10;
  return {
    bootMs: ms(m.boot),
    importMs: ms(m.imported - m.t0),
    wasmMs: ms(m.wasm - m.imported),
    parseMs: ms(m.parsed - m.wasm),
    presolveMs: ms(m.presolved - m.parsed),
    solveMs: ms(m.solved - m.presolved),
  };
}
