// `npm run bench` runs outside vitest: nothing it imports, however far down, may import vitest (which throws
// "Vitest failed to access its internal state" when loaded by a plain process). Read from the import lines.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../node/test-node.js';

/** Each chain of relative imports from `file` that ends at a bare import of `target`, as `a.ts -> b.ts -> target`. */
function chainsTo(target: string, file: string, seen = new Set<string>(), trail: string[] = []): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const here = [...trail, path.relative(REPO_ROOT, file)];
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  // `import type` is erased at run time: not followed.
  for (const [, typeOnly, spec] of text.matchAll(/^(?:import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gms)) {
    if (typeOnly) continue;
    if (spec === target) found.push([...here, target].join(' -> '));
    else if (spec?.startsWith('.')) {
      const next = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
      if (fs.existsSync(next)) found.push(...chainsTo(target, next, seen, here));
    }
  }
  return found;
}

describe('the benchmarks', () => {
  it('import nothing that imports vitest', () => {
    const bench = path.join(REPO_ROOT, 'bench');
    const entries = fs.readdirSync(bench).filter((f) => f.endsWith('.ts'));
    expect(entries).toContain('run.ts');
    expect(entries.flatMap((f) => chainsTo('vitest', path.join(bench, f)))).toEqual([]);
  });

  it('the check itself finds a chain where there is one', () => {
    const chains = chainsTo('vitest', path.join(REPO_ROOT, 'test/helpers/with-test-node.ts'));
    expect(chains[0]).toBe('test/helpers/with-test-node.ts -> vitest');
  });
});
