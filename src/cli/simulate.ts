/** `bundle-auction simulate`: a multi-slot market under four mechanisms, compared on the same slots. */
import { type Command, InvalidArgumentError } from 'commander';
import { PAYMENT_RULES, type PaymentRule } from '../mechanism/payments.js';
import { DEFAULT_PAYOUT_RULE, PAYOUT_RULES } from '../mechanism/payouts.js';
import { TICKET_MODELS, type TicketModel } from '../simulation/tickets.js';
import type { SweepAxisValues } from '../simulation/sweep.js';
import type { SimulationOptions } from '../simulation/types.js';
import { ratio } from '../simulation/report.js';
import { reportHtml } from '../simulation/html-report.js';
import {
  SIMULATION_MECHANISMS, pricePathSvg, revenueSvg, rollupsCsv, scheduleCsv, simulate, simulationJson, slotsCsv, summaryJson,
  type SimulatedMechanism, type Simulation,
} from '../simulation/index.js';
import type { PayoutRule } from '../mechanism/types.js';
import { SWEEP_PRESETS } from '../simulation/presets.js';
import { SWEEP_AXES } from '../simulation/sweep.js';
import { listOf, oneOf, parseNat, parsePositive, parseSeconds } from './args.js';
import type { Io } from './io.js';
import { checkWritableDirectory, writeOutputDirectory } from './output.js';
import { seconds, StatusLine } from './progress.js';
import { formatEth, table } from './table.js';
import { parseSweepAxis, runSweepCommand, sweepSpec } from './simulate-sweep.js';

interface SimulateFlags {
  readonly slots: number;
  readonly rollups: number;
  readonly bidders?: number;
  readonly seed: number;
  readonly out?: string;
  readonly mechanisms?: SimulatedMechanism[];
  readonly burnBps: number;
  readonly payoutRule: PayoutRule;
  readonly shillMarkupBps: number;
  readonly cap?: number;
  readonly price?: bigint;
  readonly timeLimit: number;
  readonly lotteryWindow: number;
  readonly json?: boolean;
  readonly paymentRule: PaymentRule;
  readonly ticketModel: TicketModel;
  readonly refuserShareBps: number;
  readonly shadeBps: number;
  readonly seeds?: number;
  readonly sweep?: SweepAxisValues[];
  readonly preset?: string;
  readonly workers: number;
}

/** Files written by `simulate --out DIR`. */
export const SIMULATION_FILES = ['simulation.json', 'slots.csv', 'rollups.csv', 'schedule.csv', 'price-path.svg', 'revenue.svg', 'report.html'] as const;

