import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-verify-'));
const file = (name: string, data: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  return path;
};

// Optimum: x (a, b) + z (c) = 5 + 4 = 9; y conflicts with x; w shares group g with z.
const instance = file('market.json', {
  rollups: [{ id: 'a', reserve: '1' }, { id: 'b', reserve: '0' }, { id: 'c', reserve: '2' }],
  bids: [
    { id: 'x', bidder: 'p', bundle: ['a', 'b'], amount: '5' },
    { id: 'y', bidder: 'q', bundle: ['b'], amount: '3' },
    { id: 'z', bidder: 'q', bundle: ['c'], amount: '4', exclusive: 'g' },
    { id: 'w', bidder: 'q', bundle: ['a'], amount: '2', exclusive: 'g' },
  ],
});

const verify = async (...args: string[]): Promise<{ code: number; out: Record<string, unknown>; stderr: string }> => {
  const run = await runCli('verify', instance, ...args, '--json');
  return { code: run.code, out: run.stdout === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>), stderr: run.stderr };
};

describe('cli verify', () => {
  it('accepts the solver\'s answer with exactly the JSON contract and its value', async () => {
    const solved = await runCli('solve', instance, '--json');
    const winners = (JSON.parse(solved.stdout) as { winners: string[] }).winners;
    expect(winners).toEqual(['x', 'z']);
    const r = await verify(file('best.json', { winners }));
    expect(r.code).toBe(0);
    expect(Object.keys(r.out)).toEqual(['valid', 'better', 'value', 'incumbentValue', 'reason']);
    expect(r.out).toMatchObject({ valid: true, better: null, value: '9', incumbentValue: null });
  });

  it('a strictly better challenger is accepted; a tie keeps the incumbent', async () => {
    const worse = file('worse.json', { winners: ['y', 'z'] }); // 3 + 4 + reserve(a) 1 = 8
    const best = file('best2.json', { winners: ['z', 'x'] });
    const better = await verify(best, '--incumbent', worse);
    expect(better.code).toBe(0);
    expect(better.out).toMatchObject({ valid: true, better: true, value: '9', incumbentValue: '8' });
    const tie = await verify(best, '--incumbent', best);
    expect(tie.code).toBe(1);
    expect(tie.out).toMatchObject({ valid: true, better: false, reason: 'tie: the incumbent stays' });
    // Different allocations of equal value (a copied bid, and a smaller bid plus a reserve) tie too.
    const twin = file('twin.json', {
      rollups: [{ id: 'a', reserve: '1' }, { id: 'b', reserve: '0' }],
      bids: [
        { id: 'p', bidder: 'u', bundle: ['a', 'b'], amount: '7' },
        { id: 'q', bidder: 'v', bundle: ['b', 'a'], amount: '7' }, // same bundle, same amount
        { id: 's', bidder: 'v', bundle: ['b'], amount: '6' }, // 6 + reserve(a) 1 = 7 as well
      ],
    });
    const ties = [['p'], ['q'], ['s']].map((winners, i) => file(`tie${i}.json`, { winners }));
    for (const incumbent of ties) {
      for (const challenger of ties) {
        if (challenger === incumbent) continue;
        const run = await runCli('verify', twin, challenger, '--incumbent', incumbent, '--json');
        expect(run.code).toBe(1);
        expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, better: false, value: '7', incumbentValue: '7', reason: 'tie: the incumbent stays' });
      }
    }
    const lower = await verify(worse, '--incumbent', best);
    expect(lower.code).toBe(1);
    expect(lower.out).toMatchObject({ better: false, value: '8', incumbentValue: '9' });
  });

  it('rejects infeasible allocations with the first reason (exit 1)', async () => {
    const shared = await verify(file('shared.json', { winners: ['x', 'y'] }));
    expect(shared.code).toBe(1);
    expect(shared.out).toMatchObject({ valid: false, value: null });
    expect(String(shared.out['reason'])).toMatch(/"b"/);
    const group = await verify(file('group.json', { winners: ['z', 'w'] }));
    expect(group.code).toBe(1);
    expect(String(group.out['reason'])).toMatch(/exclusive group "g"/);
    const twice = await verify(file('twice.json', { winners: ['z', 'z'] }));
    expect(String(twice.out['reason'])).toMatch(/winners\[1\]/);
    const unknown = await verify(file('unknown.json', { winners: ['X'] }));
    expect(unknown.code).toBe(1);
    expect(String(unknown.out['reason'])).toMatch(/winners\[0\].*"X"/);
  });

  it('bad allocation files are bad input (exit 2, one line)', async () => {
    for (const bad of [{ winners: 'x' }, { winners: [1] }, '{"winners": [}']) {
      const r = await verify(file('bad.json', bad));
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/bad\.json/);
    }
  });

  it('checks certificates written by solve --certificate; a lowered price is rejected', async () => {
    const certPath = join(dir, 'cert.json');
    const solved = await runCli('solve', instance, '--json', '--certificate', certPath);
    expect(solved.code).toBe(0);
    const best = file('best3.json', { winners: ['x', 'z'] });
    const ok = await verify(best, '--certificate', certPath);
    expect(ok.code).toBe(0);
    const cert = ok.out['certificate'] as { valid: boolean; bound: string };
    expect(cert.valid).toBe(true);
    expect(BigInt(cert.bound)).toBeGreaterThanOrEqual(9n);

    const data = JSON.parse(readFileSync(certPath, 'utf8')) as { rollups: Record<string, string> };
    // Lowering c's price below its reserve (2) must be caught.
    const lowered = file('lowered.json', { ...data, rollups: { ...data.rollups, c: '1' } });
    const bad = await verify(best, '--certificate', lowered);
    expect(bad.code).toBe(1);
    expect((bad.out['certificate'] as { valid: boolean; reason: string }).reason).toMatch(/"c".*below its reserve/);
  });

  it('negative or fractional certificate prices are bad input with a reason', async () => {
    const best = file('best4.json', { winners: ['x', 'z'] });
    for (const [price, pattern] of [['-1', /rollups\["c"\].*negative/], ['0.5', /rollups\["c"\]: price has more than 0 decimals \(received "0\.5"\)/]] as const) {
      const r = await verify(best, '--certificate', file('prices.json', { rollups: { a: '9', b: '9', c: price } }));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
