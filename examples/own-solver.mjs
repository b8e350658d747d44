#!/usr/bin/env node
// A user's own solver for `challenge --follow --runner "command:node examples/own-solver.mjs"`
// (the bench runner contract, bench/README.md): reads the instance JSON whose path is the last
// argument, prints {"winners": [...]} on stdout. Greedy by margin over the bundle's reserves per
// √|bundle| (Lehmann–O'Callaghan–Shoham), keeping bundles disjoint and one bid per exclusive
// group. Plain JavaScript, exact BigInt money; stands for any program in any language.
import { readFileSync } from 'node:fs';

const instance = JSON.parse(readFileSync(process.argv[process.argv.length - 1], 'utf8'));
const reserve = new Map(instance.rollups.map((r) => [r.id, BigInt(r.reserve)]));
const scored = instance.bids
  .map((b) => ({ b, margin: BigInt(b.amount) - b.bundle.reduce((s, r) => s + (reserve.get(r) ?? 0n), 0n) }))
  .filter((x) => x.margin > 0n)
  .map((x) => ({ ...x, score: Number(x.margin) / Math.sqrt(x.b.bundle.length) }))
  .sort((x, y) => y.score - x.score || (x.b.id < y.b.id ? -1 : 1));
const taken = new Set();
const groups = new Set();
const winners = [];
for (const { b } of scored) {
  if (b.bundle.some((r) => taken.has(r)) || (b.exclusive !== undefined && groups.has(b.exclusive))) continue;
  for (const r of b.bundle) taken.add(r);
  if (b.exclusive !== undefined) groups.add(b.exclusive);
  winners.push(b.id);
}
process.stdout.write(`${JSON.stringify({ winners, status: 'feasible' })}\n`);
