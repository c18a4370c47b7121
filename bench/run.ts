/**
 * `npm run bench`: kubesup-tui's speed and cost, measured on the test node, each comparison run side by side
 * (the two sides alternating, several runs each). Prints a table of medians (min-max) and the ratio against
 * each target, and writes it to BENCHMARKS.md. Timings on a shared machine are noisy: read medians and
 * ranges, never a single run. See bench/README.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../test/helpers/cli-in-node.js';
import { TmuxSession } from '../test/helpers/tmux.js';
import { ensurePrerequisites } from '../test/node/prerequisites.js';
import { REPO_ROOT, TestNode } from '../test/node/test-node.js';

const QUICK = process.argv.includes('--quick');
/** `--only=monitor` (or package, start, handover): one part, for working on it. BENCHMARKS.md is then left alone. */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const part = (name: string) => !ONLY || ONLY === name;
const RUNS = QUICK ? 3 : 9;

interface Row {
  readonly what: string;
  readonly value: string;
  readonly target: string;
  readonly verdict: string;
}
const rows: Row[] = [];
const notes: string[] = [];

function stats(xs: number[]): { median: number; min: number; max: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)] as number, min: s[0] as number, max: s.at(-1) as number, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] as number };
}
const fmt = (xs: number[], unit: string, digits = 0) => {
  const s = stats(xs);
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
};
function row(what: string, value: string, target: string, ok: boolean | null): void {
  rows.push({ what, value, target, verdict: ok === null ? '' : ok ? 'met' : 'MISSED' });
  process.stderr.write(`  ${what}: ${value}  [target ${target}] ${ok === null ? '' : ok ? 'met' : 'MISSED'}\n`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function nodeReady(layout: 'kubekey-centos7' = 'kubekey-centos7'): Promise<TestNode> {
  const node = await TestNode.up(layout);
  await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz && supervisorctl -c /etc/supervisord.conf status node-exporter | grep -q RUNNING', 30_000);
  return node;
}

async function timeExec(node: TestNode, argv: string[]): Promise<number> {
  const t = performance.now();
  const r = await node.exec(argv);
  if (r.exitCode > 3) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return performance.now() - t;
}

// 1. What `npx kubesup-tui` downloads and unpacks.
function benchPackage(): void {
  process.stderr.write('package\n');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-bench-pack-'));
  try {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const info = JSON.parse(out)[0] as { filename: string; size: number; unpackedSize: number; entryCount: number };
    row('packed tarball', `${(info.size / 1e6).toFixed(2)} MB, ${info.entryCount} files`, '< 1.5 MB', info.size < 1.5e6);
    row('unpacked', `${(info.unpackedSize / 1e6).toFixed(2)} MB`, '< 3 MB', info.unpackedSize < 3e6);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const prefix = path.join(work, `prefix-${i}`);
      const t = performance.now();
      execFileSync('npm', ['install', '-g', '--silent', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(work, info.filename)], { stdio: 'ignore' });
      times.push(performance.now() - t);
    }
    row('install of the tarball into an empty prefix (npm, offline)', fmt(times, 'ms'), 'no runtime dependencies', true);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// 2. Start: status --json against supervisorctl status, alternating; the TUI's first frame.
async function benchStart(node: TestNode): Promise<number> {
  process.stderr.write('start\n');
  const ours: number[] = [];
  const theirs: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const a = await timeExec(node, ['supervisorctl', '-c', '/etc/supervisord.conf', 'status']);
    const b = await timeExec(node, ['node', BIN, 'status', '--json']);
    const c = await timeExec(node, ['node', '-e', '0']);
    if (i >= 2) (theirs.push(a), ours.push(b), floor.push(c)); // first two warm the page cache
  }
  const ratio = stats(ours).median / stats(theirs).median;
  row('supervisorctl status', fmt(theirs, 'ms'), 'reference', null);
  row('kubesup-tui status --json', fmt(ours, 'ms'), '<= 0.8x supervisorctl', ratio <= 0.8);
  row('  ratio to supervisorctl', `${ratio.toFixed(2)}x`, '<= 0.8x', ratio <= 0.8);
  row('node -e 0 (floor, same path through nsenter)', fmt(floor, 'ms'), 'reference', null);

  const frames: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', 'node', BIN, 'monitor']), { columns: 100, rows: 30 });
    try {
      await tui.waitFor((x) => x.includes('kubesup-tui ·'), 'the first frame', 10_000);
      frames.push(performance.now() - t);
    } finally {
      tui.kill();
    }
  }
  const fr = stats(frames).median / stats(theirs).median;
  row('TUI first frame (tmux, polled)', fmt(frames, 'ms'), '<= 1.6x supervisorctl', fr <= 1.6);
  row('  ratio to supervisorctl', `${fr.toFixed(2)}x`, '<= 1.6x', fr <= 1.6);
  return stats(theirs).median;
}

/** A probe inside the node: GET /healthz every 10 ms; the longest stretch without "ok". */
const PROBE = `
const http = require('http'); const fs = require('fs');
let firstFail = null, worst = 0, stop = false;
process.on('SIGTERM', () => { stop = true; });
(async function loop() {
  while (!stop) {
    const ok = await new Promise((r) => { const q = http.get('http://127.0.0.1:10248/healthz', { timeout: 500 }, (res) => { let b=''; res.on('data', (c) => b += c); res.on('end', () => r(b === 'ok')); }); q.on('error', () => r(false)); q.on('timeout', () => { q.destroy(); r(false); }); });
    const t = Date.now();
    if (!ok && firstFail === null) firstFail = t;
    if (ok && firstFail !== null) { worst = Math.max(worst, t - firstFail); firstFail = null; }
    await new Promise((r) => setTimeout(r, 10));
  }
  fs.writeFileSync('/run/probe-gap', String(firstFail === null ? worst : -1));
  process.exit(0);
})();`;

async function measureGap(node: TestNode, act: () => Promise<void>): Promise<number> {
  await node.sh(`cat > /run/probe.js <<'EOF'\n${PROBE}\nEOF\nsetsid node /run/probe.js </dev/null >/dev/null 2>&1 & echo $! > /run/probe.pid`);
  await sleep(300);
  await act();
  await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 60_000);
  await sleep(300);
  await node.sh('kill $(cat /run/probe.pid); for i in $(seq 1 50); do [ -e /run/probe-gap ] && break; sleep 0.1; done');
  return Number((await node.sh('cat /run/probe-gap; rm -f /run/probe-gap')).trim());
}

