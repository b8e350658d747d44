/**
 * Upper-bound certificates from LP duality. Prices y ≥ 0, one per rollup and per exclusive
 * group, with y_r ≥ reserve(r) and, for every bid, Σ_{r∈bundle} y_r + y_group ≥ amount, prove
 * that no allocation is worth more than Σ y (weak duality of the LP relaxation). Checked
 * exactly in time linear in the instance.
 */
import { compileMarket } from '../model/market.js';
import type { Certificate, Instance } from '../model/types.js';

/** Outcome of {@link checkCertificate}. */
export type CertificateCheck =
  | { readonly valid: true; readonly bound: bigint; readonly reason: null }
  | { readonly valid: false; readonly bound: null; readonly reason: string };

/** Verifies a certificate exactly; the bound is Σ of all prices. */
export function checkCertificate(instance: Instance, cert: Certificate): CertificateCheck {
  const market = compileMarket(instance);
  const fail = (reason: string): CertificateCheck => ({ valid: false, bound: null, reason });
  const y = new Array<bigint>(market.nRollups).fill(0n);
  const yg = new Array<bigint>(market.nGroups).fill(0n);
  for (const [id, price] of cert.rollups) {
    const r = market.rollupIndex.get(id);
    if (r === undefined) return fail(`price for unknown rollup ${JSON.stringify(id)}`);
    if (price < 0n) return fail(`rollup ${JSON.stringify(id)}: price ${price} is negative`);
    y[r] = price;
  }
  const groupIndex = new Map(market.groupKeys.map((k, i) => [k, i]));
  for (const [key, price] of cert.groups) {
    const g = groupIndex.get(key);
    if (g === undefined) return fail(`price for unknown exclusive group ${JSON.stringify(key)}`);
    if (price < 0n) return fail(`group ${JSON.stringify(key)}: price ${price} is negative`);
    yg[g] = price;
  }
  let bound = 0n;
  for (let r = 0; r < market.nRollups; r++) {
    const price = y[r] as bigint;
    if (price < (market.reserve[r] as bigint)) {
      return fail(`rollup ${JSON.stringify(market.instance.rollups[r]?.id)}: price ${price} is below its reserve ${market.reserve[r]}`);
    }
    bound += price;
  }
  for (const price of yg) bound += price;
  for (let b = 0; b < market.nBids; b++) {
    const g = market.group[b] as number;
    let sum = g >= 0 ? (yg[g] as bigint) : 0n;
    for (let k = market.bundleStart[b] as number; k < (market.bundleStart[b + 1] as number); k++) sum += y[market.bundleItems[k] as number] as bigint;
    if (sum < (market.amount[b] as bigint)) {
      return fail(`bid ${JSON.stringify(market.instance.bids[b]?.id)}: prices of its bundle sum to ${sum}, below its amount ${market.amount[b]}`);
    }
  }
  return { valid: true, bound, reason: null };
}
