import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('demo', () => {
  it('runs one lottery round: every rollup scheduled once, proposers are drawn winners, flags respected', async () => {
    const run = await runCli('demo', '--rollups', '10', '--bids', '60', '--seed', '3');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const at = (title: RegExp): number => lines.findIndex((l) => title.test(l));
    // Winners table: proposer column "builder-xx (bN)".
    const winners = lines.slice(at(/^Winning bundles: proven optimal/) + 3, at(/^Refunds:/) - 1);
    const drawn = new Set(winners.map((l) => /(builder-\d+) \(b\d+\)$/.exec(l)?.[1]).filter((x) => x !== undefined));
    expect(drawn.size).toBeGreaterThan(0);
    // Schedule: 10 rollups, each proposed by itself or by a drawn winner.
    const start = at(/^Proposer schedule and payouts/);
    const schedule = lines.slice(start + 3, start + 13);
    expect(schedule).toHaveLength(10);
    for (const l of schedule) {
      const cells = l.trim().split(/\s+/);
      const proposer = cells[3] ?? '';
      if (cells[4] === '(self)') expect(proposer).toBe(cells[0]);
      else expect(drawn.has(proposer)).toBe(true);
    }
    expect(run.stdout).toMatch(/^Tickets .* = refunds .* \+ payouts .* \+ burned .*re-checked/m);
    expect(run.stdout).toMatch(/^Digest +[0-9a-f]{64}/m);
    // Same flags, same output (but the wall-clock solve time it prints).
    const untimed = (text: string): string => text.replace(/ in [0-9.]+ s;/g, ' in … s;');
    expect(untimed((await runCli('demo', '--rollups', '10', '--bids', '60', '--seed', '3')).stdout)).toBe(untimed(run.stdout));
  });
});
