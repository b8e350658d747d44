import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAuction } from '../src/mechanism/auction.js';
import { runLottery } from '../src/mechanism/lottery.js';
import { PAYOUT_RULES, SHAPLEY_EXACT_MAX, splitPayout, type PayoutMarket } from '../src/mechanism/payouts.js';
import { DEFAULT_EIP1559_PRICING, DEFAULT_PRICING, nextPrice } from '../src/mechanism/pricing.js';
import { reservesAt } from '../src/mechanism/registry.js';
import { parseRoundJson, roundResultObject } from '../src/mechanism/round-json.js';
import { proposerSchedule, type ScheduledSlot } from '../src/mechanism/schedule.js';
import type { AuctionOptions, PayoutRule, PricingRule, Round, RoundResult } from '../src/mechanism/types.js';
import { canonicalJson, sha256Hex } from '../src/model/digest.js';
import { InputError, UsageError } from '../src/model/errors.js';
import { createInstance } from '../src/model/instance.js';
import type { Instance } from '../src/model/types.js';
import { instances } from '../src/testing/index.js';
import { checkAllocation } from '../src/verify/check.js';
import { PROPERTY_SEED } from './support/arbitraries.js';
import { bruteForceValue, recheck } from './support/oracle.js';

const ROLLUPS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];

/** Random rounds: ≤ 6 rollups, ≤ 10 tickets, zero reserves and zero amounts common, any burn and rule. */
const rounds: fc.Arbitrary<Round> = fc.record({
  nRollups: fc.integer({ min: 1, max: 6 }),
  reserves: fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 60n })), { minLength: 6, maxLength: 6 }),
  price: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 8n })),
  tickets: fc.array(fc.record({
    members: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    extra: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 80n }), fc.bigInt({ min: 0n, max: 10n ** 20n })),
    holder: fc.integer({ min: 0, max: 3 }),
  }), { maxLength: 10 }),
  spare: fc.integer({ min: 0, max: 3 }),
  burnBps: fc.oneof(fc.constantFrom(0, 500, 3333, 10_000), fc.integer({ min: 0, max: 10_000 })),
  payoutRule: fc.constantFrom<PayoutRule>(...PAYOUT_RULES),
}).map((g) => {
  const ids = ROLLUPS.slice(0, g.nRollups);
  const tickets = g.tickets.map((t, i) => {
    const bundle = [...new Set(t.members.map((m) => ids[m % g.nRollups] as string))];
    return { id: `t${i}`, holder: `h${t.holder}`, bundle, amount: g.price * BigInt(bundle.length) + t.extra };
  });
  return {
    rollups: ids.map((id, i) => ({ id, reserve: g.reserves[i] ?? 0n })),
    tickets, price: g.price, cap: Math.max(1, tickets.length + g.spare), burnBps: g.burnBps, payoutRule: g.payoutRule,
  };
});

/** ⌈T·bps/10⁴⌉, recomputed here. */
const burn = (total: bigint, bps: number): bigint => (total * BigInt(bps) + 9999n) / 10000n;
const sum = (xs: readonly bigint[]): bigint => xs.reduce((s, x) => s + x, 0n);
const key = (bundle: readonly string[]): string => [...bundle].sort().join('|');

/** Independent optimum: best Σ (T − ⌈T·bps/10⁴⌉) over disjoint distinct bundles + reserves of the rest. */
function bruteForceNet(round: Round): bigint {
  const totals = new Map<string, bigint>();
  for (const t of round.tickets) totals.set(key(t.bundle), (totals.get(key(t.bundle)) ?? 0n) + t.amount);
  const bundles = [...totals.entries()].map(([k, total]) => ({ members: k.split('|'), net: total - burn(total, round.burnBps) }));
  let best = -1n;
  for (let mask = 0; mask < 1 << bundles.length; mask++) {
    const used = new Set<string>();
    let value = 0n;
    let ok = true;
    bundles.forEach((b, i) => {
      if (((mask >> i) & 1) === 0) return;
      for (const m of b.members) { if (used.has(m)) ok = false; used.add(m); }
      value += b.net;
    });
    if (!ok) continue;
    for (const r of round.rollups) if (!used.has(r.id)) value += r.reserve;
    if (value > best) best = value;
  }
  return best;
}

