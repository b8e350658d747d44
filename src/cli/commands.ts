/**
 * The CLI's commands, declared cheaply: each entry names its commands and imports its module only
 * when registered. `bundle-auction solve …` thus loads solve's module graph alone, not the node's
 * (fastify, viem, better-sqlite3, pg) nor the bench harness's; help, an unknown command or
 * `help CMD` register every command, in this order, as before.
 */
import type { Command } from 'commander';
import type { Io } from './io.js';
import type { RunState } from './state.js';

/** One command module: the names it registers and how to register them (imported on demand). */
export interface CommandEntry {
  /** Command names the module registers (hidden ones included). */
  readonly names: readonly string[];
  /** Imports the module and adds its commands to `program`. */
  readonly register: (program: Command, io: Io, run: RunState) => Promise<void>;
}

/** Every command module, in help order. */
export const COMMANDS: readonly CommandEntry[] = [
  { names: ['solve'], register: async (p, io, run) => (await import('./solve.js')).solveCommand(p, io, run) },
  { names: ['bench'], register: async (p, io) => (await import('./bench.js')).benchCommand(p, io) },
  { names: ['bench-run'], register: async (p, io) => (await import('./bench.js')).benchRunCommand(p, io) },
  { names: ['generate'], register: async (p, io) => (await import('./generate.js')).generateCommand(p, io) },
  { names: ['demo'], register: async (p, io) => (await import('./demo.js')).demoCommand(p, io) },
  { names: ['lottery'], register: async (p, io) => (await import('./lottery.js')).lotteryCommand(p, io) },
  { names: ['simulate'], register: async (p, io) => (await import('./simulate.js')).simulateCommand(p, io) },
  { names: ['verify'], register: async (p, io, run) => (await import('./verify.js')).verifyCommand(p, io, run) },
  { names: ['serve'], register: async (p, io) => (await import('./serve.js')).serveCommand(p, io) },
  { names: ['bid', 'challenge', 'result'], register: async (p, io, run) => (await import('./market-client.js')).marketClientCommands(p, io, run) },
];

/**
 * The entries to register for `argv`: the one module of the command it starts with, or all of
 * them otherwise (no arguments, help, version, an unknown command, `help CMD`, a program option
 * before the command such as `--help solve`, whose listing names every command).
 */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const first = argv[0];
  const entry = first === undefined ? undefined : COMMANDS.find((e) => e.names.includes(first));
  return entry === undefined ? COMMANDS : [entry];
}
