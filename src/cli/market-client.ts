/**
 * Client commands of a market node: `bid` (sign and submit a bid or ticket), `challenge` (fetch
 * a slot's instance, solve it locally, submit when strictly better) and `result` (read a final
 * slot's result and check its digest and signature). Keys come from `--key` or the
 * environment variable `BUNDLE_AUCTION_KEY`.
 */
import type { Command } from 'commander';
import { privateKeyToAccount } from 'viem/accounts';
import { parseInstanceJson } from '../formats/json.js';
import { UsageError } from '../model/errors.js';
import { groupTickets } from '../mechanism/lottery.js';
import { parseRoundJson } from '../mechanism/round-json.js';
import { sellBundles } from '../mechanism/wdp.js';
import { MarketClient, MarketClientError } from '../node/client.js';
import { DEFAULT_TIME_LIMIT_SEC, SOLVE_METHODS, solve, type SolveMethod } from '../solver/solve.js';
import { listOf, oneOf, parseNat, parsePositive, parseSeconds } from './args.js';
import { resolveRunner } from '../bench/registry.js';
import { follow } from './follow.js';
import type { Io } from './io.js';
import { EXIT, type RunState } from './state.js';

/** Environment variable with the signing key of `bid`. */
export const KEY_ENV = 'BUNDLE_AUCTION_KEY';

interface NodeFlags {
  readonly node: string;
}

