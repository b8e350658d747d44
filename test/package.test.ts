/**
 * The package stands alone: `npm pack` of the built repository holds LICENSE, the design
 * document and the compiled code without dangling source maps; a plain install pulls no GPL
 * dependency; and a strict TypeScript project (examples/consumer) compiles against the tarball,
 * runs, and fails to compile on a misspelt instance key, an unknown family and a root import of
 * a tuning constant. glpk.js is absent there, so `--backend glpk` must say how to get it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'bundle-auction-pack-'));
const consumer = join(work, 'consumer');
let files: string[] = [];
let packed: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> } = {};

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
  files = info.files.map((f) => f.path).sort();
  // The consumer project, with the tarball unpacked as its node_modules/bundle-auction and the
  // package's runtime dependencies linked from this checkout (no network, and no glpk.js).
  cpSync(join(repo, 'examples/consumer'), consumer, { recursive: true });
  const pkgDir = join(consumer, 'node_modules/bundle-auction');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, info.filename), '-C', pkgDir, '--strip-components=1']);
  packed = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as typeof packed;
  mkdirSync(join(consumer, 'node_modules/@types'), { recursive: true });
  for (const dep of [...Object.keys(packed.dependencies ?? {}), '@types/node']) {
    symlinkSync(join(repo, 'node_modules', dep), join(consumer, 'node_modules', dep), 'dir');
  }
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships LICENSE, README, docs/DESIGN.md and the compiled entry points, and no dangling source maps', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'docs/DESIGN.md', 'dist/index.js', 'dist/index.d.ts', 'dist/tuning.js', 'dist/testing/index.js', 'dist/bench/index.js', 'dist/bench/index.d.ts', 'dist/cli.js', 'dist/node/pg-store.js', 'dist/node/migrations/001_initial.sql', 'dist/dashboard/web/app.js', 'dist/dashboard/web/charts.js', 'dist/dashboard/web/report.js']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => !/^(dist|docs)\//.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('docs/img/'))).toEqual([]); // README screenshots stay in the repository
    // A map is only shipped with every source it names.
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(consumer, 'node_modules/bundle-auction', map), 'utf8')) as { sources: string[] };
      for (const s of sources) expect(files).toContain(join(map, '..', s));
    }
    expect(readFileSync(join(consumer, 'node_modules/bundle-auction/LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('pulls no GPL dependency on a plain install: glpk.js is an optional peer only', () => {
    expect(packed.dependencies?.['glpk.js']).toBeUndefined();
    expect(packed.optionalDependencies?.['glpk.js']).toBeUndefined();
    expect(packed.peerDependencies?.['glpk.js']).toBeDefined();
    expect(packed.peerDependenciesMeta?.['glpk.js']?.optional).toBe(true);
    // Every package a production install resolves (the lock file's non-dev entries).
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean; license?: string }> };
    const production = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev !== true);
    expect(production.length).toBeGreaterThan(5);
    expect(production.filter(([, p]) => /GPL/i.test(p.license ?? '')).map(([path]) => path)).toEqual([]);
  });
});

describe('the root export is the public API only', () => {
  it('shares no name with bundle-auction/tuning (internals and constants live there)', async () => {
    const root = Object.keys(await import(join(consumer, 'node_modules/bundle-auction/dist/index.js')) as object);
    const tuning = Object.keys(await import(join(consumer, 'node_modules/bundle-auction/dist/tuning.js')) as object);
    expect(root.length).toBeGreaterThan(40);
    expect(tuning).toContain('HashStream');
    expect(root.filter((name) => tuning.includes(name))).toEqual([]);
  });
});

describe('a strict TypeScript consumer of the tarball', () => {
  it('compiles with tsc --strict except for the must-fail cases, each failing for its reason, and runs', () => {
    const tsc = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '--strict', '--pretty', 'false', '-p', 'tsconfig.json'], {
      cwd: consumer, encoding: 'utf8', timeout: 180_000,
    });
    const errors = tsc.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    // Every error is in must-fail/ (none in src/: its @ts-expect-error lines did fail as expected).
    expect(errors.filter((l) => !l.startsWith('must-fail/'))).toEqual([]);
    expect(errors.find((l) => l.startsWith('must-fail/misspelt-key.ts'))).toMatch(/'resrve' does not exist/);
    expect(errors.find((l) => l.startsWith('must-fail/unknown-family.ts'))).toMatch(/"bidder-intrest"/);
    expect(errors.find((l) => l.startsWith('must-fail/root-internals.ts'))).toMatch(/TABU_SAMPLE/);
    expect(tsc.status).not.toBe(0);

    const run = spawnSync(process.execPath, [join(consumer, 'dist/src/main.js')], { cwd: consumer, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ status: 'optimal', value: '15', winners: ['y', 'z'], valid: true, winnerCount: 2, generatedBids: 5 });
    expect(out['benchChecks']).toEqual(['highs:ok', 'overlap:invalid']);
    expect(out['typo']).toContain('did you mean "reserve"?');
  }, 240_000);

  it('--backend glpk without glpk.js installed: exit 3 with how to install it', () => {
    expect(existsSync(join(consumer, 'node_modules/glpk.js'))).toBe(false);
    const file = join(work, 'tiny.json');
    writeFileSync(file, '{"rollups":[{"id":"a"}],"bids":[{"id":"x","bundle":["a"],"amount":"1"}]}');
    const run = spawnSync(process.execPath, [join(consumer, 'node_modules/bundle-auction/dist/cli.js'), 'solve', file, '--backend', 'glpk'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('npm install glpk.js');
  });
});