/** Registers `simulate`. */
export function simulateCommand(program: Command, io: Io): void {
  program
    .command('simulate')
    .description('simulate a multi-slot rollup market under isolated sequencing, the strawman, the combinatorial auction and the lottery')
    .option('--slots <n>', 'slots to simulate', parsePositive, 50)
    .option('--rollups <n>', 'rollups in the market (≥ 3)', parsePositive, 8)
    .option('--bidders <n>', 'builders, 3–40, 10 bids each per slot (default: rollups, within 3–40)', parsePositive)
    .option('--seed <s>', 'seed of the market, bids and draws', parseNat, 1)
    .option('--out <dir>', `write ${SIMULATION_FILES.join(', ')} to this directory`)
    .option('--mechanisms <list>', `comma-separated, any of ${SIMULATION_MECHANISMS.join(',')} (default: all)`, listOf(oneOf(SIMULATION_MECHANISMS)))
    .option('--burn-bps <bps>', 'burned share of auction and lottery payments (0–10000)', parseBps, 0)
    .option('--payout-rule <rule>', `split of a bundle's payment: ${PAYOUT_RULES.join('|')}`, oneOf(PAYOUT_RULES), DEFAULT_PAYOUT_RULE)
    .option('--shill-markup-bps <bps>', "shill's self-bid as a multiple of its standalone value, in bps (10000 = at value)", parseNat, 30_000)
    .option('--cap <k>', 'lottery: tickets per slot (default 2 × rollups)', parsePositive)
    .option('--price <wei>', 'lottery: starting ticket price per rollup in wei (default 10^15)', parseWei)
    .option('--lottery-window <slots>', 'lottery: run the sale and draw once per this many slots (tickets valid for the window)', parsePositive, 1)
    .option('--time-limit <seconds>', 'winner-determination limit per slot', parseSeconds, 2)
    .option('--payment-rule <rule>', `auction: what winners pay, ${PAYMENT_RULES.join('|')}`, oneOf(PAYMENT_RULES), 'pay-as-bid')
    .option('--ticket-model <model>', `lottery: how builders buy tickets, ${TICKET_MODELS.join('|')}`, oneOf(TICKET_MODELS), 'bids')
    .option('--refuser-share-bps <bps>', 'share of builders refusing one rollup (0–10000)', parseBps, 5_000)
    .option('--shade-bps <bps>', 'auction: builder-01 bids this share of its values (0–10000)', parseBps, 10_000)
    .option('--seeds <n>', 'sweep: markets (seeds 1..n) per grid point (default 10)', parsePositive)
    .option('--sweep <axis=values>', `sweep an axis (repeatable): ${Object.keys(SWEEP_AXES).join(', ')}`, parseSweepAxis)
    .option('--preset <name>', `sweep preset: ${Object.keys(SWEEP_PRESETS).join(', ')}`)
    .option('--workers <n>', 'sweep: worker threads (1 = this thread)', parsePositive, 1)
    .option('--json', 'print the summary JSON on stdout')
    .action(async (flags: SimulateFlags, command: Command) => {
      if (flags.out !== undefined) await checkWritableDirectory(flags.out, '--out');
      const given = (key: string): boolean => command.getOptionValueSource(key) === 'cli';
      const options: Omit<SimulationOptions, 'onProgress' | 'seed'> = {
        slots: flags.slots,
        rollups: flags.rollups,
        mechanisms: flags.mechanisms ?? [...SIMULATION_MECHANISMS],
        burnBps: flags.burnBps,
        payoutRule: flags.payoutRule,
        shillMarkupBps: flags.shillMarkupBps,
        paymentRule: flags.paymentRule,
        ticketModel: flags.ticketModel,
        refuserShareBps: flags.refuserShareBps,
        shadeBps: flags.shadeBps,
        timeLimit: flags.timeLimit,
        lotteryWindow: flags.lotteryWindow,
        ...(flags.bidders === undefined ? {} : { bidders: flags.bidders }),
        ...(flags.cap === undefined ? {} : { cap: flags.cap }),
        ...(flags.price === undefined ? {} : { startPrice: flags.price }),
      };
      if (flags.seeds !== undefined || flags.sweep !== undefined || flags.preset !== undefined) {
        // A preset keeps its own base except for the options given on the command line.
        const keys: Record<string, keyof typeof options> = {
          slots: 'slots', rollups: 'rollups', mechanisms: 'mechanisms', burnBps: 'burnBps', payoutRule: 'payoutRule', shillMarkupBps: 'shillMarkupBps',
          paymentRule: 'paymentRule', ticketModel: 'ticketModel', refuserShareBps: 'refuserShareBps', shadeBps: 'shadeBps', timeLimit: 'timeLimit',
          lotteryWindow: 'lotteryWindow',
          bidders: 'bidders', cap: 'cap', price: 'startPrice',
        };
        const base = flags.preset === undefined ? options : Object.fromEntries(Object.entries(keys).filter(([flag]) => given(flag)).map(([, key]) => [key, options[key]]));
        await runSweepCommand(io, sweepSpec(base, flags.preset, flags.seeds, flags.sweep ?? []), flags.workers, flags.out, flags.json === true);
        return;
      }
      const status = new StatusLine(io);
      const started = performance.now();
      const sim = await simulate({
        ...options,
        seed: flags.seed,
        onProgress: (done, total) => status.update(`simulate: ${done}/${total} slots (with and without the shill)  ${seconds(performance.now() - started)}`),
      });
      status.done();
      const print = (out: string | undefined): void => io.stdout(flags.json === true ? summaryJson(sim) : report(sim, out, performance.now() - started));
      if (flags.out === undefined) return print(undefined);
      try {
        await writeOutputs(sim, flags.out);
      } catch (error) {
        print(undefined); // the summary is not lost to a failing output directory
        throw error;
      }
      print(flags.out);
    });
}

/** Writes the output files into `dir` (created if missing); OS failures are usage errors naming the path. */
export async function writeOutputs(sim: Simulation, dir: string): Promise<void> {
  const contents: Record<(typeof SIMULATION_FILES)[number], string> = {
    'simulation.json': simulationJson(sim),
    'slots.csv': slotsCsv(sim),
    'rollups.csv': rollupsCsv(sim),
    'schedule.csv': scheduleCsv(sim),
    'price-path.svg': pricePathSvg(sim),
    'revenue.svg': revenueSvg(sim),
    'report.html': reportHtml(sim),
  };
  await writeOutputDirectory(dir, contents, '--out');
}

