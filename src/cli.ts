#!/usr/bin/env node
/** The `bundle-auction` command. All logic lives in ./cli/; this file only wires the process. */
import { main } from './cli/main.js';
import { delayWasmTierUp } from './solver/wasm-tiering.js';

// Short CLI solves run faster when HiGHS's wasm stays on V8's baseline tier (see the module).
delayWasmTierUp();

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
});
