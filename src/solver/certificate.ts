/**
 * LP-dual certificates: solve the LP relaxation of each component with HiGHS, round its row
 * duals up to integer prices, then repair every bid whose exact constraint still fails by
 * raising one price. The result always checks exactly (see verify/certificate.ts).
 */
import { compileMarket, type Market } from '../model/market.js';
import type { Certificate, Instance } from '../model/types.js';
import { solveLp } from './highs.js';
import { buildPacking } from './packing.js';
import { presolve } from './presolve.js';

/** Options of {@link lpCertificate}. */
export interface CertificateOptions {
  /** Wall-clock limit per component LP in seconds. Default 60. */
  readonly timeLimit?: number;
}

/** A certificate with its bound (Σ prices), in base units. */
export interface CertifiedBound {
  readonly certificate: Certificate;
  readonly bound: bigint;
}

/** Builds a valid upper-bound certificate for any instance. */
export async function lpCertificate(instance: Instance, options: CertificateOptions = {}): Promise<CertifiedBound> {
  const market = compileMarket(instance);
  // Prices above reserve, per rollup and per group (the LP over gains).
  const extra = new Array<bigint>(market.nRollups + market.nGroups).fill(0n);
  for (const bids of presolve(market).components) {
    if (bids.length < 2) continue;
    const gains = Array.from(bids, (b) => market.gain[b] as bigint);
    const maxGain = gains.reduce((m, g) => (g > m ? g : m), 0n);
    // Scale gains to about 1e6 so the LP works in a comfortable range; duals scale back.
    const shift = Math.max(0, maxGain.toString(2).length - 20);
    const unit = 2 ** shift;
    const weight = Float64Array.from(gains, (g) => Number(g >> BigInt(shift)) + Number(g & ((1n << BigInt(shift)) - 1n)) / unit);
    const problem = buildPacking(market, bids, weight);
    const { rowDual } = await solveLp(problem, options.timeLimit ?? 60);
    problem.rowKeys.forEach((key, row) => {
      const d = Math.abs(rowDual[row] ?? 0);
      if (Number.isFinite(d) && d > 0) extra[key] = BigInt(Math.ceil(d * unit));
    });
  }
  repair(market, extra);
  const rollups = new Map<string, bigint>();
  const groups = new Map<string, bigint>();
  let bound = 0n;
  market.instance.rollups.forEach((r, i) => {
    const price = r.reserve + (extra[i] as bigint);
    rollups.set(r.id, price);
    bound += price;
  });
  market.groupKeys.forEach((key, g) => {
    const price = extra[market.nRollups + g] as bigint;
    if (price > 0n) groups.set(key, price);
    bound += price;
  });
  return { certificate: { rollups, groups }, bound };
}

/** Raises prices until every bid's gain is covered exactly (prices only go up: stays valid). */
function repair(market: Market, extra: bigint[]): void {
  for (let b = 0; b < market.nBids; b++) {
    const gain = market.gain[b] as bigint;
    if (gain <= 0n) continue;
    const g = market.group[b] as number;
    let sum = g >= 0 ? (extra[market.nRollups + g] as bigint) : 0n;
    const first = market.bundleItems[market.bundleStart[b] as number] as number;
    for (let k = market.bundleStart[b] as number; k < (market.bundleStart[b + 1] as number); k++) sum += extra[market.bundleItems[k] as number] as bigint;
    if (sum < gain) extra[first] = (extra[first] as bigint) + (gain - sum);
  }
}