/** Checks a lottery result against the round, independently of the implementation. */
function checkLottery(round: Round, result: RoundResult): void {
  const byId = new Map(round.tickets.map((t) => [t.id, t]));
  const reserve = new Map(round.rollups.map((r) => [r.id, r.reserve]));
  // Conservation to the unit.
  expect(sum(round.tickets.map((t) => t.amount))).toBe(sum(result.refunds.map((r) => r.amount)) + sum(result.payouts.map((p) => p.amount)) + result.burned);
  // Winners: a feasible packing; each holds every ticket on its bundle; paid = Σ; burn per bundle.
  const sold = new Map<string, string>();
  const onWinner = new Set<string>();
  let net = 0n;
  let burned = 0n;
  for (const w of result.winners) {
    for (const r of w.bundle) { expect(sold.has(r)).toBe(false); expect(reserve.has(r)).toBe(true); sold.set(r, w.proposer); }
    const mine = round.tickets.filter((t) => key(t.bundle) === key(w.bundle)).map((t) => t.id).sort();
    expect([...w.tickets].sort()).toEqual(mine);
    expect(w.paid).toBe(sum(mine.map((id) => byId.get(id)?.amount ?? -1n)));
    expect(w.tickets).toContain(w.proposer);
    expect(byId.get(w.proposer)?.amount ?? 0n).toBeGreaterThan(0n);
    expect(w.proposerHolder).toBe(byId.get(w.proposer)?.holder);
    for (const id of w.tickets) onWinner.add(id);
    const b = burn(w.paid, round.burnBps);
    burned += b;
    net += w.paid - b;
    const paidOut = sum(result.payouts.filter((p) => w.bundle.includes(p.rollup)).map((p) => p.amount));
    expect(paidOut).toBe(w.paid - b);
  }
  expect(result.burned).toBe(burned);
  // Refunds: exactly the tickets not on winning bundles, in full.
  const refunded = result.refunds.map((r) => r.ticket).sort();
  expect(refunded).toEqual(round.tickets.filter((t) => !onWinner.has(t.id)).map((t) => t.id).sort());
  for (const r of result.refunds) expect(r.amount).toBe(byId.get(r.ticket)?.amount);
  // Payouts: every rollup once; sold ≥ reserve; self-sequenced get 0 and are listed.
  expect(result.payouts.map((p) => p.rollup).sort()).toEqual(round.rollups.map((r) => r.id).sort());
  for (const p of result.payouts) {
    if (sold.has(p.rollup)) expect(p.amount).toBeGreaterThanOrEqual(reserve.get(p.rollup) ?? 0n);
    else expect(p.amount).toBe(0n);
  }
  expect([...result.selfSequenced].sort()).toEqual(round.rollups.filter((r) => !sold.has(r.id)).map((r) => r.id).sort());
  // Optimal net value, by brute force.
  const unsold = sum(round.rollups.filter((r) => !sold.has(r.id)).map((r) => r.reserve));
  expect(result.status).toBe('optimal');
  expect(net + unsold).toBe(bruteForceNet(round));
  // The digest recomputes from the output object.
  const { digest, ...rest } = roundResultObject(result);
  expect(digest).toBe(sha256Hex(canonicalJson(rest)));
  expect(result.nextPrice).toBe(nextPrice(round.price, round.tickets.length, round.cap, DEFAULT_PRICING));
}

