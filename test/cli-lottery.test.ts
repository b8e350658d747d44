import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/model/digest.js';
import { runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-lottery-'));
const file = (name: string, data: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  return path;
};

interface RoundFile {
  rollups: { id: string; reserve: string }[];
  tickets: { id: string; holder: string; bundle: string[]; amount: string }[];
  price: string;
  cap: number;
  burnBps: number;
  payoutRule: string;
}
const example = JSON.parse(readFileSync('examples/round.json', 'utf8')) as RoundFile;

describe('cli lottery', () => {
  it('prints exactly the contract keys, and the values recheck', async () => {
    const run = await runCli('lottery', 'examples/round.json', '--seed', 'ab12', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('}\n')).toBe(true);
    const out = JSON.parse(run.stdout) as {
      winners: { bundle: string[]; tickets: string[]; paid: string; proposer: string; proposerHolder: string }[];
      refunds: { ticket: string; amount: string }[];
      payouts: { rollup: string; amount: string }[];
      burned: string; selfSequenced: string[]; nextPrice: string; digest: string; draw: unknown;
    };
    expect(Object.keys(out).sort()).toEqual(['burned', 'digest', 'draw', 'nextPrice', 'payouts', 'refunds', 'selfSequenced', 'winners']);
    for (const w of out.winners) expect(Object.keys(w).sort()).toEqual(['bundle', 'paid', 'proposer', 'proposerHolder', 'tickets']);
    for (const r of out.refunds) expect(Object.keys(r).sort()).toEqual(['amount', 'ticket']);
    for (const p of out.payouts) expect(Object.keys(p).sort()).toEqual(['amount', 'rollup']);
    // Conservation, from the input file.
    const sum = (xs: string[]): bigint => xs.reduce((s, x) => s + BigInt(x), 0n);
    const paidIn = sum(example.tickets.map((t) => t.amount));
    expect(paidIn).toBe(sum(out.refunds.map((r) => r.amount)) + sum(out.payouts.map((p) => p.amount)) + BigInt(out.burned));
    // Every ticket is either on a winning bundle or refunded in full; proposers hold a winning ticket.
    const amount = new Map(example.tickets.map((t) => [t.id, t.amount]));
    const onWinners = out.winners.flatMap((w) => w.tickets);
    expect([...onWinners, ...out.refunds.map((r) => r.ticket)].sort()).toEqual(example.tickets.map((t) => t.id).sort());
    for (const r of out.refunds) expect(r.amount).toBe(amount.get(r.ticket));
    for (const w of out.winners) {
      expect(w.tickets).toContain(w.proposer);
      expect(w.proposerHolder).toBe(example.tickets.find((t) => t.id === w.proposer)?.holder);
      expect(BigInt(w.paid)).toBe(sum(w.tickets.map((t) => amount.get(t) ?? 'x')));
    }
    // Burn ⌈paid·bps/10⁴⌉ per winner; sold rollups get at least their reserve.
    expect(BigInt(out.burned)).toBe(out.winners.reduce((s, w) => s + (BigInt(w.paid) * BigInt(example.burnBps) + 9999n) / 10000n, 0n));
    const sold = new Set(out.winners.flatMap((w) => w.bundle));
    for (const r of example.rollups) {
      const paid = BigInt(out.payouts.find((p) => p.rollup === r.id)?.amount ?? '-1');
      if (sold.has(r.id)) expect(paid >= BigInt(r.reserve)).toBe(true);
      else { expect(paid).toBe(0n); expect(out.selfSequenced).toContain(r.id); }
    }
    expect(out.winners.length).toBeGreaterThan(0);
    expect(out.refunds.length).toBeGreaterThan(0);
    // The digest recomputes from the printed JSON.
    const { digest, ...rest } = out;
    expect(digest).toBe(createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex'));
    // Same seed, same bytes; another seed may change only the draw.
    expect((await runCli('lottery', 'examples/round.json', '--seed', 'ab12', '--json')).stdout).toBe(run.stdout);
  });

  it('prints a readable table without --json', async () => {
    const run = await runCli('lottery', 'examples/round.json', '--seed', '0xAB12');
    expect(run.code).toBe(0);
    for (const text of ['Winning bundles', 'proposer', 'Refunds', 'Payouts', 'self-sequenced', 'burned', 'next price', 'digest']) expect(run.stdout).toContain(text);
  });

  const bad: [string, (r: RoundFile) => RoundFile, string][] = [
    ['ticket below price', (r) => ({ ...r, tickets: r.tickets.map((t, i) => (i === 2 ? { ...t, amount: '999' } : t)) }), 'tickets[2].amount'],
    ['more tickets than the cap', (r) => ({ ...r, cap: 3 }), 'tickets'],
    ['unknown rollup', (r) => ({ ...r, tickets: r.tickets.map((t, i) => (i === 1 ? { ...t, bundle: ['op-1', 'nope'] } : t)) }), 'tickets[1].bundle[1]'],
    ['burnBps 10001', (r) => ({ ...r, burnBps: 10001 }), 'burnBps'],
    ['bad payoutRule', (r) => ({ ...r, payoutRule: 'largest' }), 'payoutRule'],
    ['amount in exponent notation', (r) => ({ ...r, tickets: r.tickets.map((t, i) => (i === 0 ? { ...t, amount: '4e3' } : t)) }), 'tickets[0].amount'],
  ];
  it.each(bad)('rejects %s with exit 2 and one line naming file and path', async (_name, patch, path) => {
    const f = file(`${path.replace(/\W/g, '_')}.json`, patch(example));
    const run = await runCli('lottery', f, '--seed', 'ab12', '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${f}: ${path}:`);
  });

  it('rejects a bad seed, a missing seed and a missing file with exit 2', async () => {
    for (const seed of ['xyz', 'abc', '']) {
      const run = await runCli('lottery', 'examples/round.json', '--seed', seed);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/seed/);
    }
    expect((await runCli('lottery', 'examples/round.json')).code).toBe(2);
    const missing = await runCli('lottery', join(dir, 'none.json'), '--seed', '00');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('none.json');
  });
});
