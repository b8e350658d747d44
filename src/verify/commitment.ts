/**
 * Commitments to allocations: the canonical JSON of a valid allocation (winners in the
 * instance's canonical bid order, exact value and revenue as decimal strings of base units,
 * keys sorted, no whitespace) and its sha256, so nodes can commit to an allocation and compare
 * commitments byte for byte.
 */
import { winnersToIds } from '../model/allocation.js';
import { canonicalJson, sha256Hex } from '../model/digest.js';
import { InputError } from '../model/errors.js';
import { compileMarket } from '../model/market.js';
import type { Allocation, Instance } from '../model/types.js';
import { checkAllocation } from './check.js';

/** A canonical allocation and its digest. */
export interface AllocationCommitment {
  /** `{"revenue":"…","value":"…","winners":[…]}`, canonical. */
  readonly json: string;
  /** Lowercase hex sha256 of `json` (UTF-8). */
  readonly digest: string;
  readonly value: bigint;
  readonly revenue: bigint;
}

/**
 * Canonical JSON and digest of an allocation; the same set of winners in any order gives the
 * same bytes. @throws InputError (path `winners`) when the allocation is not valid.
 */
export function allocationCommitment(instance: Instance, allocation: Allocation): AllocationCommitment {
  const check = checkAllocation(instance, allocation);
  if (!check.valid) throw new InputError({ path: 'winners', rule: `cannot commit to an invalid allocation: ${check.reason}` });
  const market = compileMarket(instance);
  const indices = allocation.winners.map((id) => market.bidIndex.get(id) as number).sort((a, b) => a - b);
  const json = canonicalJson({ winners: winnersToIds(market, indices), value: check.value, revenue: check.revenue });
  return { json, digest: sha256Hex(json), value: check.value, revenue: check.revenue };
}
