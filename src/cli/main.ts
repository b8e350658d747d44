/** Builds the commander program and maps every failure to an exit code and one clear line. */
import { Command, CommanderError } from 'commander';
import { BackendError, BundleAuctionError, InputError, UsageError } from '../model/errors.js';
import { commandsFor } from './commands.js';
import type { Io } from './io.js';
import { EXIT, type RunState } from './state.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command('bundle-auction')
    .description('Combinatorial auction for rollup block-proposal rights: winner determination, verification, lottery and payouts.')
    .version(await packageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s.split('\n')[0] + '\n'),
    });
  const run: RunState = { exitCode: EXIT.ok };
  // Only the named command's module is imported (all of them for help): see commands.ts.
  for (const entry of commandsFor(argv)) await entry.register(program, io, run);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return run.exitCode;
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander already printed its one-line message.
    return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (error instanceof InputError || error instanceof UsageError) {
    io.stderr(`bundle-auction: ${oneLine(error.shortMessage)}\n`);
    return EXIT.badInput;
  }
  if (error instanceof BackendError) {
    io.stderr(`bundle-auction: ${oneLine(error.shortMessage)}\n`);
    return EXIT.backend;
  }
  const message = error instanceof BundleAuctionError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  io.stderr(`bundle-auction: internal error: ${oneLine(message)}\n`);
  if (process.env['BUNDLE_AUCTION_DEBUG'] !== undefined && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
  return EXIT.rejected;
}

/** Error messages quote input; keep them on the one line the contract promises. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