describe('runLottery', () => {
  it('conserves money, pays reserves, refunds losers, finds the optimum, deterministically and order-independently', async () => {
    let winnersSeen = 0;
    let refundsSeen = 0;
    await fc.assert(fc.asyncProperty(rounds, fc.nat(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (round, seedN, shuffleSeed) => {
      const seed = seedN.toString(16).padStart(8, '0');
      const result = await runLottery(round, { seed });
      checkLottery(round, result);
      winnersSeen += result.winners.length;
      refundsSeen += result.refunds.length;
      expect(await runLottery(round, { seed })).toEqual(result);
      // Permuting tickets and rollups changes nothing.
      const shuffle = <T>(xs: readonly T[]): T[] => {
        const out = [...xs];
        let s = shuffleSeed;
        for (let i = out.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2 ** 31;
          const j = s % (i + 1);
          [out[i], out[j]] = [out[j] as T, out[i] as T];
        }
        return out;
      };
      const permuted = { ...round, tickets: shuffle(round.tickets.map((t) => ({ ...t, bundle: shuffle(t.bundle) }))), rollups: shuffle(round.rollups) };
      expect(await runLottery(permuted, { seed })).toEqual(result);
    }), { seed: PROPERTY_SEED, numRuns: 250 });
    expect(winnersSeen).toBeGreaterThan(100);
    expect(refundsSeen).toBeGreaterThan(100);
  });

  it('changes only the draw with the seed, and rejects bad rounds with their JSON path', async () => {
    const round = parseRoundJson(JSON.stringify({
      rollups: [{ id: 'a', reserve: '3' }, { id: 'b', reserve: '0' }],
      tickets: [{ id: 'x', holder: 'p', bundle: ['a', 'b'], amount: '10' }, { id: 'y', holder: 'q', bundle: ['b', 'a'], amount: '30' }],
      price: '2', cap: 3, burnBps: 1000, payoutRule: 'equal',
    }));
    const holders = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await runLottery(round, { seed: i.toString(16).padStart(2, '0') });
      expect(r.payouts).toEqual([{ rollup: 'a', amount: 20n }, { rollup: 'b', amount: 16n }]); // net 36: 3 + 16.5 (+1 to a), 0 + 16.5
      expect(r.burned).toBe(4n);
      holders.add(r.winners[0]?.proposerHolder ?? '');
    }
    expect([...holders].sort()).toEqual(['p', 'q']);
    await expect(runLottery(round, { seed: 'zz' })).rejects.toThrow(UsageError);
    const bad = (patch: Partial<Round>, path: string): Promise<void> =>
      expect(runLottery({ ...round, ...patch }, { seed: '00' })).rejects.toThrow(expect.objectContaining({ details: expect.objectContaining({ path }) }) as Error);
    await bad({ tickets: [{ id: 'x', holder: 'p', bundle: ['a', 'b'], amount: 3n }] }, 'tickets[0].amount');
    await bad({ tickets: [{ id: 'x', holder: 'p', bundle: ['c'], amount: 3n }] }, 'tickets[0].bundle[0]');
    await bad({ cap: 1 }, 'tickets');
    await bad({ burnBps: 10_001 }, 'burnBps');
    await bad({ payoutRule: 'nope' as PayoutRule }, 'payoutRule');
    await bad({ pricing: { kind: 'eip1559', targetBps: 0, denominator: 8 } }, 'pricing.targetBps');
    expect(() => parseRoundJson('{"rollups":[],"tickets":[],"price":"1e3","cap":1}', 'r.json')).toThrow(InputError);
  });
});

/** The auction's contract, checked from the instance alone: each winner is one bid paying its amount, and its own payouts are its net. */
function checkAuction(inst: Instance, options: AuctionOptions, r: RoundResult): void {
  const { burnBps } = options;
  const byId = new Map(inst.bids.map((b) => [b.id, b]));
  expect(recheck(inst, r.winners.map((w) => w.proposer)).revenue).toBe(sum(r.winners.map((w) => w.paid)));
  for (const w of r.winners) {
    const bid = byId.get(w.proposer);
    expect(bid).toBeDefined();
    expect(w.tickets).toEqual([w.proposer]);
    expect(w.bundle).toEqual(bid?.bundle);
    expect(w.paid).toBe(bid?.amount); // each winning bid pays exactly its amount
    expect(w.proposerHolder).toBe(bid?.bidder);
    // This bundle's rollups receive exactly this bid's net: no money moves between winners.
    expect(sum(r.payouts.filter((p) => w.bundle.includes(p.rollup)).map((p) => p.amount))).toBe(w.paid - burn(w.paid, burnBps));
  }
  expect(r.burned).toBe(sum(r.winners.map((w) => burn(w.paid, burnBps))));
  expect(r.refunds).toEqual([]);
  const sold = new Set(r.winners.flatMap((w) => w.bundle));
  expect(r.payouts.map((p) => p.rollup)).toEqual(inst.rollups.map((x) => x.id));
  for (const x of inst.rollups) {
    const paid = r.payouts.find((p) => p.rollup === x.id)?.amount ?? -1n;
    if (sold.has(x.id)) expect(paid).toBeGreaterThanOrEqual(x.reserve);
    else expect(paid).toBe(0n);
  }
  const netInstance = createInstance({ rollups: inst.rollups, bids: inst.bids.map((b) => ({ ...b, amount: b.amount - burn(b.amount, burnBps) })) });
  const unsold = sum(inst.rollups.filter((x) => !sold.has(x.id)).map((x) => x.reserve));
  expect(sum(r.winners.map((w) => w.paid - burn(w.paid, burnBps))) + unsold).toBe(bruteForceValue(netInstance));
}

