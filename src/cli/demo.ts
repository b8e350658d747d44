/**
 * `npm start`: one lottery round of execution tickets on a generated rollup market, end to end:
 * bids become tickets, winner determination over bundles, refunds, the bid-weighted draw of
 * proposers, burn, payouts, the next ticket price and the digest; re-checked, printed readably.
 */
import type { Command } from 'commander';
import { generateInstance } from '../generators/index.js';
import { sha256Hex } from '../model/digest.js';
import { ticketsFromBids } from '../simulation/index.js';
import { runLottery } from '../mechanism/lottery.js';
import { DEFAULT_PAYOUT_RULE } from '../mechanism/payouts.js';
import { proposerSchedule } from '../mechanism/schedule.js';
import type { Round, RoundResult } from '../mechanism/types.js';
import { parseNat, parsePositive } from './args.js';
import type { Io } from './io.js';
import { seconds } from './progress.js';
import { formatEth, table } from './table.js';

interface DemoFlags {
  readonly rollups: number;
  readonly bids: number;
  readonly seed: number;
}

/** Ticket price of the demo round: 0.002 ETH per rollup in the bundle. */
const DEMO_PRICE = 2n * 10n ** 15n;
/** At most this many tickets are sold (the highest bids that clear the price). */
const DEMO_CAP = 64;
/** 5% of each winning bundle's payment is burned. */
const DEMO_BURN_BPS = 500;

/** Registers `demo`. */
export function demoCommand(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run one lottery round of execution tickets on a generated rollup market end to end and print it')
    .option('--rollups <n>', 'rollups in the market', parsePositive, 24)
    .option('--bids <m>', 'bids from builders (the best become tickets)', parsePositive, 160)
    .option('--seed <s>', 'random seed (market, bids and the public draw seed)', parseNat, 7)
    .action(async (flags: DemoFlags) => io.stdout(await demo(flags)));
}

async function demo(flags: DemoFlags): Promise<string> {
  const instance = generateInstance('rollup-market', { rollups: flags.rollups, bids: flags.bids, seed: flags.seed });
  const round: Round = {
    rollups: instance.rollups,
    tickets: ticketsFromBids(instance.bids, DEMO_PRICE, DEMO_CAP),
    price: DEMO_PRICE,
    cap: DEMO_CAP,
    burnBps: DEMO_BURN_BPS,
    payoutRule: DEFAULT_PAYOUT_RULE,
  };
  const drawSeed = sha256Hex(`bundle-auction demo ${flags.seed}`);
  const started = performance.now();
  const result = await runLottery(round, { seed: drawSeed, solve: { method: 'exact', timeLimit: 30 } });
  const elapsed = performance.now() - started;
  recheck(round, result);
  const holders = new Map(round.tickets.map((t) => [t.id, t.holder] as const));
  const schedule = proposerSchedule([{ slot: 0, rollups: round.rollups, result }]).slots[0];
  const total = round.tickets.reduce((s, t) => s + t.amount, 0n);
  const refunded = result.refunds.reduce((s, r) => s + r.amount, 0n);
  const paidOut = result.payouts.reduce((s, p) => s + p.amount, 0n);
  const payout = new Map(result.payouts.map((p) => [p.rollup, p.amount] as const));

  const out: string[] = [];
  out.push(`bundle-auction demo: one lottery round of execution tickets on the ad hoc shared-sequencing market (rollup-market family, seed ${flags.seed})`);
  out.push(`  ${instance.rollups.length} rollups; ${instance.bids.length} bids from ${new Set(instance.bids.map((b) => b.bidder)).size} builders → ${round.tickets.length} tickets at ${formatEth(DEMO_PRICE)} ETH per rollup (cap ${DEMO_CAP}, best bids first)`);
  out.push(`  burn ${DEMO_BURN_BPS / 100}%, payouts by the committed rule: the surplus above reserves in proportion to standalone values from paying bidders' bids (each sold rollup ≥ its reserve); amounts in ETH (exact wei internally)`);
  out.push('');
  out.push(`Winning bundles: ${result.status === 'optimal' ? 'proven optimal' : 'best found'} in ${seconds(elapsed)}; in each, one ticket drawn with probability ∝ amount from seed ${drawSeed.slice(0, 16)}…`);
  out.push(result.winners.length === 0 ? '  none' : table(
    ['bundle', 'tickets', 'paid', 'proposer (drawn ticket)'],
    result.winners.map((w) => [w.bundle.join(' '), String(w.tickets.length), formatEth(w.paid), `${w.proposerHolder} (${w.proposer})`]),
    [false, true, true, false],
  ));
  out.push('');
  const byHolder = new Map<string, { tickets: number; amount: bigint }>();
  for (const r of result.refunds) {
    const h = holders.get(r.ticket) ?? '?';
    const cur = byHolder.get(h) ?? { tickets: 0, amount: 0n };
    byHolder.set(h, { tickets: cur.tickets + 1, amount: cur.amount + r.amount });
  }
  out.push(`Refunds: ${result.refunds.length} tickets on losing bundles, refunded in full`);
  out.push(byHolder.size === 0 ? '  none' : table(['holder', 'tickets', 'refunded'],
    [...byHolder].sort(([a], [b]) => (a < b ? -1 : 1)).map(([h, v]) => [h, String(v.tickets), formatEth(v.amount)]), [false, true, true]));
  out.push('');
  out.push('Proposer schedule and payouts for the slot');
  out.push(table(['rollup', 'reserve', 'payout', 'proposer'], (schedule?.proposers ?? []).map((p) => [
    p.rollup, formatEth(instance.rollups.find((r) => r.id === p.rollup)?.reserve ?? 0n), formatEth(payout.get(p.rollup) ?? 0n), p.self ? `${p.rollup} (self)` : p.proposer,
  ]), [false, true, true, false]));
  out.push('');
  out.push(`Tickets     ${formatEth(total)} ETH = refunds ${formatEth(refunded)} + payouts ${formatEth(paidOut)} + burned ${formatEth(result.burned)}  (exact to the wei, re-checked)`);
  out.push(`Next price  ${formatEth(result.nextPrice)} ETH per rollup  (${round.tickets.length} of ${DEMO_CAP} tickets sold)`);
  out.push(`Digest      ${result.digest}  (sha256 of the canonical round result)`);
  out.push(`Schedule    ${schedule?.digest ?? ''}  (sha256 of the slot's proposers and result)`);
  out.push('');
  return out.join('\n');
}

