/** 4 and 5. The monitor: CPU, memory, terminal bytes and key latency under a log flood; crash-to-screen latency. */
import fs from 'node:fs';
import path from 'node:path';
import { BIN, STANDALONE } from '../test/helpers/cli-in-node.js';
import { TmuxSession } from '../test/helpers/tmux.js';
import { atRestRows, measureAtRest, procCpuTicks, rssMb } from './at-rest.js';
import { row as addRow, CLEAN_ENV, fmt, nodeReady, QUICK, sleep, stats } from './common.js';

/** The two builds: how to start each one's monitor, and how to find its process. */
export const BUILDS = {
  'npm package': { command: `node ${BIN}`, pgrep: 'kubesup-tui.js monito[r]' },
  'single file': { command: STANDALONE, pgrep: 'kubesup-tui-linux-x64 monito[r]' },
} as const;

// 4 and 5. The monitor: CPU, memory, terminal bytes, key latency under a log flood; crash-to-screen latency.
export async function benchMonitor(build: keyof typeof BUILDS): Promise<void> {
  process.stderr.write(`monitor (${build})\n`);
  const { command, pgrep } = BUILDS[build];
  const row = (what: string, value: string, target: string, ok: boolean | null) =>
    addRow(`${what} [${build}]`, value, target, ok);
  const node = await nodeReady();
  const typescript = path.join(node.dir, 'typescript');
  let tui: TmuxSession | null = null;
  try {
    const m = await node.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
    const kubeletBorn = performance.now();
    if (m.exitCode !== 0) throw new Error(m.stdout + m.stderr);
    await node.sh('mkdir -p /run/kubelet-standin; echo 0 > /run/kubelet-standin/log-rate');
    // `script` records every byte the TUI writes to its terminal: what would cross the SSH link.
    tui = new TmuxSession(
      node.enterArgv(['script', '-qfc', `env -i ${CLEAN_ENV} TERM=xterm-256color ${command} monitor`, typescript]),
      { columns: 120, rows: 40 },
    );
    await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x), 'the monitor');
    const pid = Number((await node.sh(`pgrep -f -n '${pgrep}'`)).trim());
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
      const last = Number(
        (await node.sh("grep -o 'line=[0-9]*' /var/log/kubelet/kubelet.log | tail -1")).trim().slice(5),
      );
      const t = performance.now();
      // The newest numbered line on screen reaches the last one kubelet wrote (a long last line may be cut).
      const newest = (x: string) => Math.max(0, ...[...x.matchAll(/line=(\d+)/g)].map((m) => Number(m[1])));
      await tui!.waitFor((x) => newest(x) >= last - 3, `the last line ${last} on screen`, 15_000);
      return { cpu, bytesPerS, rss, keys, catchUpMs: performance.now() - t };
    };
    for (const rate of [2000, 10000]) {
      const r = await phase(rate, QUICK ? 6 : 12);
      const target = rate === 2000 ? 15 : 25;
      row(`monitor at ${rate} lines/s: CPU`, `${r.cpu.toFixed(1)} % of a core`, `< ${target} %`, r.cpu < target);
      row(
        `monitor at ${rate} lines/s: written to the terminal`,
        `${(r.bytesPerS / 1024).toFixed(1)} KB/s`,
        '<= 80 KB/s',
        r.bytesPerS <= 80 * 1024,
      );
      row(
        `monitor at ${rate} lines/s: key press answered (tmux round trip)`,
        fmt(r.keys, 'ms'),
        '<= 50 ms',
        stats(r.keys).median <= 50,
      );
      row(
        `monitor at ${rate} lines/s: resident memory`,
        `${Math.min(...r.rss).toFixed(0)}-${Math.max(...r.rss).toFixed(0)} MB`,
        '<= 64 MB, flat',
        Math.max(...r.rss) <= 64,
      );
      row(
        `monitor at ${rate} lines/s: caught up with the last line after the flood`,
        `${r.catchUpMs.toFixed(0)} ms`,
        'every line processed',
        true,
      );
    }
    // After the floods (100,000s of lines through the ring): what stays resident.
    await sleep(3000);
    const afterFlood = rssMb(node, pid);
    row('resident memory after the floods', `${afterFlood.toFixed(0)} MB`, '<= 64 MB', afterFlood <= 64);
    // At rest, with htop beside it: the monitor as it is left open on a node (bench/at-rest.ts).
    atRestRows(await measureAtRest(node, tui, pid, typescript, kubeletBorn), row);
    const afterRun = rssMb(node, pid);
    row(
      'resident memory after the run (floods, then at rest)',
      `${afterRun.toFixed(0)} MB`,
      '<= 64 MB',
      afterRun <= 64,
    );

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
      await tui.waitFor(
        (x) =>
          Number(/› kubelet\s+\S+\s+\S+\s+\S+\s+(\d+)/.exec(x)?.[1] ?? -1) > before ||
          /› kubelet\s+(STARTING|BACKOFF|EXITED)/.test(x),
        'the crash on screen',
        10_000,
        5,
      );
      lat.push(performance.now() - t);
    }
    const p95 = stats(lat).p95;
    row(
      'kubelet crash visible on screen after kill -9',
      `${fmt(lat, 'ms')}, p95 ${p95.toFixed(0)} ms`,
      'p95 <= 500 ms',
      p95 <= 500,
    );
  } finally {
    tui?.kill();
    await node.down();
  }
}
