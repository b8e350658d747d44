/** `bundle-auction solve FILE`. */
import type { Command } from 'commander';
import { certificateToJson } from '../formats/certificate.js';
import { readAllocationFile, readInstanceFile } from '../formats/files.js';
import { computePayments, PAYMENT_RULES, type PaymentRule, type Payments } from '../mechanism/payments.js';
import { formatAmount } from '../model/money.js';
import { BACKEND_NAMES, getBackend } from '../solver/backends.js';
import { lpCertificate } from '../solver/certificate.js';
import type { BackendName } from '../solver/problem.js';
import { DEFAULT_TIME_LIMIT_SEC, relativeGap, solve, SOLVE_METHODS, type SolveMethod, type SolveResult } from '../solver/solve.js';
import { oneOf, parseNat, parseSeconds, parseWorkers } from './args.js';
import { interruptOnSigint } from './interrupt.js';
import type { Io } from './io.js';
import { checkWritableFile, writeOutputFile } from './output.js';
import { seconds, SolveProgressBar } from './progress.js';
import type { RunState } from './state.js';

interface SolveFlags {
  readonly format?: 'json' | 'cats';
  readonly method: SolveMethod;
  readonly backend: BackendName;
  readonly timeLimit: number;
  readonly seed: number;
  readonly workers: number;
  readonly canonical?: boolean;
  readonly iterations?: number;
  readonly json?: boolean;
  readonly trace?: boolean;
  readonly certificate?: string;
  readonly incumbent?: string;
  readonly payments?: PaymentRule;
  readonly paymentsTimeLimit?: number;
}

/** Registers `solve`; `run` gets exit code 130 when interrupted (the best allocation so far is still printed). */
export function solveCommand(program: Command, io: Io, run: RunState): void {
  program
    .command('solve')
    .description('find the value-maximising set of disjoint bids')
    .argument('<file>', 'instance file (.json, or CATS text)')
    .option('--format <format>', 'input format (default: by extension, .json → json, else cats)', oneOf(['json', 'cats'] as const))
    .option('--method <method>', `${SOLVE_METHODS.join('|')}`, oneOf(SOLVE_METHODS), 'auto')
    .option('--backend <backend>', `MIP backend: ${BACKEND_NAMES.join('|')}`, oneOf(BACKEND_NAMES), 'highs')
    .option('--time-limit <seconds>', 'wall-clock limit; the best allocation found is returned', parseSeconds, DEFAULT_TIME_LIMIT_SEC)
    .option('--seed <n>', 'seed of the tabu-search portfolio', parseNat, 0)
    .option('--workers <n>', "worker threads, 1 to the machine's available parallelism (1 = all in the main thread): auto/heuristic: the search portfolio; exact: each MIP races that many proof strategies (HiGHS, bnb, variants), answer canonical", parseWorkers, 1)
    .option('--canonical', 'return the canonical optimum (among optimal allocations, the earliest bids in id order win); default for exact with --workers > 1')
    .option('--no-canonical', 'return the optimum the solver found first (with exact --workers > 1 it may then differ run to run)')
    .option('--iterations <n>', 'tabu moves per worker: makes heuristic answers reproducible run to run', parseNat)
    .option('--json', 'print one JSON object on stdout')
    .option('--trace', 'with --json: add "trace", the (ms, incumbent, bound) of every progress report, for value-over-time plots')
    .option('--certificate <file>', 'write an LP-dual upper-bound certificate (check it with verify --certificate)')
    .option('--incumbent <allocation>', 're-solve from a previous allocation (JSON {"winners": [...]}); never returns less')
    .option('--payments <rule>', `what the winners pay: ${PAYMENT_RULES.join('|')} (each re-solve gets --time-limit)`, oneOf(PAYMENT_RULES))
    .option('--payments-time-limit <seconds>', 'total budget of the payment re-solves, shared out among them (default: --time-limit for each)', parseSeconds)
    .action(async (file: string, flags: SolveFlags) => {
      const instance = await readInstanceFile(file, flags.format);
      if (flags.certificate !== undefined) await checkWritableFile(flags.certificate, '--certificate');
      await getBackend(flags.backend); // a missing optional backend fails now, not after the heuristics

      const incumbent = flags.incumbent === undefined ? undefined : await readAllocationFile(flags.incumbent);
      const status = new SolveProgressBar(io, `solving ${file}`, flags.timeLimit);
      const money = (v: bigint | null): string => (v === null ? '?' : formatAmount(v, instance.decimals));
      const trace: { ms: number; incumbent: string | null; bound: string | null; move?: string }[] = [];
      // Ctrl-C returns the best so far (not where the MIP holds this thread to the time limit: interrupt.ts).
      const interrupt = flags.method === 'exact' && flags.workers === 1 ? null : interruptOnSigint(run);
      const result = await solve(instance, {
        ...(interrupt === null ? {} : { signal: interrupt.signal }),
        method: flags.method,
        backend: flags.backend,
        timeLimit: flags.timeLimit,
        seed: flags.seed,
        workers: flags.workers,
        ...(flags.canonical === undefined ? {} : { canonical: flags.canonical }),
        ...(flags.iterations === undefined ? {} : { iterations: flags.iterations }),
        ...(incumbent === undefined ? {} : { incumbent }),
        onProgress: (p) => {
          const gap = p.incumbent === null ? null : relativeGap(p.incumbent, p.bound);
          status.update({ elapsedMs: p.elapsedMs, incumbent: money(p.incumbent), bound: money(p.bound), gap: gap === null ? '?' : `${(gap * 100).toFixed(2)}%`, ...(p.move === undefined ? {} : { move: p.move }) });
          if (flags.trace === true) {
            trace.push({
              ms: Math.round(p.elapsedMs),
              incumbent: p.incumbent === null ? null : formatAmount(p.incumbent, instance.decimals),
              bound: p.bound === null ? null : formatAmount(p.bound, instance.decimals),
              ...(p.move === undefined ? {} : { move: p.move }),
            });
          }
        },
      }).finally(() => interrupt?.release());
      status.done();
      // The primary result first: a failing secondary output cannot lose it. Interrupted, the
      // command stops after printing it (no payment re-solves, no certificate).
      const stopped = interrupt?.interrupted() === true;
      const payments = flags.payments === undefined || stopped ? undefined : await computePayments(instance, { winners: result.winners }, flags.payments, {
        solve: { method: flags.method, backend: flags.backend, timeLimit: flags.timeLimit, seed: flags.seed, workers: flags.workers, ...(flags.iterations === undefined ? {} : { iterations: flags.iterations }) },
        ...(flags.paymentsTimeLimit === undefined ? {} : { timeLimit: flags.paymentsTimeLimit }),
      });
      if (flags.json === true) {
        io.stdout(`${JSON.stringify({ ...solveJson(result, instance.decimals), ...(payments === undefined ? {} : { payments: paymentsJson(payments, instance.decimals) }), ...(flags.trace === true ? { trace } : {}) })}\n`);
      } else {
        io.stdout(solveText(result, instance.decimals) + (payments === undefined ? '' : paymentsText(payments, instance.decimals)));
      }
      if (flags.certificate !== undefined && !stopped) {
        const { certificate, bound } = await lpCertificate(instance, { timeLimit: flags.timeLimit });
        await writeOutputFile(flags.certificate, certificateToJson(instance, certificate, bound), '--certificate');
      }
    });
}