/** The old test's checks (totals only), kept to show what they missed. */
function oldCheckAuction(inst: Instance, options: AuctionOptions, r: RoundResult): void {
  const { burnBps } = options;
  expect(checkAllocation(inst, { winners: r.winners.map((w) => w.proposer) }).valid).toBe(true);
  expect(sum(r.winners.map((w) => w.paid))).toBe(sum(r.payouts.map((p) => p.amount)) + r.burned);
  expect(r.refunds).toEqual([]);
  const netInstance = createInstance({ rollups: inst.rollups, bids: inst.bids.map((b) => ({ ...b, amount: b.amount - burn(b.amount, burnBps) })) });
  const sold = new Set(r.winners.flatMap((w) => w.bundle));
  const unsold = sum(inst.rollups.filter((x) => !sold.has(x.id)).map((x) => x.reserve));
  expect(sum(r.winners.map((w) => w.paid - burn(w.paid, burnBps))) + unsold).toBe(bruteForceValue(netInstance));
  for (const x of inst.rollups) {
    const paid = r.payouts.find((p) => p.rollup === x.id)?.amount;
    expect(sold.has(x.id) ? (paid ?? -1n) >= x.reserve : paid === 0n).toBe(true);
  }
  for (const w of r.winners) expect(inst.bids.find((b) => b.id === w.proposer)?.bidder).toBe(w.proposerHolder);
}

/** A broken auction, applied to a real result: null when it cannot apply. */
type Mutant = (inst: Instance, r: RoundResult) => RoundResult | null;

/** Mutant: one unit of the first winner's payment is booked on the second (totals unchanged). */
const movesPaid: Mutant = (_inst, r) => {
  const [a, b, ...rest] = r.winners;
  if (a === undefined || b === undefined) return null;
  return { ...r, winners: [{ ...a, paid: a.paid + 1n }, { ...b, paid: b.paid - 1n }, ...rest] };
};

/** Mutant: one unit of payout moves from a rollup of one winner (above its reserve) to a rollup of another. */
const movesPayout: Mutant = (inst, r) => {
  const reserve = new Map(inst.rollups.map((x) => [x.id, x.reserve]));
  const from = r.winners.flatMap((w) => w.bundle).find((id) => (r.payouts.find((p) => p.rollup === id)?.amount ?? 0n) > (reserve.get(id) ?? 0n));
  const to = r.winners.find((w) => from !== undefined && !w.bundle.includes(from))?.bundle[0];
  if (from === undefined || to === undefined) return null;
  return { ...r, payouts: r.payouts.map((p) => ({ ...p, amount: p.amount + (p.rollup === to ? 1n : p.rollup === from ? -1n : 0n) })) };
};

