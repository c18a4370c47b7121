#!/usr/bin/env node
// `npm run build:standalone`: kubesup-tui as one executable per architecture, runtime included, for nodes
// without Node.js 20: dist/standalone/kubesup-tui-linux-{x64,arm64} and their SHA256SUMS.
//
// Bun's --compile with its *baseline* x64 runtime (no AVX2 needed) links against glibc 2.17 at most, so the
// file runs on CentOS 7 (glibc 2.17, kernel 3.10); Node's own single-executable builds inherit Node's glibc
// 2.28. The code is bundled first by esbuild, exactly as for the npm package (same aliases and defines);
// bun then only wraps that one file with its runtime, and its bytecode.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const OUT = 'dist/standalone';
// The entry, and the two bundles it picks from (status's own, and every other command's), as in dist/cli.js.
const ENTRY = path.join(OUT, 'kubesup-standalone.mjs');
const BUNDLES = { './main.js': 'kubesup-main.mjs', './status-main.js': 'kubesup-status.mjs' };
const TARGETS = [
  ['kubesup-tui-linux-x64', 'bun-linux-x64-baseline'],
  ['kubesup-tui-linux-arm64', 'bun-linux-arm64'],
];
const bin = (name) => path.join('node_modules', '.bin', name);

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
// Bun's node:http costs every start ~15 ms (its load and first request; `status` is 0.3x supervisorctl's):
// the adapters' HTTP goes through Bun's own fetch instead (src/adapters/http-client-bun.ts).
const bunHttp = {
  name: 'bun-http',
  setup(build) {
    build.onResolve({ filter: /^\.\/http-client\.js$/ }, (args) =>
      args.importer.endsWith('-bun.ts') ? undefined : { path: path.resolve(args.resolveDir, 'http-client-bun.ts') },
    );
  },
};
await esbuild.build({
  ...bundleOptions,
  plugins: [...bundleOptions.plugins, bunHttp],
  entryPoints: { 'kubesup-main': 'src/cli/main.ts', 'kubesup-status': 'src/cli/status-main.ts' },
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
});
// `status` loads only its own bundle: a third of the code, ~3 ms less of its start (Bun --splitting keeps the
// files apart in the executable).
const pickBundle = {
  name: 'pick-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/(status-)?main\.js$/ }, (args) => ({
      path: `./${BUNDLES[args.path]}`,
      external: true,
    }));
  },
};
await esbuild.build({
  ...bundleOptions,
  plugins: [pickBundle],
  entryPoints: ['src/cli/standalone.ts'],
  outfile: ENTRY,
});
const sums = [];
for (const [file, target] of TARGETS) {
  const outfile = path.join(OUT, file);
  // --bytecode: the JavaScript is compiled ahead of time into the file, so a start parses nothing
  // (`status` 100 ms -> 45 ms on the test node: the single file's whole start-up target is 0.4x supervisorctl).
  execFileSync(
    bin('bun'),
    [
      'build',
      ENTRY,
      ...Object.values(BUNDLES).map((b) => path.join(OUT, b)),
      '--compile',
      '--splitting',
      '--bytecode',
      '--format=esm',
      '--minify',
      `--target=${target}`,
      `--outfile=${outfile}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const sha = crypto.createHash('sha256').update(fs.readFileSync(outfile)).digest('hex');
  sums.push(`${sha}  ${file}`);
  process.stderr.write(`built ${outfile} (${(fs.statSync(outfile).size / 1e6).toFixed(1)} MB)\n`);
}
for (const f of [ENTRY, ...Object.values(BUNDLES).map((b) => path.join(OUT, b))]) fs.rmSync(f);
fs.writeFileSync(path.join(OUT, 'SHA256SUMS'), `${sums.join('\n')}\n`);