const MANUAL_INI = `[program:kubelet]
command=/etc/kubernetes/kubelet.sh run
user=root
process_name=%(program_name)s
numprocs=1
directory=/etc/kubernetes
priority=1
autostart=true
startsecs=3
startretries=3
autorestart=true
exitcodes=0
stopsignal=QUIT
stopwaitsecs=10
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=/var/log/kubelet/kubelet.log
stdout_logfile_maxbytes=10MB
stdout_logfile_backups=20
`;

// 3. Handover: the healthz gap of migrate --yes against the manual procedure, on fresh nodes, alternating.
async function benchHandover(): Promise<void> {
  process.stderr.write('handover\n');
  const ours: number[] = [];
  const manual: number[] = [];
  const runs = QUICK ? 2 : 4;
  for (let i = 0; i < runs; i++) {
    const a = await nodeReady();
    try {
      const cmdline = (await a.sh("tr '\\0' ' ' < /proc/$(systemctl show -p MainPID --value kubelet)/cmdline")).trim();
      await a.sh(`mkdir -p /var/log/kubelet; cat > /etc/supervisord.d/kubelet.ini <<'EOF'\n${MANUAL_INI}EOF\nprintf '#!/bin/bash\\n%s\\n' '${cmdline}' > /etc/kubernetes/kubelet.sh; chmod a+x /etc/kubernetes/kubelet.sh`);
      manual.push(await measureGap(a, async () => void (await a.sh('systemctl disable kubelet; systemctl stop kubelet; systemctl restart supervisord', { timeoutMs: 120_000 }))));
    } finally {
      await a.down();
    }
    const b = await nodeReady();
    try {
      ours.push(await measureGap(b, async () => {
        const r = await b.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
        if (r.exitCode !== 0) throw new Error(`migrate failed: ${r.stdout}${r.stderr}`);
      }));
    } finally {
      await b.down();
    }
  }
  const ratio = stats(ours).median / stats(manual).median;
  row('healthz gap, manual procedure (disable; stop; restart supervisord)', fmt(manual, 'ms'), 'reference', null);
  row('healthz gap, kubesup-tui migrate --yes', fmt(ours, 'ms'), '< 1 s, <= 1/3 of manual', stats(ours).max < 1000 && ratio <= 1 / 3);
  row('  ratio to the manual procedure', `${ratio.toFixed(2)}x`, '<= 0.33x', ratio <= 1 / 3);
}

