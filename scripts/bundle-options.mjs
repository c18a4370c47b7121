// What both builds give esbuild: the npm package's (scripts/build.mjs) and the single file's, which Bun then
// wraps (scripts/build-standalone.mjs).
import { inkKept } from './ink-kept.mjs';

export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // KUBESUP_UNMINIFIED=1: names a profile can be read by (bench/profile-at-rest.ts).
  minify: !process.env.KUBESUP_UNMINIFIED,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  // React's devtools are never connected on a node.
  alias: { 'react-devtools-core': './src/ui/devtools-stub.ts' },
  // The resident agent's Python sources, as text (src/cli/agent-sources.ts).
  loader: { '.py': 'text' },
  logLevel: 'warning',
  plugins: [inkKept],
};
