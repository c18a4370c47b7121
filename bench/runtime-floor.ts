/**
 * A measuring aid, not part of `npm run bench`: the resident memory below which the monitor cannot go in each
 * build, that of a screenful drawn by Ink and React alone (120x40, 38 rows of text, every row new at each frame),
 * bundled exactly as the monitor is (esbuild, minified, production React, the same V8 flags) and run by Node.js
 * and as a single file compiled by Bun. `npx tsx bench/runtime-floor.ts [--secs=10] [--node-only]`, no test node
 * needed; FLOOR_FPS: frames a second (2, a kubelet at rest; 30, a flood's), FLOOR_V8_FLAGS: V8 flags to try.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { TmuxSession } from '../test/helpers/tmux.js';
import { REPO_ROOT } from '../test/node/test-node.js';
import { sleep } from './common.js';

const APP = `
import { setFlagsFromString } from 'node:v8';
import fs from 'node:fs';
import React, { useEffect, useState } from 'react';
import { render, Box, Text } from 'ink';
const flags = process.env.FLOOR_V8_FLAGS || '--semi-space-growth-factor=1 --optimize-for-size';
if (!process.versions.bun) setFlagsFromString(flags);
function Screen() {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), 1000 / Number(process.env.FLOOR_FPS || 2));
    return () => clearInterval(t);
  }, []);
  const line = 'I1207 05:30:21.123456     311 kubelet.go:2180] "SyncLoop" line=';
  const rows = Array.from({ length: 38 }, (_, i) => line + (n + i));
  return React.createElement(Box, { flexDirection: 'column' },
    React.createElement(Text, { bold: true }, 'floor ready ' + n),
    ...rows.map((r, i) => React.createElement(Text, { key: i, color: i % 5 ? undefined : 'yellow' }, r)));
}
fs.writeFileSync(process.env.FLOOR_PID_FILE, String(process.pid));
render(React.createElement(Screen));
`;

const secs = Number(process.argv.find((a) => a.startsWith('--secs='))?.slice(7) ?? 10);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-floor-'));
try {
  const bundle = path.join(dir, 'floor.mjs');
  buildSync({
    stdin: { contents: APP, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': './src/ui/devtools-stub.ts' },
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    outfile: bundle,
    logLevel: 'warning',
  });
  const single = path.join(dir, 'floor-bun');
  execFileSync(
    path.join(REPO_ROOT, 'node_modules/.bin/bun'),
    ['build', bundle, '--compile', '--bytecode', '--format=esm', '--minify', '--target=bun-linux-x64-baseline'].concat(
      `--outfile=${single}`,
    ),
    { stdio: 'ignore' },
  );
  for (const [build, argv] of [
    ['npm package (Node.js)', ['node', bundle]],
    ['single file (Bun)', [single]],
  ] as const) {
    if (process.argv.includes('--node-only') && argv[0] !== 'node') continue;
    const pidFile = path.join(dir, 'pid');
    const tui = new TmuxSession(
      argv,
      { columns: 120, rows: 40 },
      {
        FLOOR_PID_FILE: pidFile,
        FLOOR_V8_FLAGS: process.env.FLOOR_V8_FLAGS ?? '',
        FLOOR_FPS: process.env.FLOOR_FPS ?? '2',
      },
    );
    try {
      await tui.waitFor((x) => x.includes('floor ready'), 'the floor screen');
      await sleep(secs * 1000);
      const status = fs.readFileSync(`/proc/${fs.readFileSync(pidFile, 'utf8')}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      process.stderr.write(`Ink and React alone, ${build}: ${rss.toFixed(1)} MB resident after ${secs} s\n`);
    } finally {
      tui.kill();
      fs.rmSync(pidFile, { force: true });
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