const auctionCases = fc.tuple(instances({ maxRollups: 6, minBids: 1, maxBids: 10, groups: true }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom<PayoutRule>(...PAYOUT_RULES));

describe('runAuction', () => {
  it('each winning bid pays its amount; each winner\'s payouts + burn = its payment; sold rollups get ≥ reserve; net optimum', async () => {
    let multi = 0;
    await fc.assert(fc.asyncProperty(auctionCases, async ([inst, burnBps, payoutRule]) => {
      const r = await runAuction(inst, { burnBps, payoutRule });
      checkAuction(inst, { burnBps, payoutRule }, r);
      if (r.winners.length >= 2) multi++;
    }), { seed: PROPERTY_SEED, numRuns: 150 });
    expect(multi).toBeGreaterThan(15); // money can only move between winners when there are two
  });

  it('mutants that move money between winners are caught; the old totals-only checks passed them', async () => {
    for (const [mutant, burnBps] of [[movesPaid, 0], [movesPayout, 2500]] as const) {
      let mutated = 0;
      await fc.assert(fc.asyncProperty(auctionCases, async ([inst, , payoutRule]) => {
        const options = { burnBps, payoutRule };
        const bad = mutant(inst, await runAuction(inst, options));
        if (bad === null) return;
        mutated++;
        expect(() => checkAuction(inst, options, bad)).toThrow();
        oldCheckAuction(inst, options, bad);
      }), { seed: PROPERTY_SEED, numRuns: 60 });
      expect(mutated).toBeGreaterThan(10);
    }
  });
});

describe('splitPayout', () => {
  const market = (reserves: Record<string, bigint>, bids: [string[], bigint][] = []): PayoutMarket =>
    ({ reserves: new Map(Object.entries(reserves)), bids: bids.map(([bundle, net]) => ({ bundle, net })) });

  it('splits remainders by largest remainder then canonical id; equal weights when all are 0', () => {
    const m = market({ a: 0n, b: 0n, c: 0n });
    expect(splitPayout('equal', { bundle: ['c', 'a', 'b'], net: 10n }, m).map((s) => s.amount)).toEqual([4n, 3n, 3n]);
    expect(splitPayout('reserve', { bundle: ['a', 'b', 'c'], net: 11n }, m).map((s) => s.amount)).toEqual([4n, 4n, 3n]);
    expect(splitPayout('standalone', { bundle: ['a', 'b', 'c'], net: 2n }, m).map((s) => s.amount)).toEqual([1n, 1n, 0n]);
  });

  it('standalone uses the best singleton net (else the reserve); reserve rule is proportional to reserves', () => {
    const m = market({ a: 10n, b: 30n }, [[['a'], 50n], [['a'], 20n], [['a', 'b'], 140n]]);
    // surplus 100: weights a = 50, b = 30 → 62.5 / 37.5 → a 62 + 1 (tie on remainder goes to a), b 37.
    expect(splitPayout('standalone', { bundle: ['a', 'b'], net: 140n }, m)).toEqual([{ rollup: 'a', amount: 73n }, { rollup: 'b', amount: 67n }]);
    expect(splitPayout('reserve', { bundle: ['a', 'b'], net: 140n }, m)).toEqual([{ rollup: 'a', amount: 35n }, { rollup: 'b', amount: 105n }]);
    expect(() => splitPayout('equal', { bundle: ['a', 'b'], net: 39n }, m)).toThrow(UsageError);
  });

  it('shapley equals the exact Shapley value when it is individually rational, and clamps otherwise', () => {
    // v(a) = 50, v(b) = 30, v(c) = 0, v(ab) = 120, v(ac) = 50, v(bc) = 30, v(abc) = 180.
    const m = market({ a: 0n, b: 30n, c: 0n }, [[['a'], 50n], [['a', 'b'], 120n], [['a', 'b', 'c'], 180n]]);
    // By hand: φ_a = (2·50 + 90 + 50 + 2·150)/6 = 90, φ_c = 2·60/6 = 20, φ_b = 70 (≥ its reserve 30).
    const shares = splitPayout('shapley', { bundle: ['a', 'b', 'c'], net: 180n }, m);
    const phi = exactShapley(['a', 'b', 'c'], m);
    expect(phi).toEqual([90n, 70n, 20n]);
    expect(shares.map((s) => s.amount)).toEqual(phi);
    expect(sum(phi)).toBe(180n);
    // A huge reserve on c: c gets its reserve, the others share the rest.
    const m2 = market({ a: 0n, b: 0n, c: 100n }, [[['a', 'b', 'c'], 150n]]);
    const s2 = splitPayout('shapley', { bundle: ['a', 'b', 'c'], net: 150n }, m2);
    expect(s2.find((s) => s.rollup === 'c')?.amount).toBeGreaterThanOrEqual(100n);
    expect(sum(s2.map((s) => s.amount))).toBe(150n);
  });

  it('shapley on a bundle beyond the exact limit is deterministic, ≥ reserves and sums to the net', () => {
    const ids = Array.from({ length: SHAPLEY_EXACT_MAX + 4 }, (_, i) => `r${i}`);
    const reserves = Object.fromEntries(ids.map((id, i) => [id, BigInt(i % 3) * 10n]));
    const m = { ...market(reserves, [[ids.slice(0, 3), 200n], [[ids[5] as string], 40n], [ids, 1000n]]), seed: 'ab12' };
    const a = splitPayout('shapley', { bundle: ids, net: 1000n }, m);
    expect(splitPayout('shapley', { bundle: [...ids].reverse(), net: 1000n }, m)).toEqual(a);
    expect(sum(a.map((s) => s.amount))).toBe(1000n);
    for (const s of a) expect(s.amount).toBeGreaterThanOrEqual(reserves[s.rollup] ?? 0n);
  });
});

/** Shapley values by the permutation formula (independent of the implementation); exact integers here. */
function exactShapley(ids: string[], m: PayoutMarket): bigint[] {
  const v = (set: string[]): bigint => {
    // Best packing inside `set` with reserves as singletons, by trying every subset of bids.
    let best = 0n;
    const inside = m.bids.filter((b) => b.bundle.every((r) => set.includes(r)));
    for (let mask = 0; mask < 1 << inside.length; mask++) {
      const used = new Set<string>();
      let val = 0n;
      let ok = true;
      inside.forEach((b, i) => { if ((mask >> i) & 1) { for (const r of b.bundle) { if (used.has(r)) ok = false; used.add(r); } val += b.net; } });
      if (!ok) continue;
      for (const r of set) if (!used.has(r)) val += m.reserves.get(r) ?? 0n;
      if (val > best) best = val;
    }
    return best;
  };
  const perms = (xs: string[]): string[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x) => perms(xs.filter((y) => y !== x)).map((p) => [x, ...p])));
  const all = perms(ids);
  return ids.map((id) => sum(all.map((p) => v(p.slice(0, p.indexOf(id) + 1)) - v(p.slice(0, p.indexOf(id))))) / BigInt(all.length));
}

