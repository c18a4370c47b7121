/**
 * A measuring aid, not part of `npm run bench`: the CPU and resident memory below which the monitor cannot go
 * in each build, those of a screenful drawn by Ink and React alone (120x40), bundled exactly as the monitor is
 * (esbuild, minified, production React, the same V8 flags, Ink's kept modules: scripts/ink-kept.mjs) and run by
 * Node.js and as a single file compiled by Bun. Two screens: `log` (the default) is the monitor's beside a
 * logging kubelet, a few fixed rows and 31 log rows, each a memoized row keyed by its line, one new line a
 * frame; `all` has 38 rows every one new at each frame. `npx tsx bench/runtime-floor.ts [--secs=30]
 * [--node-only] [--screen=log|all] [--ink-own]` (Ink's own modules instead of the kept ones), no test node
 * needed; CPU is counted over the last two thirds of the run. FLOOR_FPS: frames a second (2, a kubelet at
 * rest; 30, a flood's), FLOOR_V8_FLAGS: V8 flags to try.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { inkKept } from '../scripts/ink-kept.mjs';
import { TmuxSession } from '../test/helpers/tmux.js';
import { REPO_ROOT } from '../test/node/test-node.js';
import { sleep } from './common.js';

const APP = `
import { setFlagsFromString } from 'node:v8';
import fs from 'node:fs';
import React, { memo, useEffect, useState } from 'react';
import { render, Box, Text } from 'ink';
const flags = process.env.FLOOR_V8_FLAGS || '--semi-space-growth-factor=1 --optimize-for-size';
if (!process.versions.bun) setFlagsFromString(flags);
const h = React.createElement;
const line = 'I1207 05:30:21.123456     311 kubelet.go:2180] "SyncLoop (housekeeping)" line=';
const Row = memo(({ text }) => h(Text, { wrap: 'truncate-end' }, text));
const lines = [];
let seq = 0;
function Screen() {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => {
      lines.push(++seq);
      if (lines.length > 100) lines.shift();
      setN((x) => x + 1);
    }, 1000 / Number(process.env.FLOOR_FPS || 2));
    return () => clearInterval(t);
  }, []);
  if (process.env.FLOOR_SCREEN === 'all') {
    const rows = Array.from({ length: 38 }, (_, i) => line + (n + i));
    return h(Box, { flexDirection: 'column' },
      h(Text, { bold: true }, 'floor ready ' + n),
      ...rows.map((r, i) => h(Text, { key: i, color: i % 5 ? undefined : 'yellow' }, r)));
  }
  return h(Box, { flexDirection: 'column', height: 39 },
    h(Text, { bold: true }, 'floor ready · kubesup-tui · monitor'),
    h(Text, null, 'supervisord RUNNING pid 192 · unix:///var/run/supervisor/supervisor.sock'),
    h(Text, { color: 'green' }, 'kubelet healthz ok 2 ms · http://127.0.0.1:10248/healthz'),
    h(Text, null, '  PROGRAM       STATE       PID     UPTIME  RESTARTS LAST EXIT'),
    h(Text, { color: 'green' }, '› kubelet       RUNNING     315     1m      0        -'),
    h(Text, { dimColor: true }, '── kubelet log · following · level ≥ info ─────'),
    ...lines.slice(-31).map((seq) => h(Row, { key: seq, text: line + seq })),
    h(Text, { dimColor: true }, 'j/k select  r restart  x stop  s start  f follow  / search  ? help  q quit'));
}
fs.writeFileSync(process.env.FLOOR_PID_FILE, String(process.pid));
render(h(Screen), { maxFps: 30, patchConsole: false, exitOnCtrlC: false });
`;

const secs = Number(process.argv.find((a) => a.startsWith('--secs='))?.slice(7) ?? 30);
const screen = process.argv.find((a) => a.startsWith('--screen='))?.slice(9) ?? 'log';
const inkOwn = process.argv.includes('--ink-own');
/** utime + stime of a process, in clock ticks (1/100 s). */
const cpuTicks = (pid: string) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-floor-'));
try {
  const bundle = path.join(dir, 'floor.mjs');
  await build({
    stdin: { contents: APP, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': './src/ui/devtools-stub.ts' },
    plugins: inkOwn ? [] : [inkKept],
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
        FLOOR_SCREEN: screen,
      },
    );
    try {
      await tui.waitFor((x) => x.includes('floor ready'), 'the floor screen');
      const pid = fs.readFileSync(pidFile, 'utf8');
      await sleep((secs * 1000) / 3);
      const t0 = cpuTicks(pid);
      const at = performance.now();
      await sleep((secs * 2000) / 3);
      const cpu = (cpuTicks(pid) - t0) / ((performance.now() - at) / 1000);
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      const what = `Ink${inkOwn ? "'s own modules" : ' (kept modules)'} and React alone, ${screen} screen, ${build}`;
      process.stderr.write(`${what}: ${cpu.toFixed(2)} % of a core, ${rss.toFixed(1)} MB resident after ${secs} s\n`);
    } finally {
      tui.kill();
      fs.rmSync(pidFile, { force: true });
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
