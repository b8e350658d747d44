/**
 * The CLI's output paths: a closed stdout ends a command quietly (exit 0, no trace); an output
 * path that cannot be written is a usage error (exit 2, one line naming the path and the OS
 * reason), found before the work starts or, failing late, after the primary result is printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instanceToJson } from '../src/formats/json.js';
import { generateInstance } from '../src/generators/index.js';
import { runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-output-'));
const instanceFile = join(dir, 'instance.json');
writeFileSync(instanceFile, instanceToJson(generateInstance('bidder-interest', { rollups: 8, bids: 30, seed: 1 })));

/** Runs `bundle-auction ARGS | head -1` in a shell; returns the CLI's own exit code and stderr. */
function pipedToHead(args: string): { code: number; stderr: string; first: string } {
  const run = spawnSync('bash', ['-c', `node dist/cli.js ${args} 2>"${join(dir, 'stderr.txt')}" | head -1; echo "exit=\${PIPESTATUS[0]}"; cat "${join(dir, 'stderr.txt')}"`], {
    encoding: 'utf8', timeout: 120_000,
  });
  const [first = '', exit = '', ...stderr] = run.stdout.split('\n');
  return { code: Number(exit.replace('exit=', '')), stderr: stderr.join('\n').trim(), first };
}

/** The one-line usage error of an unwritable path. */
function expectPathError(run: { code: number; stderr: string }, path: string, reason: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(path);
  expect(run.stderr).toMatch(reason);
  expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('a closed stdout', () => {
  it('ends generate | head -1 on a large output quietly with exit 0', () => {
    const run = pipedToHead('generate --family uniform --rollups 50 --bids 5000 --seed 3');
    expect(run.first).toBe('{');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('ends solve --json | head -1 quietly with exit 0', () => {
    const run = pipedToHead(`solve ${instanceFile} --json --time-limit 5`);
    expect(run.first.startsWith('{"status":')).toBe(true);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('unwritable output paths', () => {
  it('solve --certificate into a missing directory: exit 2 before the solve, nothing on stdout', async () => {
    const run = await runCli('solve', instanceFile, '--certificate', '/nonexistent/x.json');
    expectPathError(run, '/nonexistent/x.json', /no such directory/);
    expect(run.stdout).toBe('');
  });

  it('solve --certificate naming a directory: exit 2', async () => {
    expectPathError(await runCli('solve', instanceFile, '--certificate', dir), dir, /is a directory/);
  });

  it.runIf(existsSync('/dev/full'))('solve --certificate failing late: the result is printed first, then exit 2', async () => {
    const run = await runCli('solve', instanceFile, '--json', '--certificate', '/dev/full');
    expectPathError(run, '/dev/full', /no space left on device/);
    expect((JSON.parse(run.stdout) as { status: string }).status).toBe('optimal');
  });

  it('simulate --out under a file: exit 2 before simulating', async () => {
    const file = join(dir, 'afile');
    writeFileSync(file, 'x');
    for (const out of [`${file}/`, join(file, 'sub')]) {
      const run = await runCli('simulate', '--slots', '2', '--rollups', '3', '--out', out);
      expectPathError(run, out, /not a directory/);
      expect(run.stdout).toBe('');
    }
  });

  it('simulate --out failing late: the summary is printed, then exit 2 naming the file', async () => {
    const out = join(dir, 'late');
    mkdirSync(join(out, 'slots.csv'), { recursive: true });
    const run = await runCli('simulate', '--slots', '2', '--rollups', '3', '--bidders', '3', '--out', out);
    expectPathError(run, join(out, 'slots.csv'), /is a directory/);
    expect(run.stdout).toMatch(/mechanism\s+revenue/);
  });
});