/**
 * Independent re-check of the round before printing it: winning bundles disjoint and made of
 * the round's tickets, each paying the sum of its tickets; refunds exactly the other tickets, in
 * full; every sold rollup paid at least its reserve, unsold ones 0; Σ tickets = refunds +
 * payouts + burned.
 */
function recheck(round: Round, result: RoundResult): void {
  const fail = (why: string): never => {
    throw new Error(`demo: lottery result failed its re-check: ${why}`);
  };
  const tickets = new Map(round.tickets.map((t) => [t.id, t] as const));
  const used = new Set<string>();
  const onWinner = new Set<string>();
  for (const w of result.winners) {
    const key = w.bundle.join('\u0000');
    let sum = 0n;
    for (const id of w.tickets) {
      const t = tickets.get(id);
      if (t === undefined || t.bundle.join('\u0000') !== key || onWinner.has(id)) fail(`winner ${key} lists ticket ${id}`);
      onWinner.add(id);
      sum += t?.amount ?? 0n;
    }
    if (sum !== w.paid || !w.tickets.includes(w.proposer)) fail(`winner ${key} paid or proposer`);
    for (const r of w.bundle) {
      if (used.has(r)) fail(`rollup ${r} sold twice`);
      used.add(r);
    }
  }
  const refunded = new Map(result.refunds.map((r) => [r.ticket, r.amount] as const));
  for (const t of round.tickets) if (!onWinner.has(t.id) && refunded.get(t.id) !== t.amount) fail(`ticket ${t.id} not refunded in full`);
  if (refunded.size + onWinner.size !== round.tickets.length) fail('refunds do not match the losing tickets');
  const payout = new Map(result.payouts.map((p) => [p.rollup, p.amount] as const));
  for (const r of round.rollups) {
    const p = payout.get(r.id) ?? 0n;
    if (used.has(r.id) ? p < r.reserve : p !== 0n) fail(`payout of ${r.id}`);
  }
  const total = round.tickets.reduce((s, t) => s + t.amount, 0n);
  const out = [...refunded.values()].reduce((s, x) => s + x, 0n) + [...payout.values()].reduce((s, x) => s + x, 0n) + result.burned;
  if (total !== out) fail(`Σ tickets ${total} ≠ refunds + payouts + burned ${out}`);
}