/** Registers `bid`, `challenge` and `result`. */
export function marketClientCommands(program: Command, io: Io, run: RunState): void {
  program
    .command('bid')
    .description('sign (EIP-712) and submit a bid, or a ticket when the node runs a lottery')
    .option('--node <url>', 'node URL', 'http://127.0.0.1:8080')
    .requiredOption('--slot <n>', 'slot', parseNat)
    .requiredOption('--bundle <ids>', 'comma-separated rollup ids', listOf((s) => s))
    .requiredOption('--amount <units>', 'amount in base units (decimal digits)', parseUnits)
    .option('--exclusive <group>', 'exclusive group (auction mode; per bidder)', '')
    .option('--nonce <n>', 'nonce (uint64; default: the current time in ms)', parseUint64)
    .option('--key <hex>', `bidder's private key (default: env ${KEY_ENV})`)
    .action(async (flags: NodeFlags & { slot: number; bundle: string[]; amount: bigint; exclusive: string; nonce?: bigint; key?: string }) => {
      const key = flags.key ?? process.env[KEY_ENV];
      if (key === undefined || !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError(`--key (or ${KEY_ENV}) must be a 0x-prefixed 32-byte hex private key`);
      const account = privateKeyToAccount(key as `0x${string}`);
      const client = await connect(flags.node);
      const mode = await nodeMode(flags.node);
      const nonce = flags.nonce ?? BigInt(Date.now());
      const r: Record<string, unknown> = mode === 'lottery'
        ? await guard(() => client.submitTicket(account, { slot: flags.slot, bundle: flags.bundle, amount: flags.amount, nonce }))
        : await guard(() => client.submitBid(account, { slot: flags.slot, bundle: flags.bundle, amount: flags.amount, exclusive: flags.exclusive, nonce }));
      io.stdout(`${JSON.stringify(r)}\n`);
    });

  program
    .command('challenge')
    .description("fetch a slot's instance, solve it locally and submit the allocation when strictly better than the incumbent; with --follow, do so for every slot entering its challenge window")
    .option('--node <url>', 'node URL', 'http://127.0.0.1:8080')
    .option('--slot <n>', 'slot (one challenge; or --follow)', parseNat)
    .option('--follow <url>', "follow this node's events: solve every slot entering its challenge window, until SIGTERM or --max-slots")
    .option('--method <method>', `local solve: ${SOLVE_METHODS.join('|')}`, oneOf(SOLVE_METHODS), 'auto')
    .option('--seed <n>', 'seed of the local solve', parseNat, 1)
    .option('--runner <spec>', 'with --follow: a bench runner instead of --method (command:<shell command>, module:<path>, or a built-in name)')
    .option('--max-slots <n>', 'with --follow: stop after this many slots', parsePositive)
    .option('--margin-ms <ms>', "with --follow: stop solving this long before the window's end", parseNat, 500)
    .option('--time-limit <seconds>', 'local solve time limit (with --follow: at most this per slot, default the window)', parseSeconds)
    .option('--submitter <label>', 'label recorded with an accepted challenge', 'cli')
    .action(async (flags: NodeFlags & { slot?: number; follow?: string; method: SolveMethod; seed: number; runner?: string; maxSlots?: number; marginMs: number; timeLimit?: number; submitter: string }) => {
      if ((flags.slot === undefined) === (flags.follow === undefined)) throw new UsageError('challenge: give exactly one of --slot N (one challenge) or --follow URL (every slot)');
      if (flags.follow !== undefined) {
        await followCommand(flags.follow, flags, io);
        return;
      }
      if (flags.runner !== undefined || flags.maxSlots !== undefined) throw new UsageError('challenge: --runner and --max-slots need --follow');
      const slot = flags.slot as number;
      const client = await connect(flags.node);
      const mode = await nodeMode(flags.node);
      const text = await guard(() => client.instanceText(slot));
      const options = { method: flags.method, timeLimit: flags.timeLimit ?? DEFAULT_TIME_LIMIT_SEC, seed: flags.seed };
      let winners: string[];
      let value: bigint;
      if (mode === 'auction') {
        const r = await solve(parseInstanceJson(text, `slot ${slot} instance`), options);
        winners = [...r.winners];
        value = r.value;
      } else {
        const round = parseRoundJson(text, `slot ${slot} round`);
        const groups = groupTickets(round.tickets, round.burnBps);
        const sale = await sellBundles(round.rollups, groups, options);
        const sold = sale.winners.map((i) => groups[i] as (typeof groups)[number]);
        const covered = new Set(sold.flatMap((g) => g.bundle));
        value = sold.reduce((s, g) => s + g.net, 0n) + round.rollups.filter((r) => !covered.has(r.id)).reduce((s, r) => s + r.reserve, 0n);
        winners = sold.map((g) => g.tickets[0]?.id as string);
      }
      const state = await guard(() => client.slot(slot));
      const incumbent = state.incumbent === null ? null : BigInt(state.incumbent.value);
      if (incumbent !== null && value <= incumbent) {
        io.stdout(`${JSON.stringify({ submitted: false, reason: `local value ${value} is not above the incumbent ${incumbent}`, value: value.toString(), incumbentValue: incumbent.toString() })}\n`);
        return;
      }
      const verdict = await guard(() => client.challenge(slot, winners, flags.submitter));
      io.stdout(`${JSON.stringify({ submitted: true, ...verdict })}\n`);
      if (!verdict.accepted) run.exitCode = EXIT.rejected;
    });

  program
    .command('result')
    .description("print a final slot's signed result and check its digest and signature (exit 1 if they do not match)")
    .option('--node <url>', 'node URL', 'http://127.0.0.1:8080')
    .requiredOption('--slot <n>', 'slot', parseNat)
    .action(async (flags: NodeFlags & { slot: number }) => {
      const client = await connect(flags.node);
      const result = await guard(() => client.result(flags.slot));
      const check = client.verifyResult(result);
      io.stdout(`${JSON.stringify(result)}\n`);
      io.stderr(`${check.ok ? 'verified' : 'NOT VERIFIED'}: ${check.reason}\n`);
      if (!check.ok) run.exitCode = EXIT.rejected;
    });
}

/** `challenge --follow URL`: until SIGTERM/SIGINT (exit 0) or --max-slots. */
async function followCommand(url: string, flags: { method: SolveMethod; seed: number; runner?: string; maxSlots?: number; marginMs: number; timeLimit?: number; submitter: string }, io: Io): Promise<void> {
  const runner = flags.runner === undefined ? undefined : await resolveRunner(flags.runner);
  if (runner !== undefined) {
    const ok = await runner.available();
    if (ok !== true) throw new UsageError(`--runner ${flags.runner}: not available here (${ok})`);
  }
  await connect(url);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const summary = await follow({
      url, method: flags.method, seed: flags.seed, submitter: flags.submitter, marginMs: flags.marginMs, signal: stop.signal,
      ...(runner === undefined ? {} : { runner }),
      ...(flags.maxSlots === undefined ? {} : { maxSlots: flags.maxSlots }),
      ...(flags.timeLimit === undefined ? {} : { maxSolveSec: flags.timeLimit }),
      log: (line) => io.stderr(`${line}\n`),
      report: (r) => io.stdout(`${JSON.stringify(r)}\n`),
    });
    io.stderr(`followed ${summary.slots} slot${summary.slots === 1 ? '' : 's'}, ${summary.accepted} challenge${summary.accepted === 1 ? '' : 's'} accepted\n`);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

async function connect(url: string): Promise<MarketClient> {
  return guard(() => MarketClient.connect(url), url);
}

async function nodeMode(url: string): Promise<string> {
  const res = await guard(() => fetch(`${url.replace(/\/+$/, '')}/healthz`), url);
  return ((await res.json()) as { mode: string }).mode;
}

/** Node refusals and unreachable nodes become one clear line (exit 1, or 2 for bad input). */
async function guard<T>(f: () => Promise<T>, url?: string): Promise<T> {
  try {
    return await f();
  } catch (error) {
    if (error instanceof MarketClientError) throw new UsageError(error.shortMessage);
    if (error instanceof TypeError && url !== undefined) throw new UsageError(`cannot reach the node at ${url}: ${error.message}`);
    throw error;
  }
}

function parseUnits(value: string): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new UsageError(`--amount must be decimal digits of base units without sign, exponent or leading zero (received ${JSON.stringify(value)})`);
  return BigInt(value);
}

function parseUint64(value: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) > 2n ** 64n - 1n) throw new UsageError(`--nonce must be a uint64 (received ${JSON.stringify(value)})`);
  return BigInt(value);
}