describe('nextPrice', () => {
  it('multiplicative: raises when sold out, lowers below half, exact integers, never below 1', () => {
    expect(nextPrice(1000n, 10, 10)).toBe(1125n);
    expect(nextPrice(1001n, 12, 10)).toBe(1127n); // ⌈1126.125⌉
    expect(nextPrice(1000n, 4, 10)).toBe(875n);
    expect(nextPrice(1001n, 0, 10)).toBe(875n); // ⌊875.875⌋
    expect(nextPrice(1000n, 5, 10)).toBe(1000n);
    expect(nextPrice(1n, 0, 10)).toBe(1n);
    expect(nextPrice(1n, 10, 10)).toBe(2n);
    expect(nextPrice(0n, 10, 10)).toBe(0n);
  });

  it('eip1559: proportional to the excess over the target', () => {
    const rule = DEFAULT_EIP1559_PRICING;
    expect(nextPrice(1000n, 10, 10, rule)).toBe(1125n);
    expect(nextPrice(1000n, 0, 10, rule)).toBe(875n);
    expect(nextPrice(1000n, 5, 10, rule)).toBe(1000n);
    expect(nextPrice(1000n, 6, 10, rule)).toBe(1025n);
    expect(nextPrice(1000n, 4, 10, rule)).toBe(975n);
    expect(nextPrice(3n, 6, 10, rule)).toBe(4n); // rises by at least 1
    expect(() => nextPrice(10n, 1, 0, rule)).toThrow(UsageError);
  });

  it('moves in the right direction for any price, sale and rule', () => {
    const rules = fc.oneof(
      fc.record({ kind: fc.constant('multiplicative' as const), raiseBps: fc.integer({ min: 1, max: 10_000 }), lowerBps: fc.integer({ min: 1, max: 9_999 }), lowerBelowBps: fc.integer({ min: 0, max: 10_000 }) }),
      fc.record({ kind: fc.constant('eip1559' as const), targetBps: fc.integer({ min: 1, max: 10_000 }), denominator: fc.integer({ min: 1, max: 50 }) }),
    );
    let lowers = 0;
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 120 }), rules, (price, cap, sold, rule: PricingRule) => {
      const next = nextPrice(price, sold, cap, rule);
      expect(next >= 1n).toBe(true);
      // Lowering is strict, except at the floor of 1.
      const lowered = (): void => { expect(price === 1n ? next === 1n : next < price).toBe(true); lowers++; };
      const soldBps = BigInt(sold) * 10_000n;
      if (rule.kind === 'multiplicative') {
        if (sold >= cap) expect(next > price).toBe(true);
        else if (soldBps < BigInt(rule.lowerBelowBps * cap)) lowered();
        else expect(next).toBe(price);
      } else {
        const target = BigInt(rule.targetBps * cap);
        if (soldBps > target) expect(next > price).toBe(true);
        else if (soldBps < target) lowered();
        else expect(next).toBe(price);
      }
    }), { seed: PROPERTY_SEED, numRuns: 500 });
    expect(lowers).toBeGreaterThan(100);
  });
});

