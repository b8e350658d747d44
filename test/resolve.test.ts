import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';
import { solve } from '../src/solver/solve.js';
import { instances } from '../src/testing/index.js';
import { checkAllocation } from '../src/verify/check.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { runCli } from './support/cli.js';

/** The same market after the window moved: some bids arrive, one reserve changes. */
function evolve(inst: Instance, extra: number, reserveBump: bigint): Instance {
  const rollups = inst.rollups.map((r, i) => ({ id: r.id, reserve: i === 0 ? r.reserve + reserveBump : r.reserve }));
  const bids = [
    ...inst.bids,
    ...Array.from({ length: extra }, (_, k) => ({
      id: `late${k}`, bidder: 'late', bundle: [inst.rollups[k % inst.rollups.length]?.id ?? 'r0'], amount: 10n ** 5n + BigInt(k * 7919),
    })),
  ];
  return createInstance({ rollups, bids });
}

const medium = instances({ maxRollups: 20, minBids: 20, maxBids: 60, minAmount: 10n ** 5n, maxAmount: 2n * 10n ** 5n, groups: true, priceBySize: true, maxBundle: 5 });

describe('incremental re-solve from an incumbent', () => {
  it('reaches the same proven optimum as a fresh solve after bids arrive and a reserve changes', async () => {
    await fc.assert(fc.asyncProperty(medium, fc.integer({ min: 0, max: 6 }), fc.bigInt({ min: 0n, max: 3n * 10n ** 5n }), async (inst, extra, bump) => {
      const before = await solve(inst, { method: 'exact' });
      const after = evolve(inst, extra, bump);
      const fresh = await solve(after, { method: 'exact' });
      const warm = await solve(after, { method: 'exact', incumbent: { winners: before.winners } });
      expect(warm.status).toBe('optimal');
      expect(warm.value).toBe(fresh.value);
      expect(checkAllocation(after, { winners: warm.winners }).value).toBe(warm.value);
    }), { seed: PROPERTY_SEED, numRuns: 25 });
  });

  it('never returns less than a still-valid incumbent, even with no time to search', async () => {
    await fc.assert(fc.asyncProperty(medium, async (inst) => {
      const best = await solve(inst, { method: 'exact' });
      const rushed = await solve(inst, { method: 'heuristic', timeLimit: 1e-6, enumerationLimit: 1, incumbent: { winners: [...best.winners, 'withdrawn-bid'] } });
      expect(rushed.value >= best.value).toBe(true);
      expect(checkAllocation(inst, { winners: rushed.winners }).valid).toBe(true);
    }), { seed: PROPERTY_SEED, numRuns: 40 });
  });
});

describe('cli solve --incumbent', () => {
  it('starts from the allocation file and reports bad files as bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-auction-resolve-'));
    const instance = join(dir, 'market.json');
    writeFileSync(instance, JSON.stringify({
      rollups: [{ id: 'a' }, { id: 'b' }],
      bids: [{ id: 'x', bidder: 'p', bundle: ['a', 'b'], amount: '10' }, { id: 'y', bidder: 'q', bundle: ['a'], amount: '6' }, { id: 'z', bidder: 'q', bundle: ['b'], amount: '5' }],
    }));
    const incumbent = join(dir, 'previous.json');
    writeFileSync(incumbent, JSON.stringify({ winners: ['y', 'z', 'gone'] }));
    const run = await runCli('solve', instance, '--incumbent', incumbent, '--method', 'heuristic', '--time-limit', '0.000001', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ value: '11', winners: ['y', 'z'] });
    writeFileSync(incumbent, '{"winners": 5}');
    const bad = await runCli('solve', instance, '--incumbent', incumbent);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/previous\.json: winners/);
  });
});
