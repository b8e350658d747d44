import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readInstanceFile } from '../src/formats/files.js';
import { runCli } from './support/cli.js';
import { recheck } from './support/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('cli solve', () => {
  it('prints exactly the JSON contract, amounts in the file\'s own decimals', async () => {
    const path = 'corpus/cats/matching_40.txt';
    const run = await runCli('solve', path, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['status', 'value', 'revenue', 'winners', 'bound', 'method', 'elapsedMs']);
    expect(out['status']).toBe('optimal');
    expect(out['method']).toBe('auto/highs');
    expect(typeof out['elapsedMs']).toBe('number');
    const instance = await readInstanceFile(path);
    const winners = out['winners'] as string[];
    const { value } = recheck(instance, winners);
    const decimals = instance.decimals;
    const text = value.toString().padStart(decimals + 1, '0');
    expect(out['value']).toBe(`${text.slice(0, -decimals)}.${text.slice(-decimals)}`);
    expect(out['bound']).toBe(out['value']);
  });

  it('solves a JSON instance with wei amounts exactly', async () => {
    const path = file('wei.json', JSON.stringify({
      rollups: [{ id: 'a', reserve: '1000000000000000000' }, { id: 'b', reserve: '0' }],
      bids: [
        { id: 'x', bidder: '0x01', bundle: ['a', 'b'], amount: '3000000000000000001' },
        { id: 'y', bidder: '0x02', bundle: ['b'], amount: '2000000000000000001' },
      ],
    }));
    const run = await runCli('solve', path, '--json', '--method', 'exact');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'optimal', value: '3000000000000000001', revenue: '2000000000000000001', winners: ['y'] });
  });

  it('human output names status, value and bound', async () => {
    const run = await runCli('solve', 'corpus/sandholm/rand2000_100.txt');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^status {4}optimal \(proven\)$/m);
    expect(run.stdout).toMatch(/^value {5}\d+\.\d{6}$/m);
    // Proven optimal: the bound line shows the value itself and a zero gap.
    const value = /^value {5}(\S+)$/m.exec(run.stdout)?.[1];
    expect(value).toBeDefined();
    expect(run.stdout).toMatch(new RegExp(`^bound {5}${(value ?? '').replace('.', '\\.')} {2}\\(gap 0\\.0000%\\)$`, 'm'));
  });
});

describe('cli errors: exit 2 and one line naming the problem', () => {
  const expectBadInput = (run: { code: number; stdout: string; stderr: string }, pattern: RegExp): void => {
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('missing file', async () => {
    expectBadInput(await runCli('solve', join(dir, 'nope.json')), /nope\.json.*(no such file|not found)/i);
  });

  it('malformed JSON names file, line and column', async () => {
    expectBadInput(await runCli('solve', file('broken.json', '{\n  "rollups": [\n  ,]\n}')), /broken\.json.*line 3/);
  });

  it('bad amount names the field', async () => {
    const path = file('amount.json', JSON.stringify({ rollups: [{ id: 'a' }], bids: [{ id: 'b', bidder: 'x', bundle: ['a'], amount: '1e18' }] }));
    expectBadInput(await runCli('solve', path), /amount\.json: bids\[0\]\.amount: .*exponent/);
  });

  it('unknown rollup in a bundle', async () => {
    const path = file('unknown.json', JSON.stringify({ rollups: [{ id: 'a' }], bids: [{ id: 'b', bidder: 'x', bundle: ['zz'], amount: '1' }] }));
    expectBadInput(await runCli('solve', path), /bids\[0\]\.bundle\[0\]: names an unknown rollup \(received "zz"\)/);
  });

  it('bad CATS line names the line', async () => {
    expectBadInput(await runCli('solve', file('bad.txt', '3 2 #\n0\t1.5\t0\t1\t#\n1\tabc\t2\t#\n')), /bad\.txt.*line 3/);
  });

  it('bad options', async () => {
    expectBadInput(await runCli('solve', 'corpus/cats/paths_40.txt', '--time-limit', 'soon'), /time-limit|seconds/);
    expectBadInput(await runCli('solve', 'corpus/cats/paths_40.txt', '--method', 'magic'), /method|expected one of/);
    expectBadInput(await runCli('frobnicate'), /unknown command/);
    expectBadInput(await runCli('solve'), /missing required argument/);
  });
});

describe('cli generate', () => {
  it('same seed, same file; the file solves', async () => {
    const a = await runCli('generate', '--family', 'bidder-interest', '--rollups', '20', '--bids', '60', '--seed', '5');
    const b = await runCli('generate', '--family', 'bidder-interest', '--rollups', '20', '--bids', '60', '--seed', '5');
    const c = await runCli('generate', '--family', 'bidder-interest', '--rollups', '20', '--bids', '60', '--seed', '6');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    const cats = await runCli('generate', '--family', 'regions', '--rollups', '16', '--bids', '40', '--seed', '1', '--format', 'cats');
    const path = file('gen.txt', cats.stdout);
    const solved = await runCli('solve', path, '--json');
    expect(JSON.parse(solved.stdout)).toMatchObject({ status: 'optimal' });
  });

  it('rejects an unknown family with the list of families', async () => {
    const run = await runCli('generate', '--family', 'nope', '--rollups', '5', '--bids', '5');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rollup-market/);
  });
});

describe('cli demo and binary', () => {
  it('demo prints the allocation and schedule', async () => {
    const run = await runCli('demo');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Winning bundles: proven optimal/);
    expect(run.stdout).toMatch(/Proposer schedule/);
  });

  it('dist/cli.js runs as a program (built by pretest)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/cli.js', 'solve', 'corpus/cats/paths_40.txt', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'optimal' });
  });
});
