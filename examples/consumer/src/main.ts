/**
 * A consumer of the published package: typed inputs, the root API, the tuning subpath and the
 * bench harness (a user-defined runner, verified in process).
 * Prints one JSON line the suite checks.
 */
import { checkAllocation, createInstance, GENERATOR_FAMILIES, generateInstance, InputError, solve, type InstanceInput } from 'bundle-auction';
import { defineRunner, runBench } from 'bundle-auction/bench';
import { TABU_SAMPLE } from 'bundle-auction/tuning';

const input: InstanceInput = {
  rollups: [{ id: 'alpha', reserve: '5' }, { id: 'beta' }],
  bids: [
    { id: 'x', bidder: 'p', bundle: ['alpha', 'beta'], amount: 12n },
    { id: 'y', bidder: 'q', bundle: ['alpha'], amount: '8', exclusive: 'g' },
    { id: 'z', bidder: 'q', bundle: ['beta'], amount: 7 },
  ],
};
const instance = createInstance(input);
const result = await solve(instance, { method: 'exact', timeLimit: 5 });
const check = checkAllocation(instance, { winners: result.winners });
const generated = generateInstance('rollup-market', { rollups: 3, bids: 5, seed: 1 });

// The bench harness with a runner of our own: b0 and b1 share rollup op-3, so its answer is invalid.
const overlap = defineRunner('overlap', async () => ({ status: 'feasible', winners: ['b0', 'b1'] }));
const bench = await runBench({ instances: [{ kind: 'generated', family: 'rollup-market', rollups: 3, bids: 5, seed: 1 }], runners: ['highs', overlap], timeLimitSec: 5, isolate: false });
const benchChecks = bench.runs.map((r) => `${r.runner}:${r.check}`);

// Run-time strictness for untyped data: a misspelt key is an InputError naming it.
let typo = '';
try {
  createInstance(JSON.parse('{"rollups":[{"id":"a","resrve":"1"}],"bids":[]}') as InstanceInput);
} catch (error) {
  if (error instanceof InputError) typo = error.shortMessage;
}

/** Never called: each line must be a compile error (an unused `@ts-expect-error` fails the build). */
export function compileErrors(): number {
  // @ts-expect-error a misspelt instance key does not compile
  createInstance({ rollups: [{ id: 'a', resrve: '1' }], bids: [] });
  // @ts-expect-error an unknown family does not compile
  generateInstance('bidder-intrest', { rollups: 2, bids: 2 });
  // @ts-expect-error checkAllocation's count is `winnerCount`; `winners` is always a list of ids
  return check.winners;
}

console.log(JSON.stringify({
  status: result.status, value: result.value.toString(), winners: result.winners, valid: check.valid, winnerCount: check.winnerCount,
  families: GENERATOR_FAMILIES.length, generatedBids: generated.bids.length, tabuSample: TABU_SAMPLE, typo, benchChecks,
}));
