/** `bundle-auction lottery ROUND.json --seed HEX`: one lottery round of execution tickets. */
import { InvalidArgumentError, type Command } from 'commander';
import { readText } from '../formats/files.js';
import { seedBytes } from '../mechanism/draw.js';
import { runLottery } from '../mechanism/lottery.js';
import { parseRoundJson, roundResultToJson } from '../mechanism/round-json.js';
import type { RoundResult } from '../mechanism/types.js';
import { DEFAULT_TIME_LIMIT_SEC, SOLVE_METHODS, type SolveMethod } from '../solver/solve.js';
import { oneOf, parseSeconds } from './args.js';
import type { Io } from './io.js';
import { table } from './table.js';

interface LotteryFlags {
  readonly seed: string;
  readonly json?: boolean;
  readonly method: SolveMethod;
  readonly timeLimit: number;
}

/** Registers `lottery`. */
export function lotteryCommand(program: Command, io: Io): void {
  program
    .command('lottery')
    .description('run one lottery round of execution tickets: winners, bid-weighted draw, refunds, payouts, burn, next price')
    .argument('<round>', 'round JSON: {"rollups", "tickets", "price", "cap", "burnBps", "payoutRule", "pricing"?}')
    .requiredOption('--seed <hex>', 'public randomness (hex, e.g. a beacon output): the draw is reproducible from it', parseSeed)
    .option('--method <method>', `winner determination: ${SOLVE_METHODS.join('|')}`, oneOf(SOLVE_METHODS), 'auto')
    .option('--time-limit <seconds>', 'winner determination time limit', parseSeconds, DEFAULT_TIME_LIMIT_SEC)
    .option('--json', 'print one JSON object on stdout')
    .action(async (file: string, flags: LotteryFlags) => {
      const round = parseRoundJson(await readText(file), file);
      const result = await runLottery(round, { seed: flags.seed, solve: { method: flags.method, timeLimit: flags.timeLimit } });
      io.stdout(flags.json === true ? `${roundResultToJson(result)}\n` : lotteryText(result));
    });
}

function parseSeed(value: string): string {
  try {
    seedBytes(value);
  } catch {
    throw new InvalidArgumentError(`expected an even number of hex digits, got ${JSON.stringify(value)}`);
  }
  return value;
}

function lotteryText(r: RoundResult): string {
  const n = (v: bigint): string => v.toString();
  const out: string[] = [];
  out.push(`Winning bundles (${r.status === 'optimal' ? 'proven optimal' : 'best found'})`);
  out.push(r.winners.length === 0 ? '  none' : table(
    ['bundle', 'tickets', 'paid', 'proposer'],
    r.winners.map((w) => [w.bundle.join(' '), w.tickets.join(' '), n(w.paid), `${w.proposerHolder} (ticket ${w.proposer})`]),
    [false, false, true, false],
  ));
  out.push('', 'Refunds (losing tickets, in full)');
  out.push(r.refunds.length === 0 ? '  none' : table(['ticket', 'amount'], r.refunds.map((x) => [x.ticket, n(x.amount)]), [false, true]));
  out.push('', 'Payouts');
  const self = new Set(r.selfSequenced);
  out.push(table(['rollup', 'amount', 'note'], r.payouts.map((p) => [p.rollup, n(p.amount), self.has(p.rollup) ? 'self-sequenced' : '']), [false, true, false]));
  out.push('');
  out.push(`burned      ${n(r.burned)}`);
  out.push(`next price  ${n(r.nextPrice)}`);
  out.push(`digest      ${r.digest}  (sha256 of the canonical result)`);
  if (r.draw !== undefined) out.push(`draw        seed ${r.draw.seed}; ${r.draw.bundles.map((b) => `${b.key}: u=${b.value} of T=${b.total}, ${b.rejections} rejected`).join('; ')}`);
  return `${out.join('\n')}\n`;
}
