import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashStream, bundleKey, drawTicket, seedBytes } from '../src/mechanism/draw.js';
import { UsageError } from '../src/model/errors.js';

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Independent re-implementation of the documented draw rule: u from sha256(seed ‖ key ‖
 * uint32be(c)), ⌈bits/8⌉ bytes, masked, rejected while ≥ T; first cumulative amount > u.
 */
function recompute(seedHex: string, key: string, tickets: { id: string; amount: bigint }[]): { id: string; u: bigint; rejections: number } {
  const sorted = [...tickets].sort((a, b) => (a.id < b.id ? -1 : 1)); // test ids have no digits to compare naturally
  const total = sorted.reduce((s, t) => s + t.amount, 0n);
  const bits = total.toString(2).length;
  const bytes = Math.ceil(bits / 8);
  let counter = 0;
  let rejections = 0;
  for (;;) {
    let hex = '';
    while (hex.length < bytes * 2) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(counter++);
      hex += createHash('sha256').update(Buffer.from(seedHex, 'hex')).update(key, 'utf8').update(c).digest('hex');
    }
    const u = BigInt(`0x${hex.slice(0, bytes * 2)}`) % (1n << BigInt(bits));
    if (u < total) {
      let cum = 0n;
      for (const t of sorted) {
        cum += t.amount;
        if (cum > u) return { id: t.id, u, rejections };
      }
    }
    rejections++;
  }
}

const tickets = (amounts: readonly bigint[]): { id: string; amount: bigint }[] => amounts.map((amount, i) => ({ id: `t${String.fromCharCode(97 + i)}`, amount }));

describe('drawTicket', () => {
  it('is reproducible from the seed and matches an independent recomputation of the rule', () => {
    const ts = tickets([5n, 0n, 17n, 3n]);
    const key = bundleKey(['zk-2', 'op-1']);
    expect(key).toBe('["op-1","zk-2"]');
    for (let i = 0; i < 200; i++) {
      const seed = sha(`repro-${i}`);
      const a = drawTicket(seed, key, ts);
      expect(drawTicket(seed, key, [...ts].reverse())).toEqual(a);
      const ref = recompute(seed, key, ts);
      expect(a.ticket.id).toBe(ref.id);
      expect(a.value).toBe(ref.u);
      expect(a.rejections).toBe(ref.rejections);
      expect(a.total).toBe(25n);
      expect(a.ticket.amount > 0n).toBe(true);
    }
  });

  it('draws with frequencies proportional to the amounts (χ² over a fixed list of 4000 seeds)', () => {
    const amounts = [1n, 2n, 3n, 5n, 9n, 0n]; // T = 20 (5 bits: about 37% of candidates rejected)
    const ts = tickets(amounts);
    const counts = new Map<string, number>();
    let rejections = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const d = drawTicket(sha(`chi2-${i}`), '["a","b"]', ts);
      counts.set(d.ticket.id, (counts.get(d.ticket.id) ?? 0) + 1);
      rejections += d.rejections;
    }
    expect(counts.get('tf')).toBeUndefined(); // the zero-amount ticket is never drawn
    let chi2 = 0;
    ts.forEach((t, i) => {
      if (t.amount === 0n) return;
      const expected = (n * Number(amounts[i])) / 20;
      const observed = counts.get(t.id) ?? 0;
      chi2 += (observed - expected) ** 2 / expected;
    });
    expect(chi2).toBeLessThan(18.467); // 99.9% critical value, 4 degrees of freedom
    expect(rejections).toBeGreaterThan(n * 0.3); // rejection sampling really happens
  });

  it('handles a huge total: amounts 1 and 2^200', () => {
    const ts = tickets([1n, 2n ** 200n]);
    for (let i = 0; i < 50; i++) {
      const seed = sha(`big-${i}`);
      const d = drawTicket(seed, 'k', ts);
      expect(d.total).toBe(2n ** 200n + 1n);
      expect(d.value < d.total).toBe(true);
      expect(d.ticket.id).toBe(recompute(seed, 'k', ts).id);
      expect(d.ticket.id).toBe('tb'); // the 1-unit ticket wins with probability 2^-200
    }
  });

  it('rejects candidates ≥ T just above a power of two, across several sha256 blocks when T > 2^256', () => {
    for (const total of [257n, 2n ** 64n + 1n, 2n ** 256n + 1n]) {
      let rejections = 0;
      for (let i = 0; i < 64; i++) {
        const seed = sha(`pow-${total}-${i}`);
        const ts = tickets([total - 1n, 1n]);
        const d = drawTicket(seed, 'k', ts);
        const ref = recompute(seed, 'k', ts);
        expect(d.value).toBe(ref.u);
        expect(d.rejections).toBe(ref.rejections);
        rejections += d.rejections;
      }
      // About half of all candidates are ≥ T: 64 draws reject some with overwhelming probability.
      expect(rejections).toBeGreaterThan(10);
    }
  });

  it('has no modulo bias: uniform over [0, T) for T = 3 (2 bits)', () => {
    const stream = new HashStream(seedBytes('00'), 'uniform');
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const v = Number(stream.below(3n));
      counts[v] = (counts[v] ?? 0) + 1;
    }
    const chi2 = counts.reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(13.816); // 99.9%, 2 degrees of freedom
    expect(stream.rejections).toBeGreaterThan(500); // candidate 3 (of 0..3) is rejected ~1/4 of the time
  });

  it('rejects bad seeds and empty totals', () => {
    expect(() => drawTicket('xyz', 'k', tickets([1n]))).toThrow(UsageError);
    expect(() => drawTicket('abc', 'k', tickets([1n]))).toThrow(UsageError);
    expect(() => drawTicket('', 'k', tickets([1n]))).toThrow(UsageError);
    expect(() => drawTicket('ab', 'k', tickets([0n, 0n]))).toThrow(UsageError);
    expect(seedBytes('0xAB12')).toEqual(Buffer.from([0xab, 0x12]));
  });
});
