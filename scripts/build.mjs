// `npm run build`: the npm package's bundle, dist/kubesup.js and its lazily loaded chunks, and dist/cli.js.
import fs from 'node:fs';
import * as esbuild from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

fs.rmSync('dist', { recursive: true, force: true });
await esbuild
  .build({
    ...bundleOptions,
    entryPoints: ['src/cli/main.ts'],
    splitting: true,
    outdir: 'dist',
    entryNames: 'kubesup',
    chunkNames: '[name]-[hash]',
    // The bundle is ESM; the CommonJS inside it (React, yoga's loader) asks for `require`.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    metafile: true,
  })
  .then((result) => fs.writeFileSync('dist/meta.json', JSON.stringify(result.metafile)));
fs.copyFileSync('src/cli/launch.js', 'dist/cli.js');
