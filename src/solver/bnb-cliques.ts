/**
 * Clique strengthening of set-packing rows for the `bnb` backend: each packing row is a clique
 * of the column conflict graph (two columns conflict when they share a row); extending it
 * greedily to a maximal clique gives a row that implies the original and cuts off more
 * fractional points (as SCIP's clique table does). Bounded work, deterministic.
 */

/** Packing rows in CSR form (row i is `items[start[i] .. start[i+1])`, ascending columns). */
export interface PackingRows {
  readonly start: Int32Array;
  readonly items: Int32Array;
}

/** Options of {@link strengthenCliques}. */
export interface CliqueOptions {
  /** Columns above which no strengthening is tried (the adjacency bitsets take n²/8 bytes). Default 6000. */
  readonly maxColumns?: number;
  /** Cap on 32-bit word operations spent (building the adjacency and extending). Default 3e7. */
  readonly maxWork?: number;
}

/** Result of {@link strengthenCliques}: the new rows and how many were extended. */
export interface CliqueResult extends PackingRows {
  /** Rows that gained at least one column. */
  readonly extended: number;
  /** Rows removed as duplicates of another (extended) row. */
  readonly merged: number;
  /** True when the work cap stopped the extension early (later rows are kept as they were). */
  readonly capped: boolean;
}

/**
 * Extends every packing row to a maximal clique of the conflict graph, greedily (the candidate
 * of largest `priority` first, ties by lower index), and drops duplicates. Every original row is
 * a subset of some returned row, so the returned rows imply the originals; they define the same
 * conflict graph. Rows with fewer than two columns are dropped.
 */
export function strengthenCliques(nCols: number, rows: PackingRows, priority: ArrayLike<number>, options: CliqueOptions = {}): CliqueResult {
  const nRows = rows.start.length - 1;
  const maxColumns = options.maxColumns ?? 6000;
  const maxWork = options.maxWork ?? 3e7;
  const words = (nCols + 31) >>> 5;
  const unchanged = (): CliqueResult => ({ ...dedupe(nRows, (i) => rows.items.subarray(rows.start[i] as number, rows.start[i + 1] as number)), extended: 0, capped: false });
  if (nCols > maxColumns || nRows === 0) return unchanged();
  let work = 0;
  for (let i = 0; i < nRows; i++) work += ((rows.start[i + 1] as number) - (rows.start[i] as number)) * words;
  if (work > maxWork / 2) return { ...unchanged(), capped: true };
  // Adjacency bitsets: adj[c] has bit d when columns c and d share a row (c ≠ d).
  const adj = new Uint32Array(nCols * words);
  const rowBits = new Uint32Array(words);
  for (let i = 0; i < nRows; i++) {
    const a = rows.start[i] as number;
    const b = rows.start[i + 1] as number;
    if (b - a < 2) continue;
    rowBits.fill(0);
    for (let k = a; k < b; k++) {
      const c = rows.items[k] as number;
      rowBits[c >>> 5] = (rowBits[c >>> 5] as number) | (1 << (c & 31));
    }
    for (let k = a; k < b; k++) {
      const base = (rows.items[k] as number) * words;
      for (let w = 0; w < words; w++) adj[base + w] = (adj[base + w] as number) | (rowBits[w] as number);
    }
  }
  for (let c = 0; c < nCols; c++) {
    const at = c * words + (c >>> 5);
    adj[at] = (adj[at] as number) & ~(1 << (c & 31));
  }
  const cliques: Int32Array[] = [];
  let extended = 0;
  let capped = false;
  const cand = new Uint32Array(words);
  for (let i = 0; i < nRows; i++) {
    const row = rows.items.subarray(rows.start[i] as number, rows.start[i + 1] as number);
    if (row.length < 2) continue;
    if (capped || work + (row.length + 4) * words > maxWork) {
      capped = true;
      cliques.push(row);
      continue;
    }
    // Candidates: columns adjacent to every member.
    cand.set(adj.subarray((row[0] as number) * words, (row[0] as number) * words + words));
    for (let k = 1; k < row.length; k++) {
      const base = (row[k] as number) * words;
      for (let w = 0; w < words; w++) cand[w] = (cand[w] as number) & (adj[base + w] as number);
    }
    work += row.length * words;
    const members = Array.from(row);
    for (;;) {
      let best = -1;
      for (let w = 0; w < words; w++) {
        let bits = cand[w] as number;
        while (bits !== 0) {
          const low = bits & -bits;
          const c = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          if (best < 0 || (priority[c] as number) > (priority[best] as number)) best = c;
        }
      }
      work += 2 * words;
      if (best < 0) break;
      members.push(best);
      const base = best * words;
      for (let w = 0; w < words; w++) cand[w] = (cand[w] as number) & (adj[base + w] as number);
      if (work > maxWork) {
        capped = true;
        break;
      }
    }
    if (members.length > row.length) extended++;
    cliques.push(Int32Array.from(members).sort());
  }
  return { ...dedupe(cliques.length, (i) => cliques[i] as Int32Array), extended, capped };
}

/** Drops rows with fewer than two columns and exact duplicates (first kept). */
function dedupe(n: number, row: (i: number) => Int32Array): PackingRows & { readonly merged: number } {
  const seen = new Set<string>();
  const kept: Int32Array[] = [];
  let merged = 0;
  for (let i = 0; i < n; i++) {
    const r = row(i);
    if (r.length < 2) continue;
    const key = r.join(',');
    if (seen.has(key)) {
      merged++;
      continue;
    }
    seen.add(key);
    kept.push(r);
  }
  const start = new Int32Array(kept.length + 1);
  kept.forEach((r, i) => { start[i + 1] = (start[i] as number) + r.length; });
  const items = new Int32Array(start[kept.length] as number);
  kept.forEach((r, i) => items.set(r, start[i] as number));
  return { start, items, merged };
}
