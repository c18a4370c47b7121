import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { keptFor } from './scripts/ink-kept.mjs';

export default defineConfig({
  // The resident agent's Python sources as text, as esbuild's --loader:.py=text gives them to the builds.
  plugins: [
    {
      name: 'python-as-text',
      transform: (code: string, id: string) => (id.endsWith('.py') ? `export default ${JSON.stringify(code)};` : null),
    },
    // Ink's modules that the builds take from src/ui/ink-kept/: the UI tests draw through them too.
    { name: 'ink-kept', enforce: 'pre', resolveId: (source: string, importer?: string) => keptFor(source, importer) },
  ],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Node tests boot namespaces and a real supervisord: give them room, and keep two at a time at most.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    minWorkers: 1,
    // Times on screen are local (24-hour); the tests read them in UTC, wherever they run.
    env: { TZ: 'UTC' },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Ink through vite, not Node's loader: so that its imports of the kept modules are redirected.
    server: { deps: { inline: ['ink'] } },
  },
});
