// The import structure, read by TypeScript's own parser: no circle anywhere in src/ (`import type` included),
// and no import upward through the declared layers. A failure names each edge as `a.ts -> b.ts`.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../node/test-node.js';

const SRC = path.join(REPO_ROOT, 'src');

/**
 * Who may import whom, lowest first; a module may import its own layer and any layer below it. The top-level
 * folders: adapters touch the world for core (its Host types, and the XML-RPC codec its transport speaks);
 * store holds state over core; ui renders the store; cli wires everything.
 */
const TOP_LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  adapters: ['adapters', 'core'],
  store: ['store', 'core'],
  ui: ['ui', 'store', 'core'],
  cli: ['cli', 'ui', 'store', 'adapters', 'core'],
};

/** What of core adapters/ may import: the Host's types and the codec of the wire they carry. */
const CORE_FOR_ADAPTERS = ['core/host.ts', 'core/errors.ts', 'core/supervisor/xmlrpc.ts'];

/**
 * Inside core: its loose modules (the Host, errors, text) first, then the feature folders, each ranked; a folder
 * imports only from its own rank or below.
 */
const CORE_RANKS: Readonly<Record<string, number>> = {
  '.': 0,
  systemd: 1,
  supervisor: 1,
  kubelet: 1,
  health: 2,
  detect: 3,
  migration: 4,
  monitor: 5,
};

/**
 * Inside core/migration: the plan (what will be written, pure), then the journal (what was done, which holds a
 * plan), then apply (carries a journal out and back); the session at the folder's root decides over all three.
 */
const MIGRATION_RANKS: Readonly<Record<string, number>> = { plan: 0, journal: 1, apply: 2, '.': 3 };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** A relative specifier to the file it names (`./x.js` is `./x.ts` or `./x.tsx` in the source); null outside src/. */
function resolve(from: string, specifier: string): string | null {
  const target = path.resolve(path.dirname(from), specifier);
  const stem = target.replace(/\.(js|jsx|ts|tsx)$/, '');
  const found = [`${stem}.ts`, `${stem}.tsx`, path.join(stem, 'index.ts')].find((f) => fs.existsSync(f));
  return found?.startsWith(`${SRC}${path.sep}`) ? found : null;
}

/** Every module in src/ to the modules it imports, as paths under src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .filter((i) => i.fileName.startsWith('.'))
      .map((i) => resolve(file, i.fileName))
      .filter((t): t is string => t !== null)
      .map((t) => path.relative(SRC, t).split(path.sep).join('/'));
    graph.set(path.relative(SRC, file).split(path.sep).join('/'), [...new Set(targets)]);
  }
  return graph;
}

/** Each circle once, as `a.ts -> b.ts -> a.ts` (Tarjan's strongly connected components, then one path round). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const self = graph.get(v)?.includes(v);
    if (component.length > 1 || self) found.push(cyclePath(graph, new Set(component), v));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** One way round a strongly connected component, from `start` back to it. */
function cyclePath(graph: ReadonlyMap<string, readonly string[]>, members: Set<string>, start: string): string {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const route = [v];
        while (route[0] !== start) route.unshift(previous.get(route[0]!)!);
        return [...route, start].join(' -> ');
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return start;
}

const topFolder = (module: string) => module.split('/')[0]!;
const coreFolder = (module: string) => (module.split('/').length === 2 ? '.' : module.split('/')[1]!);
const migrationFolder = (module: string) => (module.split('/').length === 3 ? '.' : module.split('/')[2]!);

/** Why an edge goes against the layers, or null when it may stand. */
function upward(from: string, to: string): string | null {
  const [a, b] = [topFolder(from), topFolder(to)];
  if (!TOP_LAYERS[a]?.includes(b)) return `${a}/ may not import ${b}/`;
  if (a === 'adapters' && b === 'core' && !CORE_FOR_ADAPTERS.includes(to))
    return 'adapters/ import only the Host of core';
  if (a !== 'core' || b !== 'core') return null;
  const [ra, rb] = [CORE_RANKS[coreFolder(from)], CORE_RANKS[coreFolder(to)]];
  if (ra === undefined || rb === undefined)
    return `core/${ra === undefined ? coreFolder(from) : coreFolder(to)} has no rank`;
  if (rb > ra) return `core/${coreFolder(from)} is below core/${coreFolder(to)}`;
  if (coreFolder(from) !== 'migration' || coreFolder(to) !== 'migration') return null;
  const [ma, mb] = [MIGRATION_RANKS[migrationFolder(from)], MIGRATION_RANKS[migrationFolder(to)]];
  if (ma === undefined || mb === undefined)
    return `core/migration/${ma === undefined ? migrationFolder(from) : migrationFolder(to)} has no rank`;
  return mb > ma ? `core/migration/${migrationFolder(from)} is below core/migration/${migrationFolder(to)}` : null;
}

describe('the import graph', () => {
  const graph = importGraph();

  it('is read: the store, the screens and core are in it, with their imports', () => {
    expect(graph.get('store/app-store.ts')).toContain('store/types.ts');
    expect(graph.get('core/supervisor/client.ts')).toContain('core/supervisor/xmlrpc.ts');
    expect(graph.size).toBeGreaterThan(100);
  });

  it('has no import circle anywhere in src/, `import type` included', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('has no import upward through the layers', () => {
    const offending = [...graph].flatMap(([from, targets]) =>
      targets
        .map((to) => `${from} -> ${to}`)
        .flatMap((edge) => {
          const [from, to] = edge.split(' -> ') as [string, string];
          const why = upward(from, to);
          return why ? [`${edge} (${why})`] : [];
        }),
    );
    expect(offending).toEqual([]);
  });

  it('finds a circle and an upward import when there is one (the checks can fail)', () => {
    const made = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(circles(made)).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
    expect(upward('core/host.ts', 'store/app-store.ts')).toMatch(/core\/ may not import store/);
    expect(upward('core/health/x.ts', 'core/monitor/y.ts')).toMatch(/below/);
    expect(upward('adapters/x.ts', 'core/migration/plan/plan.ts')).toMatch(/only the Host/);
    expect(upward('core/monitor/y.ts', 'core/health/x.ts')).toBeNull();
    expect(upward('core/migration/plan/x.ts', 'core/migration/apply/y.ts')).toMatch(/plan is below/);
    expect(upward('core/migration/session.ts', 'core/migration/journal/y.ts')).toBeNull();
  });
});