describe('reservesAt and proposerSchedule', () => {
  const registrations = [
    { id: 'zk', reserve: [{ fromSlot: 0, reserve: 100n }, { fromSlot: 2, reserve: 10n }] },
    { id: 'op', reserve: (slot: number) => BigInt(slot) * 5n, optIn: [{ fromSlot: 1, optIn: false }, { fromSlot: 3, optIn: true }] },
    { id: 'late', reserve: [{ fromSlot: 2, reserve: 0n }] },
  ];

  it('gives each slot its opted-in rollups with the reserve then', () => {
    expect(reservesAt(registrations, 0)).toEqual([{ id: 'op', reserve: 0n }, { id: 'zk', reserve: 100n }]);
    expect(reservesAt(registrations, 1)).toEqual([{ id: 'zk', reserve: 100n }]);
    expect(reservesAt(registrations, 2)).toEqual([{ id: 'late', reserve: 0n }, { id: 'zk', reserve: 10n }]);
    expect(reservesAt(registrations, 3)).toEqual([{ id: 'late', reserve: 0n }, { id: 'op', reserve: 15n }, { id: 'zk', reserve: 10n }]);
    expect(() => reservesAt([{ id: 'x', reserve: [{ fromSlot: 2, reserve: 1n }, { fromSlot: 1, reserve: 1n }] }], 3)).toThrow(UsageError);
    expect(() => reservesAt(registrations, -1)).toThrow(UsageError);
  });

  it('names the drawn holder for sold rollups and the rollup itself otherwise, with a digest per slot', async () => {
    const slots: ScheduledSlot[] = [];
    for (const slot of [0, 2]) {
      const rollups = reservesAt(registrations, slot);
      const round: Round = {
        rollups, price: 1n, cap: 5, burnBps: 0, payoutRule: 'standalone',
        tickets: [{ id: 'a', holder: 'alice', bundle: ['zk'], amount: 50n }, { id: 'b', holder: 'bob', bundle: ['zk'], amount: 60n }],
      };
      slots.push({ slot, rollups, result: await runLottery(round, { seed: 'beef' }) });
    }
    const schedule = proposerSchedule(slots);
    const [s0, s2] = schedule.slots;
    // Slot 0: 110 ≥ reserve 100 → zk sold; slot 2 too (reserve 10).
    expect(s0?.proposers).toEqual([{ rollup: 'op', proposer: 'op', self: true }, { rollup: 'zk', proposer: slots[0]?.result.winners[0]?.proposerHolder, self: false }]);
    expect(s2?.proposers.map((p) => p.rollup)).toEqual(['late', 'zk']);
    expect(['alice', 'bob']).toContain(s2?.proposers[1]?.proposer);
    expect(s0?.digest).toBe(sha256Hex(canonicalJson({ slot: 0, proposers: s0?.proposers, result: slots[0]?.result.digest })));
    expect(s0?.digest).not.toBe(s2?.digest);
    expect(() => proposerSchedule([slots[0] as ScheduledSlot, slots[0] as ScheduledSlot])).toThrow(UsageError);
  });
});
