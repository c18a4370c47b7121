// The house rules that a reviewer would otherwise count by hand: no file over 300 lines, no screen over 150,
// and core/ touching the world only through the Host.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../node/test-node.js';

function files(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return rel.includes('layouts') ? [] : files(rel);
    return /\.(ts|tsx|mjs|js|py)$/.test(e.name) ? [rel] : [];
  });
}
const lines = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8').split('\n').length - 1;

describe('the house rules', () => {
  it('no source, test or bench file is over 300 lines', () => {
    const long = ['src', 'test', 'bench', 'scripts', 'bin'].flatMap(files).filter((f) => lines(f) > 300);
    expect(long).toEqual([]);
  });

  it('no screen is over 150 lines', () => {
    expect(files('src/ui/screens').filter((f) => lines(f) > 150)).toEqual([]);
  });

  it('core/ imports nothing that reaches the world (node:fs, child processes, http, net) and no UI', () => {
    const reaching = /from '(node:(fs|fs\/promises|child_process|http|net|os)|execa|ink|react)'/;
    expect(files('src/core').filter((f) => reaching.test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')))).toEqual(
      [],
    );
  });

  it('core/, store/ and ui/ neither read the real clock nor set timers, nor touch files or processes', () => {
    // Time goes through host.clock (core) and services.clock (store); screens get it from the store.
    const world =
      /Date\.now\(|new Date\(\)|setTimeout\(|setInterval\(|performance\.now|from '(node:fs|node:child_process|execa)/;
    const touching = ['src/core', 'src/store', 'src/ui']
      .flatMap(files)
      .filter((f) => world.test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')));
    expect(touching).toEqual([]);
  });

  it('core/health sits below core/migration: it imports nothing from it', () => {
    const upward = /from '\.\.\/migration\//;
    expect(
      files('src/core/health').filter((f) => upward.test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'))),
    ).toEqual([]);
  });
});
