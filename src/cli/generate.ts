/** `bundle-auction generate`. */
import type { Command } from 'commander';
import { instanceToCats } from '../formats/cats.js';
import { instanceToJson } from '../formats/json.js';
import { GENERATOR_FAMILIES, generateInstance, type GeneratorFamily } from '../generators/index.js';
import { oneOf, parseNat, parsePositive } from './args.js';
import type { Io } from './io.js';

interface GenerateFlags {
  readonly family: GeneratorFamily;
  readonly rollups: number;
  readonly bids: number;
  readonly seed: number;
  readonly slot: number;
  readonly format: 'json' | 'cats';
}

/** Registers `generate`. */
export function generateCommand(program: Command, io: Io): void {
  program
    .command('generate')
    .description('write a generated instance to stdout (same seed, same file)')
    .requiredOption('--family <name>', `instance family: ${GENERATOR_FAMILIES.join(', ')}`, oneOf(GENERATOR_FAMILIES))
    .requiredOption('--rollups <n>', 'number of rollups (goods)', parsePositive)
    .requiredOption('--bids <m>', 'number of bids', parsePositive)
    .option('--seed <s>', 'random seed', parseNat, 0)
    .option('--slot <k>', 'slot number (rollup-market: realised MEV spikes per slot)', parseNat, 0)
    .option('--format <format>', 'json or cats', oneOf(['json', 'cats'] as const), 'json')
    .action((flags: GenerateFlags) => {
      const instance = generateInstance(flags.family, { rollups: flags.rollups, bids: flags.bids, seed: flags.seed, slot: flags.slot });
      io.stdout(flags.format === 'json' ? instanceToJson(instance) : instanceToCats(instance));
    });
}
