import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';
import { solve } from '../src/solver/solve.js';
import { instances } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { runCli } from './support/cli.js';
import { independentOptimum } from './support/independent-mip.js';
import { recheck, valueOrNull } from './support/oracle.js';

/** How the market moved between two solves. */
interface Move {
  /** Which of the incumbent's winners are withdrawn (bit k: winner k). */
  readonly withdraw: number;
  /** New bids, each over one or two incumbent winners' rollups plus one more, at a factor of their amounts. */
  readonly conflicting: readonly { readonly winners: readonly number[]; readonly extra: number; readonly percent: number }[];
  /** Plain late single-rollup bids. */
  readonly late: number;
  /** Reserve raised on the first rollup of incumbent winner `bump.winner`, by `bump.amount`. */
  readonly bump: { readonly winner: number; readonly amount: bigint };
}

const moves = fc.record({
  withdraw: fc.nat(255),
  conflicting: fc.array(fc.record({ winners: fc.uniqueArray(fc.nat(20), { minLength: 1, maxLength: 2 }), extra: fc.nat(), percent: fc.integer({ min: 80, max: 140 }) }), { maxLength: 4 }),
  late: fc.integer({ min: 0, max: 3 }),
  bump: fc.record({ winner: fc.nat(20), amount: fc.bigInt({ min: 0n, max: 3n * 10n ** 5n }) }),
});

/** The same market after the window moved: winners withdrawn, conflicting bundles and late bids arrive, a reserve rises. */
function evolve(inst: Instance, incumbent: readonly string[], move: Move): Instance {
  const byId = new Map(inst.bids.map((b) => [b.id, b]));
  const won = incumbent.map((id) => byId.get(id)).filter((b) => b !== undefined);
  const withdrawn = new Set(won.filter((_, k) => ((move.withdraw >> k) & 1) === 1).map((b) => b.id));
  const bumped = won.length === 0 ? undefined : won[move.bump.winner % won.length]?.bundle[0];
  const rollups = inst.rollups.map((r) => ({ id: r.id, reserve: r.id === bumped ? r.reserve + move.bump.amount : r.reserve }));
  const conflicting = won.length === 0 ? [] : move.conflicting.map((c, k) => {
    const over = [...new Set(c.winners.map((w) => won[w % won.length] as (typeof won)[number]))];
    const members = new Set(over.flatMap((b) => b.bundle));
    members.add(inst.rollups[c.extra % inst.rollups.length]?.id ?? 'r0');
    const amount = (over.reduce((s, b) => s + b.amount, 0n) * BigInt(c.percent)) / 100n;
    return { id: `conflict${k}`, bidder: 'rival', bundle: [...members], amount };
  });
  const late = Array.from({ length: move.late }, (_, k) => ({
    id: `late${k}`, bidder: 'late', bundle: [inst.rollups[k % inst.rollups.length]?.id ?? 'r0'], amount: 10n ** 5n + BigInt(k * 7919),
  }));
  return createInstance({ rollups, bids: [...inst.bids.filter((b) => !withdrawn.has(b.id)), ...conflicting, ...late] });
}

const medium = instances({ maxRollups: 20, minBids: 20, maxBids: 60, minAmount: 10n ** 5n, maxAmount: 2n * 10n ** 5n, groups: true, priceBySize: true, maxBundle: 5 });

describe('incremental re-solve from an incumbent', () => {
  it('reaches the same proven optimum as a fresh solve after winners withdraw, conflicting bids arrive and a reserve rises', async () => {
    const seen = { withdrawn: 0, conflictWins: 0, incumbentBeaten: 0 };
    await fc.assert(fc.asyncProperty(medium, moves, async (inst, move) => {
      const before = await solve(inst, { method: 'exact' });
      const after = evolve(inst, before.winners, move);
      const fresh = await solve(after, { method: 'exact' });
      const warm = await solve(after, { method: 'exact', incumbent: { winners: before.winners } });
      expect(warm.status).toBe('optimal');
      expect(warm.value).toBe(fresh.value);
      expect(warm.value).toBe(await independentOptimum(after));
      expect(recheck(after, warm.winners).value).toBe(warm.value);
      // Guards: the incumbent really stopped fitting, and the new optimum really differs from what is left of it.
      const left = before.winners.filter((id) => after.bids.some((b) => b.id === id));
      if (left.length < before.winners.length) seen.withdrawn++;
      if (warm.winners.some((id) => id.startsWith('conflict'))) seen.conflictWins++;
      if (valueOrNull(after, left) !== warm.value) seen.incumbentBeaten++;
    }), { seed: PROPERTY_SEED, numRuns: 25 });
    expect(seen.withdrawn).toBeGreaterThanOrEqual(12);
    expect(seen.conflictWins).toBeGreaterThanOrEqual(5);
    expect(seen.incumbentBeaten).toBeGreaterThanOrEqual(15);
  });

  it('never returns less than a still-valid incumbent, even with no time to search', async () => {
    await fc.assert(fc.asyncProperty(medium, async (inst) => {
      const best = await solve(inst, { method: 'exact' });
      const rushed = await solve(inst, { method: 'heuristic', timeLimit: 1e-6, enumerationLimit: 1, incumbent: { winners: [...best.winners, 'withdrawn-bid'] } });
      expect(rushed.value >= best.value).toBe(true);
      expect(recheck(inst, rushed.winners).value).toBe(rushed.value);
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
