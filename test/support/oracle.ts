/**
 * Independent reference implementations for tests: they share no code with src/ beyond the
 * Instance type, so they can catch bugs in the model's own evaluation.
 */
import type { Bid, Instance } from '../../src/model/types.js';

/** Value and revenue of winners by id, recomputed from scratch; throws if infeasible. */
export function recheck(instance: Instance, winners: readonly string[]): { value: bigint; revenue: bigint } {
  const byId = new Map(instance.bids.map((b) => [b.id, b]));
  const usedRollups = new Set<string>();
  const usedGroups = new Set<string>();
  const seen = new Set<string>();
  let revenue = 0n;
  for (const id of winners) {
    const bid = byId.get(id);
    if (bid === undefined) throw new Error(`unknown winner ${id}`);
    if (seen.has(id)) throw new Error(`winner ${id} repeated`);
    seen.add(id);
    for (const r of bid.bundle) {
      if (usedRollups.has(r)) throw new Error(`rollup ${r} sold twice`);
      usedRollups.add(r);
    }
    if (bid.exclusive !== undefined) {
      if (usedGroups.has(bid.exclusive)) throw new Error(`group ${bid.exclusive} used twice`);
      usedGroups.add(bid.exclusive);
    }
    revenue += bid.amount;
  }
  let value = revenue;
  for (const r of instance.rollups) if (!usedRollups.has(r.id)) value += r.reserve;
  return { value, revenue };
}

/** Optimal value by trying every subset of bids (for ≤ 16 bids). */
export function bruteForceValue(instance: Instance): bigint {
  const bids = instance.bids;
  if (bids.length > 16) throw new Error('brute force is for at most 16 bids');
  let best = -1n;
  const chosen: Bid[] = [];
  const visit = (i: number): void => {
    if (i === bids.length) {
      const value = valueOf(instance, chosen);
      if (value !== null && value > best) best = value;
      return;
    }
    visit(i + 1);
    chosen.push(bids[i] as Bid);
    visit(i + 1);
    chosen.pop();
  };
  visit(0);
  return best;
}

function valueOf(instance: Instance, chosen: readonly Bid[]): bigint | null {
  try {
    return recheck(instance, chosen.map((b) => b.id)).value;
  } catch {
    return null;
  }
}

/** Value of winners by {@link recheck}, or null when they are not a feasible allocation. */
export function valueOrNull(instance: Instance, winners: readonly string[]): bigint | null {
  try {
    return recheck(instance, winners).value;
  } catch {
    return null;
  }
}

/** Packs bids in the given order, keeping each one that still fits (rollups and groups). */
export function packInOrder(instance: Instance, order: readonly string[]): string[] {
  const byId = new Map(instance.bids.map((b) => [b.id, b]));
  const usedRollups = new Set<string>();
  const usedGroups = new Set<string>();
  const out: string[] = [];
  for (const id of order) {
    const bid = byId.get(id);
    if (bid === undefined || out.includes(id)) continue;
    if (bid.bundle.some((r) => usedRollups.has(r))) continue;
    if (bid.exclusive !== undefined && usedGroups.has(bid.exclusive)) continue;
    for (const r of bid.bundle) usedRollups.add(r);
    if (bid.exclusive !== undefined) usedGroups.add(bid.exclusive);
    out.push(id);
  }
  return out;
}

/**
 * Whether exclusive groups and reserves decide the optimum, by trying every subset (≤ 16 bids):
 * groups bind when dropping them would allow a better allocation; reserves bind when no
 * allocation of the highest revenue is optimal (a seller's reserve beat some bid).
 */
export function bindingCases(instance: Instance): { groups: boolean; reserves: boolean } {
  const bids = instance.bids;
  if (bids.length > 16) throw new Error('bindingCases is for at most 16 bids');
  let best = -1n;
  let bestIgnoringGroups = -1n;
  let maxRevenue = -1n;
  let bestAtMaxRevenue = -1n;
  for (let mask = 0; mask < 1 << bids.length; mask++) {
    const rollups = new Set<string>();
    const groups = new Set<string>();
    let disjoint = true;
    let groupsOk = true;
    let revenue = 0n;
    bids.forEach((b, i) => {
      if (((mask >> i) & 1) === 0) return;
      for (const r of b.bundle) { if (rollups.has(r)) disjoint = false; rollups.add(r); }
      if (b.exclusive !== undefined) { if (groups.has(b.exclusive)) groupsOk = false; groups.add(b.exclusive); }
      revenue += b.amount;
    });
    if (!disjoint) continue;
    let value = revenue;
    for (const r of instance.rollups) if (!rollups.has(r.id)) value += r.reserve;
    if (value > bestIgnoringGroups) bestIgnoringGroups = value;
    if (!groupsOk) continue;
    if (value > best) best = value;
    if (revenue > maxRevenue) { maxRevenue = revenue; bestAtMaxRevenue = value; } else if (revenue === maxRevenue && value > bestAtMaxRevenue) bestAtMaxRevenue = value;
  }
  return { groups: best < bestIgnoringGroups, reserves: bestAtMaxRevenue < best };
}