/** The `--json` object of docs/DESIGN.md §3, amounts in the input's own units. */
export function solveJson(r: SolveResult, decimals: number): Record<string, unknown> {
  return {
    status: r.status,
    value: formatAmount(r.value, decimals),
    revenue: formatAmount(r.revenue, decimals),
    winners: r.winners,
    bound: r.bound === null ? null : formatAmount(r.bound, decimals),
    method: r.method,
    elapsedMs: r.elapsedMs,
  };
}

/** The `payments` object of `solve --payments --json`: the rule, its status and each winning bid's payment. */
export function paymentsJson(p: Payments, decimals: number): Record<string, unknown> {
  return {
    rule: p.rule,
    status: p.status,
    revenue: formatAmount(p.revenue, decimals),
    bids: p.bids.map((b) => ({ bid: b.bid, bidder: b.bidder, amount: formatAmount(b.amount, decimals), payment: formatAmount(b.payment, decimals) })),
    solves: p.solves,
    coalitions: p.coalitions,
    elapsedMs: p.elapsedMs,
  };
}

function paymentsText(p: Payments, decimals: number): string {
  const rows = p.bidders.slice(0, 20).map((a) => `  ${a.bidder}  pays ${formatAmount(a.payment, decimals)} of ${formatAmount(a.value, decimals)} bid${p.rule === 'pay-as-bid' ? '' : ` (VCG ${formatAmount(a.vcg, decimals)})`}`);
  if (p.bidders.length > 20) rows.push(`  … (${p.bidders.length - 20} more bidders)`);
  return [
    `payments  ${p.rule}: revenue ${formatAmount(p.revenue, decimals)} (${p.status}${p.status === 'optimal' ? ', exact' : ''}; ${p.solves} re-solve${p.solves === 1 ? '' : 's'}${p.rule === 'core' ? `, ${p.coalitions} blocking coalition${p.coalitions === 1 ? '' : 's'}` : ''}; ${seconds(p.elapsedMs)})`,
    ...rows,
    '',
  ].join('\n');
}

function solveText(r: SolveResult, decimals: number): string {
  const gap = relativeGap(r.value, r.bound);
  const s = r.stats;
  const shown = r.winners.length > 20 ? `${r.winners.slice(0, 20).join(', ')}, … (${r.winners.length - 20} more)` : r.winners.join(', ');
  return [
    `status    ${r.status}${r.status === 'optimal' ? ' (proven)' : ''}`,
    `value     ${formatAmount(r.value, decimals)}`,
    `revenue   ${formatAmount(r.revenue, decimals)}`,
    `bound     ${r.bound === null ? 'none' : `${formatAmount(r.bound, decimals)}  (gap ${((gap ?? 0) * 100).toFixed(4)}%)`}`,
    `winners   ${r.winners.length} bid${r.winners.length === 1 ? '' : 's'}${r.winners.length > 0 ? `: ${shown}` : ''}`,
    `method    ${r.method}  (${s.bids} bids; presolve removed ${s.removedNonPositive} below reserve, ${s.removedDominated} dominated; ${s.components} component${s.components === 1 ? '' : 's'}, largest ${s.largestComponent}; ${s.mipSolves} MIP solve${s.mipSolves === 1 ? '' : 's'})`,
    `elapsed   ${seconds(r.elapsedMs)}`,
    '',
  ].join('\n');
}
