/** The README example of `bundle-auction/testing`, run for real against a toy allocator. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Allocation, Instance } from '../src/model/types.js';
import { challenges, instances, invariants } from '../src/testing/index.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

/** A user's allocator: highest amount first, skipping conflicts (ignores reserves!). */
function myAllocator(instance: Instance): { winners: string[]; value: bigint } {
  const used = new Set<string>();
  const groups = new Set<string>();
  const winners: string[] = [];
  let revenue = 0n;
  for (const bid of [...instance.bids].sort((a, b) => (a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : 0))) {
    if (bid.bundle.some((r) => used.has(r)) || (bid.exclusive !== undefined && groups.has(bid.exclusive))) continue;
    bid.bundle.forEach((r) => used.add(r));
    if (bid.exclusive !== undefined) groups.add(bid.exclusive);
    winners.push(bid.id);
    revenue += bid.amount;
  }
  const unsold = instance.rollups.filter((r) => !used.has(r.id)).reduce((s, r) => s + r.reserve, 0n);
  return { winners, value: revenue + unsold };
}

describe('bundle-auction/testing', () => {
  it('property-tests a user allocator in a few lines', () => {
    fc.assert(fc.property(instances({ maxRollups: 8, maxBids: 20, wei: true }), (instance) => {
      const { winners, value } = myAllocator(instance);
      return invariants.feasible(instance, { winners }) && invariants.valueIs(instance, { winners }, value);
    }), { seed: PROPERTY_SEED, numRuns: 500 });
  });

  it('catches an allocator that gets the value wrong', () => {
    const wrong = (instance: Instance): { winners: string[]; value: bigint } => {
      const r = myAllocator(instance);
      return { ...r, value: r.value - instance.rollups.reduce((s, x) => s + x.reserve, 0n) }; // forgets reserves
    };
    const run = fc.check(fc.property(instances({ maxRollups: 4, maxBids: 4 }), (instance) => {
      const { winners, value } = wrong(instance);
      return invariants.valueIs(instance, { winners }, value);
    }), { seed: PROPERTY_SEED, numRuns: 200 });
    expect(run.failed).toBe(true);
  });

  it('challenges produce both accepted and rejected cases', () => {
    const seen = { accepted: 0, rejected: 0 };
    fc.assert(fc.property(challenges({ maxBids: 6 }), ({ instance, incumbent, challenger }) => {
      if (invariants.challengerWins(instance, incumbent, challenger)) seen.accepted++;
      else seen.rejected++;
      const challengerOk: Allocation = challenger;
      return invariants.feasible(instance, challengerOk) || !invariants.challengerWins(instance, incumbent, challenger);
    }), { seed: PROPERTY_SEED, numRuns: 500 });
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
  });
});
