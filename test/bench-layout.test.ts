/**
 * The bench library's layout (issue 13 item 5): src/bench/ imports nothing from src/cli/, and its
 * modules import each other one way only (no cycle, type-only imports included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const benchDir = join(root, 'src/bench');

/** Relative module specifiers of a source file: static imports/re-exports and `import('…')`. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*'([^']+)'/gm, /^\s*import\s*'([^']+)'/gm, /\bimport\(\s*'([^']+)'\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1] as string);
  return out.filter((s) => s.startsWith('.'));
}

/** The graph of src/bench/*.ts: module (path relative to src/) → the modules it imports. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const name of readdirSync(benchDir).filter((f) => f.endsWith('.ts'))) {
    const file = join(benchDir, name);
    const targets = importsOf(readFileSync(file, 'utf8')).map((s) => relative(join(root, 'src'), resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
    g.set(`bench/${name}`, targets);
  }
  return g;
}

/** One cycle of the graph restricted to its own nodes, or null. */
function findCycle(g: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of g.get(node) ?? []) {
      if (!g.has(next)) continue;
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found !== null) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...g.keys()].sort()) {
    if (state.get(node) === undefined) {
      const found = visit(node);
      if (found !== null) return found;
    }
  }
  return null;
}

describe('src/bench layout', () => {
  const g = graph();

  it('finds the modules and their imports (the parser sees static, type-only and dynamic imports)', () => {
    expect(g.get('bench/harness.ts')).toContain('bench/registry.ts');
    expect(g.get('bench/cbc.ts')).toContain('bench/types.ts');
    expect(g.get('bench/instances.ts')).toContain('generators/index.ts'); // a dynamic import
    expect(importsOf("import type { A } from './a.js';\nexport { b } from '../b.js';\nconst c = await import('./c.js');")).toEqual(['./a.js', '../b.js', './c.js']);
  });

  it('imports nothing from src/cli', () => {
    const offenders = [...g].flatMap(([from, targets]) => targets.filter((t) => t.startsWith('cli')).map((t) => `${from} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycle(g)).toBeNull();
    // The checker does find one when there is one.
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps the runner interface at the bottom: types.ts imports no bench module', () => {
    expect((g.get('bench/types.ts') ?? []).filter((t) => t.startsWith('bench/'))).toEqual([]);
  });
});
