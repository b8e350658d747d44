#!/usr/bin/env node
/**
 * The lazy samplers' law against the dense ones (issue 9, BENCHMARKS.md §9.1):
 * `node bench/generate-law.mjs DIST [SEEDS [FAMILY]]` generates 200 rollups × 1,500 bids with both
 * samplers for SEEDS seeds (default 100) and prints, per statistic, the mean over seeds ± its
 * standard error for each sampler, their relative difference and z (difference / combined SE).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.argv[2];
if (dist === undefined) {
  console.error('usage: generate-law.mjs DIST [SEEDS [FAMILY]]');
  process.exit(2);
}
const base = pathToFileURL(resolve(dist)).href;
const S = +(process.argv[3] ?? 100);
const only = process.argv[4];
const I = await import(`${base}/generators/interest.js`);
const P = await import(`${base}/generators/paths.js`);
const n = 200, bids = 1500;
const fams = {
  arbitrary: (seed, s) => I.interestInstance(n, bids, seed, I.ARBITRARY, I.randomCompat, s),
  'bidder-interest': (seed, s) => I.interestInstance(n, bids, seed, I.BIDDER_INTEREST, I.randomCompat, s),
  regions: (seed, s) => I.interestInstance(n, bids, seed, I.ARBITRARY, (salt) => I.gridCompat(n, salt), s),
  paths: (seed, s) => P.pathsInstance(n, bids, seed, s),
};
const w = Math.ceil(Math.sqrt(n));
function stats(family, inst) {
  let size = 0, per = 0, xor = 0, adj = 0, big = 0;
  const bidders = new Set();
  for (const b of inst.bids) {
    const L = b.bundle.length; size += L; per += Number(b.amount) / L; xor += b.exclusive === undefined ? 0 : 1;
    bidders.add(b.bidder); if (L >= 20) big++;
    if (family === 'regions') {
      const g = b.bundle.map((id) => +id.slice(1)); const set = new Set(g); let a = 0;
      for (const i of g) { if (i % w !== w - 1 && set.has(i + 1)) a++; if (set.has(i + w)) a++; }
      adj += L > 1 ? a / (L - 1) : 1; // 4-adjacent pairs per item beyond the first (1 = a tree-like blob)
    }
  }
  const m = inst.bids.length;
  const out = { size: size / m, pricePerItem: per / m, xorShare: xor / m, bidsPerBidder: m / bidders.size, shareSize20: big / m };
  if (family === 'regions') out.adjacency = adj / m;
  return out;
}
for (const [family, make] of Object.entries(fams)) {
  if (only && family !== only) continue;
  const acc = { dense: {}, lazy: {} };
  for (const s of ['dense', 'lazy']) for (let seed = 1; seed <= S; seed++) {
    for (const [k, v] of Object.entries(stats(family, make(seed, s)))) (acc[s][k] ??= []).push(v);
  }
  for (const k of Object.keys(acc.dense)) {
    const ms = (xs) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1); return [m, Math.sqrt(v / xs.length)]; };
    const [md, sd] = ms(acc.dense[k]); const [ml, sl] = ms(acc.lazy[k]);
    const z = (ml - md) / Math.sqrt(sd * sd + sl * sl);
    console.log(`${family.padEnd(16)} ${k.padEnd(13)} dense ${md.toPrecision(5)} ± ${sd.toPrecision(2)}  lazy ${ml.toPrecision(5)} ± ${sl.toPrecision(2)}  diff ${(100 * (ml / md - 1)).toFixed(2)} %  z ${z.toFixed(2)}`);
  }
}
