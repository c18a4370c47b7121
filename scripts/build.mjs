// `npm run build`: the npm package's bundles, dist/kubesup.js and dist/status.js with their lazily loaded
// chunks, and dist/cli.js, which picks one.
import fs from 'node:fs';
import * as esbuild from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

/** One entry of the package, its chunks beside it, and what went into it (`meta`). */
async function entry(source, name, meta) {
  const result = await esbuild.build({
    ...bundleOptions,
    entryPoints: [source],
    splitting: true,
    outdir: 'dist',
    entryNames: name,
    chunkNames: name === 'kubesup' ? '[name]-[hash]' : `${name}-[name]-[hash]`,
    // The bundle is ESM; the CommonJS inside it (React, yoga's loader) asks for `require`.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    metafile: true,
  });
  fs.writeFileSync(meta, JSON.stringify(result.metafile));
}

fs.rmSync('dist', { recursive: true, force: true });
await entry('src/cli/main.ts', 'kubesup', 'dist/meta.json');
// `status` has an entry of its own: one file to load instead of a dozen shared chunks, for its start.
await entry('src/cli/status-main.ts', 'status', 'dist/meta-status.json');
fs.copyFileSync('src/cli/launch.js', 'dist/cli.js');
