/**
 * The public corpus: the CATS files and Sandholm's decay/random files solve to proven optimum
 * with HiGHS and with the default `auto`, every answer re-verified
 * independently of the solver and cross-checked with native CBC's stored optima.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstanceFile } from '../src/formats/files.js';
import { formatAmount } from '../src/model/money.js';
import type { Instance } from '../src/model/types.js';
import { solve, type SolveResult } from '../src/solver/solve.js';
import { recheck } from './support/oracle.js';

const solvable = [
  ...readdirSync('corpus/cats').map((f) => join('corpus/cats', f)),
  ...readdirSync('corpus/sandholm').filter((f) => /^(Decay|rand|Wrand)/.test(f)).map((f) => join('corpus/sandholm', f)),
].sort();

/** Optima proven by native CBC (an independent solver), 8 decimals. */
const cbcOptima = (JSON.parse(readFileSync('corpus/optima.json', 'utf8')) as { optima: Record<string, string> }).optima;

/** Checks a claimed optimum against the re-check and CBC's proven optimum. */
function expectCbcOptimum(path: string, instance: Instance, r: SolveResult): void {
  expect(r.status).toBe('optimal');
  const { value, revenue } = recheck(instance, r.winners);
  expect(r.value).toBe(value);
  expect(r.revenue).toBe(revenue);
  expect(r.bound).toBe(value);
  // Cross-check with CBC's optimum (printed with 8 decimals; ours are exact).
  const cbc = cbcOptima[path.replace(/^corpus\//, '')];
  expect(cbc).toBeDefined();
  expect(formatAmount(value, instance.decimals).padEnd((cbc as string).length, '0')).toBe(cbc);
}

describe('corpus: proven optimum with HiGHS', () => {
  it('covers the ten CATS files and five Sandholm decay/random files', () => {
    expect(solvable).toHaveLength(15);
  });

  for (const path of solvable) {
    it(path, async () => {
      const instance = await readInstanceFile(path);
      // arbitrary_100 takes ~40 s on an idle machine; the limit is generous so a loaded CI still proves it.
      const r = await solve(instance, { method: 'exact', backend: 'highs', timeLimit: 600 });
      expectCbcOptimum(path, instance, r);
    }, 660_000);
  }
});

describe('corpus: the default method auto reaches the same proven optima', () => {
  // Every solvable file, with auto's anytime search first and then its MIP (arbitrary_100 ~40 s idle).
  for (const path of solvable) {
    it(path, async () => {
      const instance = await readInstanceFile(path);
      const r = await solve(instance, { timeLimit: 600 });
      expect(r.method).toMatch(/^auto\//);
      expectCbcOptimum(path, instance, r);
    }, 660_000);
  }
});
