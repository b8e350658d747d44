/**
 * An optimum from a model written here, straight from the instance data: a CPLEX-LP text solved
 * by the `highs` package's one-shot API. It shares nothing with src/ (no compileMarket, no
 * presolve, no components, no scaling), so it can catch bugs in the solver's own model.
 */
import highsModule, { type Highs } from 'highs';
import type { Instance } from '../../src/model/types.js';

// The package ships CommonJS typings for an ESM build: its default export is the loader.
const highsLoader = highsModule as unknown as () => Promise<Highs>;
let loaded: Promise<Highs> | undefined;

/**
 * Maximises Σ (amount − reserves covered) x_b + Σ reserves subject to one bid per rollup and per
 * exclusive group, x binary. Amounts must stay below 2^53 / (bids + rollups) so every sum is an
 * exact double; the answer is rounded and checked to be integral. Returns the optimal value.
 */
export async function independentOptimum(instance: Instance): Promise<bigint> {
  const limit = BigInt(Math.floor(Number.MAX_SAFE_INTEGER / (instance.bids.length + instance.rollups.length + 1)));
  const reserve = new Map(instance.rollups.map((r) => [r.id, r.reserve]));
  const reserves = instance.rollups.reduce((s, r) => s + r.reserve, 0n);
  const terms: string[] = [];
  const rows = new Map<string, string[]>();
  const addTo = (row: string, col: string): void => { rows.set(row, [...(rows.get(row) ?? []), col]); };
  instance.bids.forEach((b, j) => {
    if (b.amount > limit) throw new Error(`independentOptimum: amount of ${b.id} too large for an exact double model`);
    const gain = b.bundle.reduce((s, r) => s - (reserve.get(r) ?? 0n), b.amount);
    terms.push(`${gain >= 0n ? '+' : '-'} ${gain >= 0n ? gain : -gain} x${j}`);
    for (const r of b.bundle) addTo(`r_${instance.rollups.findIndex((x) => x.id === r)}`, `x${j}`);
    if (b.exclusive !== undefined) addTo(`g_${[...new Set(instance.bids.map((x) => x.exclusive))].indexOf(b.exclusive)}`, `x${j}`);
  });
  if (instance.bids.length === 0) return reserves;
  const lp = [
    'Maximize',
    ` obj: ${terms.join(' ')}`,
    'Subject To',
    ...[...rows].filter(([, cols]) => cols.length > 1).map(([name, cols]) => ` ${name}: ${cols.join(' + ')} <= 1`),
    'Binary',
    ` ${instance.bids.map((_, j) => `x${j}`).join(' ')}`,
    'End',
    '',
  ].join('\n');
  loaded ??= highsLoader();
  const highs = await loaded;
  const solution = highs.solve(lp, { mip_rel_gap: 0, mip_abs_gap: 0, output_flag: false, time_limit: 120 });
  if (solution.Status !== 'Optimal') throw new Error(`independentOptimum: HiGHS status ${solution.Status}`);
  const gain = Math.round(solution.ObjectiveValue);
  if (Math.abs(gain - solution.ObjectiveValue) > 1e-6) throw new Error(`independentOptimum: objective ${solution.ObjectiveValue} not integral`);
  return reserves + BigInt(gain);
}
