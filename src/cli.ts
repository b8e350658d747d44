#!/usr/bin/env node
/** The `bundle-auction` command. All logic lives in ./cli/; this file only wires the process. */
import { main } from './cli/main.js';
import { delayWasmTierUp } from './solver/wasm-tiering.js';

// A reader that closed its end (`… | head -1`) ends the command quietly, as `cat` and `git` do:
// exit 0, no trace, no further work for output nobody reads.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`bundle-auction: cannot write to stdout: ${error.message}\n`);
  process.exit(1);
});
process.stderr.on('error', () => undefined);

// Short CLI solves run faster when HiGHS's wasm stays on V8's baseline tier (see the module).
delayWasmTierUp();

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
});
