/**
 * vitest globalSetup: makes sure what the suite needs beyond node_modules is there, and fails
 * loudly when it cannot be (no test skips silently for a missing prerequisite):
 * - `dist/` built (`npm test` builds it first; the bench isolation test runs the built CLI);
 * - native COIN-OR CBC for the bench tests, installed by `bench/setup.sh` when missing
 *   (idempotent, apt-get as root or through sudo), bounded in time.
 * - Chromium for the browser tests (`test/browser/`), Debian's `chromium` installed the same way
 *   (`BUNDLE_AUCTION_CHROMIUM` names another executable).
 * `BUNDLE_AUCTION_NO_CBC=1` skips the CBC tests on purpose (e.g. a machine without apt-get),
 * `BUNDLE_AUCTION_NO_BROWSER=1` the browser tests; each skip is then reported, never silent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browserOptOut, chromiumPath } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** bench/setup.sh may run apt-get update and install: bounded. */
const SETUP_TIMEOUT_MS = 900_000;

/** Whether `cbc` runs from PATH. */
export function cbcOnPath(): boolean {
  return spawnSync('cbc', ['-quit'], { encoding: 'utf8', timeout: 30_000 }).error === undefined;
}

export default function setup(): void {
  const cli = process.env['BUNDLE_AUCTION_CLI'] ?? `${root}dist/cli.js`;
  if (!existsSync(cli)) throw new Error(`test setup: ${cli} is missing: run \`npm run build\` (\`npm test\` builds first)`);
  setupChromium();
  if (process.env['BUNDLE_AUCTION_NO_CBC'] === '1') {
    process.stderr.write('test setup: BUNDLE_AUCTION_NO_CBC=1: the CBC bench tests are skipped\n');
    return;
  }
  if (cbcOnPath()) return;
  const run = spawnSync('bash', [`${root}bench/setup.sh`, 'cbc'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: SETUP_TIMEOUT_MS });
  if (run.error !== undefined || run.status !== 0 || !cbcOnPath()) {
    const why = run.error?.message ?? (run.status !== 0 ? `exit ${String(run.status)}` : 'cbc still not on PATH');
    throw new Error(`test setup: native cbc is required by test/bench.test.ts and bench/setup.sh could not install it (${why}); install COIN-OR CBC, or set BUNDLE_AUCTION_NO_CBC=1 to skip those tests on purpose`);
  }
}

/** Chromium for the browser tests: there, installed by bench/setup.sh, or a loud failure (or the reported opt-out). */
function setupChromium(): void {
  if (browserOptOut()) {
    process.stderr.write('test setup: BUNDLE_AUCTION_NO_BROWSER=1: the browser tests are skipped\n');
    return;
  }
  const exe = chromiumPath();
  if (existsSync(exe)) return;
  const run = spawnSync('bash', [`${root}bench/setup.sh`, 'chromium'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: SETUP_TIMEOUT_MS });
  if (run.error !== undefined || run.status !== 0 || !existsSync(exe)) {
    const why = run.error?.message ?? (run.status !== 0 ? `exit ${String(run.status)}` : `${exe} still missing`);
    throw new Error(`test setup: Chromium is required by test/browser/ and bench/setup.sh could not install it (${why}); install Debian's chromium (or set BUNDLE_AUCTION_CHROMIUM to a Chromium executable), or set BUNDLE_AUCTION_NO_BROWSER=1 to skip those tests on purpose`);
  }
}
