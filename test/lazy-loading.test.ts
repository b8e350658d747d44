/**
 * Fixed costs (issue 13 item 4): `solve` imports its own module graph only. The built CLI runs
 * with a module-load hook that records every ESM module loaded; `solve` on small files must not
 * load the node's, the bench harness's or the workers' dependencies. Loading one command's module
 * must not change what that command prints: its help is the same as with every command loaded.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from '../src/cli/commands.js';
import { runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `--import` module registering a load hook that appends each loaded URL to $LOAD_LOG. */
const hook = join(dir, 'record-loads.mjs');
writeFileSync(hook, `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.LOAD_LOG, url + '\\\\n'); return next(url, context); }
\`));
`);

/** The packages (under node_modules) whose modules `bundle-auction ...argv` loaded. */
async function loadedPackages(name: string, ...argv: string[]): Promise<{ packages: Set<string>; urls: string[]; stdout: string }> {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', pathToFileURL(hook).href, 'dist/cli.js', ...argv], { env: { ...process.env, LOAD_LOG: log } });
  const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u !== '');
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  return { packages, urls, stdout };
}

const HEAVY = ['fastify', 'pg', 'better-sqlite3', 'piscina', 'cli-progress', 'viem', 'prom-client', 'secp256k1'];

describe('lazy command loading (built CLI)', () => {
  it.each(['corpus/cats/matching_40.txt', 'corpus/cats/paths_100.txt'])('solve %s loads none of the heavy dependencies', async (file) => {
    const run = await loadedPackages(file.replace(/\W/g, '_'), 'solve', file, '--json');
    expect((JSON.parse(run.stdout) as { status: string }).status).toBe('optimal');
    // The hook saw the solve: HiGHS and the solver's own modules were recorded.
    expect(run.packages.has('highs')).toBe(true);
    expect(run.urls.some((u) => u.endsWith('/dist/solver/presolve.js'))).toBe(true);
    for (const name of HEAVY) expect(run.packages.has(name), name).toBe(false);
    expect(run.urls.some((u) => /\/dist\/(node|cli\/bench)\//.test(u)), 'node or bench modules').toBe(false);
  });

  it('help loads every command (so the hook does see the heavy packages)', async () => {
    const run = await loadedPackages('help', '--help');
    for (const name of ['fastify', 'viem', 'piscina', 'cli-progress']) expect(run.packages.has(name), name).toBe(true);
    expect(run.stdout).toContain('solve [options] <file>');
  });
});

describe('command registry', () => {
  it('registers only the named command module, or all of them', () => {
    expect(commandsFor(['solve', 'x.txt', '--json']).map((e) => e.names)).toEqual([['solve']]);
    expect(commandsFor(['challenge', '--json']).map((e) => e.names)).toEqual([['bid', 'challenge', 'result']]);
    for (const argv of [[], ['--help'], ['-V'], ['help', 'solve'], ['solv'], ['--', 'solve'], ['--help', 'solve'], ['-h', 'bid']]) expect(commandsFor(argv), argv.join(' ')).toBe(COMMANDS);
  });

  it.each(COMMANDS.flatMap((e) => e.names))('%s --help (its module alone) prints what `help NAME` (every module) prints', async (name) => {
    const alone = await runCli(name, '--help');
    const all = await runCli('help', name);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain(`Usage: bundle-auction ${name}`);
    expect(alone.stdout).toBe(all.stdout);
    expect(alone.stderr).toBe(all.stderr);
  });

  it('keeps usage errors as they were: an unknown command gets a suggestion, a bad option exit 2', async () => {
    const typo = await runCli('solv', 'x');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("error: unknown command 'solv'\n");
    const bad = await runCli('solve', 'corpus/cats/matching_40.txt', '--method', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: option \'--method <method>\' argument \'nope\' is invalid. expected one of exact, heuristic, auto, got "nope"\n');
  });
});
