// Ink's modules that both builds take from src/ui/ink-kept/ instead (scripts/ink-kept.json; the tests too:
// vitest.config.ts): the same answers, kept from one frame to the next and bounded. Only Ink's own imports are
// redirected; the kept modules import the libraries themselves.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEPT = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'ink-kept.json'), 'utf8'));
const INSIDE_INK = /[\\/]node_modules[\\/]ink[\\/]build[\\/]/;

/** The kept file for `specifier` imported by `importer`, or null. */
export function keptFor(specifier, importer) {
  if (!importer || !INSIDE_INK.test(importer) || !(specifier in KEPT)) return null;
  return path.join(ROOT, KEPT[specifier]);
}

/** The esbuild plugin of both builds. */
export const inkKept = {
  name: 'ink-kept',
  setup(build) {
    build.onResolve({ filter: /^(\.\/(output|measure-text|wrap-text)\.js|widest-line)$/ }, (args) => {
      const file = keptFor(args.path, args.importer);
      return file ? { path: file } : undefined;
    });
  },
};
