/**
 * Verifier micro-benchmark (issue 3): a 10,000-rollup × 100,000-bid instance, a greedy
 * allocation with thousands of winners, and a valid certificate. Run with `npm run bench:verify`.
 * Setup (generation, greedy) is outside the timed functions; parse and index are timed
 * separately so the check times stand on their own.
 */
import { bench, describe } from 'vitest';
import { certificateToJson, parseCertificateJson } from '../src/formats/certificate.js';
import { instanceToJson, parseAllocationJson, parseInstanceJson } from '../src/formats/json.js';
import { generateInstance } from '../src/generators/index.js';
import { bestGreedy } from '../src/heuristics/greedy.js';
import { winnersToIds } from '../src/model/allocation.js';
import { compileMarket } from '../src/model/market.js';
import { compareAllocations, checkAllocation } from '../src/verify/check.js';
import { checkCertificate } from '../src/verify/certificate.js';
import type { Certificate, Instance } from '../src/model/types.js';

const ROLLUPS = 10_000;
const BIDS = 100_000;

const instance = generateInstance('decay', { rollups: ROLLUPS, bids: BIDS, seed: 1 });
const market = compileMarket(instance);
const all = Int32Array.from({ length: market.nBids }, (_, i) => i);
const allocation = { winners: winnersToIds(market, bestGreedy(market, all).winners) };
const incumbent = { winners: allocation.winners.slice(1) };
const instanceText = instanceToJson(instance);
const allocationText = JSON.stringify(allocation);
const certificate = maxBidPrices(instance);
const bound = checkCertificate(instance, certificate);
if (!bound.valid) throw new Error(`benchmark certificate invalid: ${bound.reason}`);
const certificateText = certificateToJson(instance, certificate, bound.bound);
if (!checkAllocation(instance, allocation).valid) throw new Error('benchmark allocation invalid');
console.log(`instance ${ROLLUPS} rollups × ${BIDS} bids (${(instanceText.length / 1e6).toFixed(1)} MB JSON); allocation ${allocation.winners.length} winners`);

/** A valid (loose) certificate: each rollup priced at the largest amount of a bid on it, at least its reserve. */
function maxBidPrices(inst: Instance): Certificate {
  const price = new Map(inst.rollups.map((r) => [r.id, r.reserve]));
  for (const b of inst.bids) for (const r of b.bundle) if ((price.get(r) ?? 0n) < b.amount) price.set(r, b.amount);
  return { rollups: price, groups: new Map() };
}

const slow = { time: 0, iterations: 5, warmupIterations: 1 };

describe('parse and index (once per instance)', () => {
  bench('parse instance JSON', () => void parseInstanceJson(instanceText), slow);
  bench('index instance (compileMarket, uncached)', () => void compileMarket({ ...instance }), slow);
  bench('parse allocation JSON', () => void parseAllocationJson(allocationText));
  bench('parse certificate JSON', () => void parseCertificateJson(certificateText, instance), slow);
});

describe('checks (instance indexed)', () => {
  bench('checkAllocation', () => {
    if (!checkAllocation(instance, allocation).valid) throw new Error('rejected');
  });
  bench('compareAllocations (challenger vs incumbent)', () => {
    if (!compareAllocations(instance, incumbent, allocation).accepted) throw new Error('rejected');
  });
  bench('checkCertificate', () => {
    if (!checkCertificate(instance, certificate).valid) throw new Error('rejected');
  });
});
