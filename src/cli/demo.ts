/** `npm start`: one slot of a generated rollup market, solved, verified and printed. */
import type { Command } from 'commander';
import { generateInstance } from '../generators/index.js';
import { evaluateWinners } from '../model/evaluate.js';
import { compileMarket } from '../model/market.js';
import { solve } from '../solver/solve.js';
import { allocationCommitment } from '../verify/commitment.js';
import { parseNat, parsePositive } from './args.js';
import type { Io } from './io.js';
import { seconds } from './progress.js';
import { formatEth, table } from './table.js';

interface DemoFlags {
  readonly rollups: number;
  readonly bids: number;
  readonly seed: number;
}

/** Registers `demo`. */
export function demoCommand(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run one slot of a generated rollup market end to end and print it')
    .option('--rollups <n>', 'rollups in the market', parsePositive, 24)
    .option('--bids <m>', 'bids from builders', parsePositive, 160)
    .option('--seed <s>', 'random seed', parseNat, 7)
    .action(async (flags: DemoFlags) => io.stdout(await demo(flags)));
}

async function demo(flags: DemoFlags): Promise<string> {
  const instance = generateInstance('rollup-market', { rollups: flags.rollups, bids: flags.bids, seed: flags.seed });
  const market = compileMarket(instance);
  const builders = new Set(instance.bids.map((b) => b.bidder));
  const result = await solve(instance, { method: 'exact', timeLimit: 30 });
  // Independent re-check of the answer before printing it.
  const check = evaluateWinners(market, result.winnerIndices);
  if (!check.feasible || check.value !== result.value) throw new Error('demo: solver answer failed its re-check');
  const winners = result.winnerIndices.map((b) => instance.bids[b]).filter((b) => b !== undefined);
  const sold = new Map<string, string>();
  for (const bid of winners) for (const r of bid.bundle) sold.set(r, bid.bidder);
  const selfSequenced = instance.rollups.filter((r) => !sold.has(r.id));
  const { digest } = allocationCommitment(instance, { winners: result.winners });
  const out: string[] = [];
  out.push(`bundle-auction demo: one slot of the ad hoc shared-sequencing market (rollup-market family, seed ${flags.seed})`);
  out.push(`  ${instance.rollups.length} rollups, ${instance.bids.length} bids from ${builders.size} builders; amounts in ETH (exact wei internally)`);
  out.push('');
  out.push(`Winning bids: ${result.status === 'optimal' ? 'proven optimal' : 'best found'} in ${seconds(result.elapsedMs)} (${result.method})`);
  out.push(table(['bid', 'builder', 'bundle', 'amount', 'reserves'], winners.map((b) => [
    b.id, b.bidder, b.bundle.join(' '), formatEth(b.amount),
    formatEth(b.bundle.reduce((s, r) => s + (market.reserve[market.rollupIndex.get(r) ?? -1] ?? 0n), 0n)),
  ]), [false, false, false, true, true]));
  out.push('');
  out.push(`Self-sequenced (no bid beat the reserve): ${selfSequenced.length === 0 ? 'none' : selfSequenced.map((r) => `${r.id} (${formatEth(r.reserve)})`).join(', ')}`);
  out.push('');
  out.push('Proposer schedule for the slot');
  out.push(table(['rollup', 'proposer'], instance.rollups.map((r) => [r.id, sold.get(r.id) ?? `${r.id} (self)`])));
  out.push('');
  out.push(`Value    ${formatEth(result.value)} ETH  (winning bids + reserves of self-sequenced rollups)`);
  out.push(`Revenue  ${formatEth(result.revenue)} ETH  paid by ${new Set(winners.map((b) => b.bidder)).size} builders`);
  out.push(`Bound    ${result.bound === null ? 'none' : `${formatEth(result.bound)} ETH`}`);
  out.push(`Digest   ${digest}  (sha256 of the canonical allocation)`);
  out.push('');
  return out.join('\n');
}
