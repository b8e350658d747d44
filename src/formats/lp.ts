/**
 * CPLEX LP export of the winner-determination problem, for any external MIP solver (CBC, GLPK,
 * HiGHS, Gurobi, CPLEX, SCIP):
 *
 *     maximise Σ_b gain(b)·x_b   s.t.  Σ_{b ∋ r} x_b ≤ 1 (each rollup r),
 *                                      Σ_{b ∈ g} x_b ≤ 1 (each exclusive group g),  x binary
 *
 * with gain(b) = amount(b) − Σ reserves of its bundle, so value = objective + Σ all reserves.
 */
import { compileMarket } from '../model/market.js';
import type { Instance } from '../model/types.js';
import { jsonString } from './cats.js';

/** Longest line written (the LP format's traditional limit is 255 characters). */
const MAX_LINE = 240;
/** Largest magnitude a double holds exactly (2^53). */
const EXACT_DOUBLE = 2n ** 53n;

/** Name of the binary variable of the bid at canonical index `b`: `x<b>`. */
export function lpVariableName(b: number): string {
  return `x${b}`;
}

/**
 * Writes the instance as a CPLEX LP model. Variables `x<b>` follow the canonical bid order;
 * the objective coefficient of a bid is its exact integer gain in base units (possibly ≤ 0);
 * rows `r<k>` (rollup k in canonical order) and `g<k>` (exclusive group k in canonical key
 * order) are written only when at least two bids share them (a single bid is already bounded
 * by its binary domain; if that leaves no row at all, the row of the first bid's first rollup is
 * kept, since some readers such as GLPK reject an empty `Subject To`; with no bids at all a
 * placeholder variable `none` fixed at 0 is written). `\` comments give the instance size, the
 * constant Σ reserves to add to the objective, and the JSON-encoded bid id, rollup id and group
 * key behind every name. No line exceeds 240 characters.
 */
export function instanceToLp(instance: Instance): string {
  const market = compileMarket(instance);
  const out: string[] = [];
  const comment = (text: string): void => { out.push(`\\ ${text}`); };

  const rollupRows: number[] = [];
  for (let r = 0; r < market.nRollups; r++) {
    if ((market.rollupBidStart[r + 1] as number) - (market.rollupBidStart[r] as number) >= 2) rollupRows.push(r);
  }
  const groupRows: number[] = [];
  for (let g = 0; g < market.nGroups; g++) {
    if ((market.groupBidStart[g + 1] as number) - (market.groupBidStart[g] as number) >= 2) groupRows.push(g);
  }
  // GLPK's reader rejects an empty `Subject To`: keep one (redundant) rollup row if none is needed.
  let redundantRow = false;
  if (rollupRows.length + groupRows.length === 0 && market.nBids > 0) {
    const r = market.bundleItems[market.bundleStart[0] as number] as number;
    rollupRows.push(r);
    redundantRow = true;
  }
  let inexact = false;
  for (const gain of market.gain) if (gain >= EXACT_DOUBLE || -gain >= EXACT_DOUBLE) inexact = true;

  const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  comment('bundle-auction winner determination (weighted set packing), CPLEX LP format');
  comment(`${plural(market.nRollups, 'rollup')}, ${plural(market.nBids, 'bid')}, ${plural(market.nGroups, 'exclusive group')}; ${plural(rollupRows.length + groupRows.length, 'row')} (${rollupRows.length} rollup, ${groupRows.length} group)`);
  comment(`amounts in base units (printed amount = base units / 10^${instance.decimals}); coefficient of x<b> = amount(b) - reserves of its bundle`);
  comment(`value = objective + ${market.reserveTotal} (the sum of all reserves, in base units)`);
  if (inexact) comment('WARNING: some coefficients exceed 2^53 and are not exact as doubles: re-check the winners exactly');
  if (redundantRow) comment(`row r${rollupRows[0] as number} is redundant: it is kept because some LP readers reject an empty Subject To`);
  if (market.nBids === 0) comment('the instance has no bids: variable "none" is a placeholder fixed at 0 (LP readers reject an empty model)');
  comment('variables: x<b> = bid (JSON-encoded id); long ids continue on lines "\\   + <JSON>"');
  instance.bids.forEach((bid, b) => mapping(out, lpVariableName(b), bid.id));
  if (rollupRows.length > 0) comment('rollup rows: r<k> = rollup (JSON-encoded id)');
  for (const r of rollupRows) mapping(out, `r${r}`, instance.rollups[r]?.id as string);
  if (groupRows.length > 0) comment('group rows: g<k> = exclusive group (JSON-encoded key)');
  for (const g of groupRows) mapping(out, `g${g}`, market.groupKeys[g] as string);

  out.push('Maximize');
  const objective: string[] = [];
  for (let b = 0; b < market.nBids; b++) {
    const gain = market.gain[b] as bigint;
    const name = lpVariableName(b);
    if (b === 0) objective.push(`${gain} ${name}`);
    else objective.push(gain < 0n ? `- ${-gain} ${name}` : `+ ${gain} ${name}`);
  }
  if (market.nBids === 0) objective.push('0 none');
  wrap(out, ' obj:', objective, '');

  out.push('Subject To');
  const row = (name: string, start: Int32Array, items: Int32Array, k: number): void => {
    const terms: string[] = [];
    for (let i = start[k] as number; i < (start[k + 1] as number); i++) {
      terms.push(`${terms.length === 0 ? '' : '+ '}${lpVariableName(items[i] as number)}`);
    }
    wrap(out, ` ${name}:`, terms, ' <= 1');
  };
  for (const r of rollupRows) row(`r${r}`, market.rollupBidStart, market.rollupBidItems, r);
  for (const g of groupRows) row(`g${g}`, market.groupBidStart, market.groupBidItems, g);
  if (market.nBids === 0) out.push(' c_none: none <= 0');

  out.push('Binary');
  const names: string[] = [];
  for (let b = 0; b < market.nBids; b++) names.push(lpVariableName(b));
  if (market.nBids === 0) names.push('none');
  wrap(out, '', names, '');
  out.push('End');
  return `${out.join('\n')}\n`;
}

/** Appends `head term term … tail`, breaking onto continuation lines (starting with a space). */
function wrap(out: string[], head: string, terms: readonly string[], tail: string): void {
  let line = head;
  for (const term of terms) {
    if (line.length + 1 + term.length > MAX_LINE && line.trim() !== '' && line !== head) {
      out.push(line);
      line = '';
    }
    line += ` ${term}`;
  }
  if (line.length + tail.length > MAX_LINE && line.trim() !== '') {
    out.push(line);
    line = '';
  }
  line += tail;
  if (line !== '') out.push(line);
}

/** `\ name = "id"`, split into `\   + "…"` lines when the id is long (chunks of whole code points). */
function mapping(out: string[], name: string, id: string): void {
  const chunks: string[] = [];
  let chunk = '';
  for (const cp of id) {
    const escaped = jsonString(cp).slice(1, -1);
    if (Buffer.byteLength(chunk, 'utf8') + Buffer.byteLength(escaped, 'utf8') > 160) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += escaped;
  }
  chunks.push(chunk);
  chunks.forEach((c, i) => out.push(i === 0 ? `\\ ${name} = "${c}"` : `\\   + "${c}"`));
}
