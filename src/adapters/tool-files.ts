/**
 * The files of this very tool, for its copy on the node (core/migration/plan/tool-copy.ts): the single file is
 * one executable (its own runtime, its script in the file's embedded file system); the npm package is Node.js
 * running bin/kubesup-tui.js, which loads dist/*.js (every dependency is bundled there: nothing else is needed).
 */
import fs from 'node:fs';
import path from 'node:path';

/** core's ToolSelf (core/migration/plan/tool-copy.ts), by shape: adapters import only the Host of core. */
interface ToolFiles {
  readonly runtime?: string;
  readonly files: { readonly from: string; readonly to: string }[];
  readonly entry: string;
}

export function runningTool(): ToolFiles | undefined {
  const script = process.argv[1];
  if (!script || script.startsWith('/$bunfs/') || script.includes('~BUN'))
    return { files: [{ from: process.execPath, to: 'kubesup-tui' }], entry: 'kubesup-tui' };
  const entry = fs.realpathSync(script);
  const root = path.resolve(path.dirname(entry), '..');
  const dist = path.join(root, 'dist');
  // Run from the sources (tsx, the tests): there is no bundle to copy.
  if (!fs.existsSync(path.join(dist, 'cli.js'))) return undefined;
  const files = fs
    .readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ from: path.join(dist, f), to: `dist/${f}` }));
  // bin/kubesup-tui.js (npx, npm i -g) or dist/cli.js alone (a copied dist/); package.json where there is one:
  // Node.js reads its "type" (ESM) for both.
  for (const rel of ['bin/kubesup-tui.js', 'package.json'])
    if (fs.existsSync(path.join(root, rel))) files.push({ from: path.join(root, rel), to: rel });
  const started = path.relative(root, entry);
  return { runtime: process.execPath, files, entry: files.some((f) => f.to === started) ? started : 'dist/cli.js' };
}
