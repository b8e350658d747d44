/** `bundle-auction verify INSTANCE ALLOCATION`. */
import type { Command } from 'commander';
import { readAllocationFile, readCertificateFile, readInstanceFile } from '../formats/files.js';
import { formatAmount } from '../model/money.js';
import { checkCertificate } from '../verify/certificate.js';
import { checkAllocation, compareAllocations } from '../verify/check.js';
import { oneOf } from './args.js';
import type { Io } from './io.js';
import { EXIT, type RunState } from './state.js';
import { count } from './table.js';

interface VerifyFlags {
  readonly format?: 'json' | 'cats';
  readonly incumbent?: string;
  readonly certificate?: string;
  readonly json?: boolean;
}

/** Registers `verify`. */
export function verifyCommand(program: Command, io: Io, run: RunState): void {
  program
    .command('verify')
    .description('check an allocation exactly (and that it beats an incumbent); exit 0 accepted, 1 rejected')
    .argument('<instance>', 'instance file (.json, or CATS text)')
    .argument('<allocation>', 'allocation JSON: {"winners": [...]}')
    .option('--format <format>', 'instance format (default: by extension)', oneOf(['json', 'cats'] as const))
    .option('--incumbent <allocation>', 'accept only if strictly better than this allocation')
    .option('--certificate <file>', 'also check an LP-dual upper-bound certificate (written by solve --certificate)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (instanceFile: string, allocationFile: string, flags: VerifyFlags) => {
      const instance = await readInstanceFile(instanceFile, flags.format);
      const allocation = await readAllocationFile(allocationFile);
      const incumbent = flags.incumbent === undefined ? undefined : await readAllocationFile(flags.incumbent);
      const certificate = flags.certificate === undefined ? undefined : checkCertificate(instance, await readCertificateFile(flags.certificate, instance));
      const money = (v: bigint | null): string | null => (v === null ? null : formatAmount(v, instance.decimals));
      let out: Record<string, unknown>;
      let accepted: boolean;
      if (incumbent === undefined) {
        const c = checkAllocation(instance, allocation);
        accepted = c.valid;
        out = { valid: c.valid, better: null, value: money(c.value), incumbentValue: null, reason: c.valid ? `valid allocation of ${count(c.winnerCount, 'winning bid')}` : c.reason };
      } else {
        const cmp = compareAllocations(instance, incumbent, allocation);
        accepted = cmp.accepted;
        out = { valid: cmp.challenger.valid, better: cmp.challenger.valid ? cmp.accepted : null, value: money(cmp.challenger.value), incumbentValue: money(cmp.incumbent.value), reason: cmp.reason };
      }
      if (certificate !== undefined) {
        accepted &&= certificate.valid;
        out['certificate'] = { valid: certificate.valid, bound: money(certificate.bound), reason: certificate.reason };
      }
      run.exitCode = accepted ? EXIT.ok : EXIT.rejected;
      io.stdout(flags.json === true ? `${JSON.stringify(out)}\n` : verifyText(out, accepted));
    });
}

function verifyText(out: Record<string, unknown>, accepted: boolean): string {
  const lines = [
    `${accepted ? 'ACCEPTED' : 'REJECTED'}: ${String(out['reason'])}`,
    `value            ${String(out['value'] ?? '-')}`,
  ];
  if (out['incumbentValue'] !== null) lines.push(`incumbent value  ${String(out['incumbentValue'] ?? '-')}`);
  const cert = out['certificate'] as { valid: boolean; bound: string | null; reason: string | null } | undefined;
  if (cert !== undefined) lines.push(`certificate      ${cert.valid ? `valid, bound ${String(cert.bound)}` : `invalid: ${String(cert.reason)}`}`);
  return `${lines.join('\n')}\n`;
}