/** The readable summary: one row per mechanism, the price path, each rollup versus isolated. */
function report(sim: Simulation, out: string | undefined, elapsedMs: number): string {
  const p = sim.params;
  const lines: string[] = [];
  lines.push(`bundle-auction simulate: ${p.slots} slots, ${p.rollups} rollups, ${p.bidders} builders (${10 * p.bidders} bids a slot), seed ${p.seed}; ${seconds(elapsedMs)}`);
  lines.push(`  payout rule ${p.payoutRule}, burn ${p.burnBps} bps; shill ${sim.market.shillRollup} bids ${ratio(p.shillMarkupBps, 10_000)}× its standalone value on itself; ` +
    `${sim.market.refusers.join(', ')} ${sim.market.refusers.length === 1 ? 'refuses' : 'refuse'} ${sim.market.refusedRollup}; amounts in ETH`);
  lines.push('');
  lines.push(table(
    ['mechanism', 'revenue', 'welfare', 'burned', 'joint', 'proposers/slot', 'self/slot', '< isolated', 'shill profit', 'honest', 'shill gain'],
    sim.summaries.map((s) => [
      s.mechanism, formatEth(s.revenue), formatEth(s.welfare), formatEth(s.burned), `${ratio(s.jointSlots * 100, s.slots, 0)}%`,
      ratio(s.proposerSlots, s.slots), ratio(s.selfSlots, s.slots), p.mechanisms.includes('isolated') ? String(s.worseThanIsolated) : '-',
      formatEth(s.shill.profit), formatEth(s.shill.honestProfit), signedEth(s.shill.gain),
    ]),
    [false, true, true, true, true, true, true, true, true, true, true],
  ));
  lines.push('  revenue: Σ payouts to rollups; welfare: what the sequencing was worth to whoever did it; joint: slots with a multi-rollup winning bundle; < isolated: rollups earning less than under isolated');
  lines.push('  sequencing; shill gain: its profit minus its rollup\'s income in the same market without the self-bid (> 0: shill bidding paid off).');
  const path = sim.summaries.find((s) => s.mechanism === 'lottery')?.pricePath;
  if (path !== null && path !== undefined && path.length > 0) {
    const min = path.reduce((m, v) => (v < m ? v : m));
    const max = path.reduce((m, v) => (v > m ? v : m));
    lines.push('');
    const every = p.lotteryWindow === 1 ? '' : `, one sale and draw per ${p.lotteryWindow} slots`;
    lines.push(`Ticket price per rollup and slot (lottery, cap ${p.cap}${every}): start ${formatEth(path[0] ?? 0n)}, min ${formatEth(min)}, max ${formatEth(max)}, next ${formatEth(path[path.length - 1] ?? 0n)} ETH`);
  }
  lines.push('');
  lines.push('Income per rollup (payouts + own value when self-sequenced), and versus isolated sequencing');
  lines.push(table(
    ['rollup', 'role', ...sim.summaries.map((s) => s.mechanism)],
    sim.market.rollups.map((r, i) => [r.id, r.role, ...sim.summaries.map((s) => {
      const row = s.rollups[i];
      if (row === undefined) return '';
      return `${formatEth(row.income)}${row.vsIsolatedBps === null || s.mechanism === 'isolated' ? '' : ` (${ratio(row.vsIsolatedBps, 100, 0)}%)`}`;
    })]),
    [false, false, ...sim.summaries.map(() => true)],
  ));
  if (out !== undefined) {
    lines.push('');
    lines.push(`Wrote ${SIMULATION_FILES.join(', ')} to ${out}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** ETH with an explicit sign. */
function signedEth(wei: bigint): string {
  return wei < 0n ? `-${formatEth(-wei)}` : `+${formatEth(wei)}`;
}

/** Basis points 0–10000. */
function parseBps(value: string): number {
  const v = parseNat(value);
  if (v > 10_000) throw new InvalidArgumentError(`expected basis points from 0 to 10000, got ${JSON.stringify(value)}`);
  return v;
}

/** A non-negative integer amount in wei. */
function parseWei(value: string): bigint {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer amount in wei, got ${JSON.stringify(value)}`);
  return BigInt(value);
}