function procCpuTicks(node: TestNode, pid: number): number {
  const stat = fs.readFileSync(node.hostPath(`/proc/${pid}/stat`), 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}
function rssMb(node: TestNode, pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(node.hostPath(`/proc/${pid}/status`), 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

// 4 and 5. The monitor: CPU, memory, terminal bytes, key latency under a log flood; crash-to-screen latency.
async function benchMonitor(): Promise<void> {
  process.stderr.write('monitor\n');
  const node = await nodeReady();
  const typescript = path.join(node.dir, 'typescript');
  let tui: TmuxSession | null = null;
  try {
    const m = await node.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
    if (m.exitCode !== 0) throw new Error(m.stdout + m.stderr);
    await node.sh('mkdir -p /run/kubelet-standin; echo 0 > /run/kubelet-standin/log-rate');
    // `script` records every byte the TUI writes to its terminal: what would cross the SSH link.
    tui = new TmuxSession(node.enterArgv(['script', '-qfc', `env TERM=xterm-256color node ${BIN} monitor`, typescript]), { columns: 120, rows: 40 });
    await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x), 'the monitor');
    const pid = Number((await node.sh(`pgrep -f -n 'kubesup-tui.js monito[r]'`)).trim());
    const phase = async (rate: number, seconds: number) => {
      await node.sh(`echo ${rate} > /run/kubelet-standin/log-rate`);
      await sleep(1500);
      const c0 = procCpuTicks(node, pid);
      const b0 = fs.statSync(typescript).size;
      const t0 = performance.now();
      const rss: number[] = [];
      const keys: number[] = [];
      for (let s = 0; s < seconds; s++) {
        rss.push(rssMb(node, pid));
        if (rate > 0 && s % 2 === 1 && keys.length < 5) {
          // Key press answered: toggle follow and wait for the header to change.
          const before = tui!.capture().includes('· following ·');
          const k = performance.now();
          tui!.send('f');
          await tui!.waitFor((x) => x.includes(before ? '· paused ·' : '· following ·'), 'the key answered', 5000, 5);
          keys.push(performance.now() - k);
        } else await sleep(1000);
      }
      const secs = (performance.now() - t0) / 1000;
      const cpu = ((procCpuTicks(node, pid) - c0) / 100 / secs) * 100;
      const bytesPerS = (fs.statSync(typescript).size - b0) / secs;
      await node.sh('echo 0 > /run/kubelet-standin/log-rate');
      // Every line processed: once the flood stops, the screen reaches the last line kubelet wrote.
      if (rate > 0 && !tui!.capture().includes('· following ·')) tui!.send('f');
      await sleep(200);
      const last = Number((await node.sh("grep -o 'line=[0-9]*' /var/log/kubelet/kubelet.log | tail -1")).trim().slice(5));
      const t = performance.now();
      // The newest numbered line on screen reaches the last one kubelet wrote (a long last line may be cut).
      const newest = (x: string) => Math.max(0, ...[...x.matchAll(/line=(\d+)/g)].map((m) => Number(m[1])));
      await tui!.waitFor((x) => newest(x) >= last - 3, `the last line ${last} on screen`, 15_000);
      return { cpu, bytesPerS, rss, keys, catchUpMs: performance.now() - t };
    };
    const idle = await phase(0, QUICK ? 5 : 10);
    row('monitor idle: CPU', `${idle.cpu.toFixed(1)} % of a core`, '< 1 %', idle.cpu < 1);
    row('monitor idle: written to the terminal', `${(idle.bytesPerS / 1024).toFixed(1)} KB/s`, '<= 80 KB/s', idle.bytesPerS <= 80 * 1024);
    for (const rate of [2000, 10000]) {
      const r = await phase(rate, QUICK ? 6 : 12);
      const target = rate === 2000 ? 15 : 25;
      row(`monitor at ${rate} lines/s: CPU`, `${r.cpu.toFixed(1)} % of a core`, `< ${target} %`, r.cpu < target);
      row(`monitor at ${rate} lines/s: written to the terminal`, `${(r.bytesPerS / 1024).toFixed(1)} KB/s`, '<= 80 KB/s', r.bytesPerS <= 80 * 1024);
      row(`monitor at ${rate} lines/s: key press answered (tmux round trip)`, fmt(r.keys, 'ms'), '<= 50 ms', stats(r.keys).median <= 50);
      row(`monitor at ${rate} lines/s: resident memory`, `${Math.min(...r.rss).toFixed(0)}-${Math.max(...r.rss).toFixed(0)} MB`, '< 170 MB, flat', Math.max(...r.rss) < 170);
      row(`monitor at ${rate} lines/s: caught up with the last line after the flood`, `${r.catchUpMs.toFixed(0)} ms`, 'every line processed', true);
    }

    // Crash to screen: kill kubelet, time until the restart count on screen goes up.
    const lat: number[] = [];
    for (let i = 0; i < (QUICK ? 5 : 20); i++) {
      await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x), 'kubelet running', 30_000);
      await sleep(1200); // past startsecs, so that the next kill is a crash of a RUNNING kubelet
      const before = Number(/› kubelet\s+\S+\s+\S+\s+\S+\s+(\d+)/.exec(tui.capture())?.[1] ?? -1);
      // Whatever supervisord runs for kubelet: kubelet itself, or its wrapper pacing a restart.
      const kpid = (await node.sh('supervisorctl -c /etc/supervisord.conf pid kubelet')).trim();
      const t = performance.now();
      await node.sh(`kill -9 ${kpid}`);
      await tui.waitFor((x) => Number(/› kubelet\s+\S+\s+\S+\s+\S+\s+(\d+)/.exec(x)?.[1] ?? -1) > before || /› kubelet\s+(STARTING|BACKOFF|EXITED)/.test(x), 'the crash on screen', 10_000, 5);
      lat.push(performance.now() - t);
    }
    const p95 = stats(lat).p95;
    row('kubelet crash visible on screen after kill -9', `${fmt(lat, 'ms')}, p95 ${p95.toFixed(0)} ms`, 'p95 <= 500 ms', p95 <= 500);
  } finally {
    tui?.kill();
    await node.down();
  }
}

async function main(): Promise<void> {
  ensurePrerequisites();
  if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  const started = new Date();
  if (part('package')) benchPackage();
  if (part('start')) {
    const node = await nodeReady();
    try {
      await benchStart(node);
    } finally {
      await node.down();
    }
  }
  if (part('handover')) await benchHandover();
  if (part('monitor')) await benchMonitor();
  if (ONLY) return;

  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const table = [
    '| measurement | result: median (min-max) | target | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.target} | ${r.verdict} |`),
  ].join('\n');
  const text = `# Benchmarks\n\nMeasured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench${QUICK ? ' -- --quick' : ''}\` on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${RUNS} runs per side unless said. How to read it: bench/README.md.\n\n${table}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
  process.stdout.write(`\n${table}\n`);
  // The hand-written analysis of misses is kept below the regenerated table.
  const analysis = path.join(REPO_ROOT, 'bench', 'analysis.md');
  fs.writeFileSync(path.join(REPO_ROOT, 'BENCHMARKS.md'), fs.existsSync(analysis) ? `${text}\n${fs.readFileSync(analysis, 'utf8')}` : text);
  process.stderr.write('written to BENCHMARKS.md\n');
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
