/**
 * The monitor at rest as a node is: every program older than a minute, kubelet quiet and then logging 2 lines
 * a second (a real kubelet at its default verbosity), with `htop` running beside it on the same node over the
 * same window, as the reference for what watching a node may cost. CPU is utime+stime from /proc/PID/stat.
 */
import fs from 'node:fs';
import { TmuxSession } from '../test/helpers/tmux.js';
import type { TestNode } from '../test/node/test-node.js';
import { CLEAN_ENV, fmt, QUICK, sleep, stats } from './common.js';

export function procCpuTicks(node: TestNode, pid: number): number {
  const stat = fs.readFileSync(node.hostPath(`/proc/${pid}/stat`), 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}
export function rssMb(node: TestNode, pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(node.hostPath(`/proc/${pid}/status`), 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

/** CPU of each process over the same window, in % of a core. */
async function cpuOver(node: TestNode, pids: readonly number[], seconds: number): Promise<number[]> {
  const before = pids.map((p) => procCpuTicks(node, p));
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const secs = (performance.now() - t0) / 1000;
  return pids.map((p, i) => ((procCpuTicks(node, p) - (before[i] as number)) / 100 / secs) * 100);
}

/** The time of a klog line ("I1206 20:21:52.922220 ..."), written in the node's time zone (UTC, like here). */
function klogTime(line: string): number | null {
  const m = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})/.exec(line);
  if (!m) return null;
  const [, mo, d, h, mi, s, us] = m.map(Number) as number[];
  const year = new Date().getUTCFullYear();
  return Date.UTC(year, (mo as number) - 1, d, h, mi, s) + (us as number) / 1000;
}

export interface AtRest {
  readonly quiet: { monitor: number; htop: number };
  readonly logging: { monitor: number; htop: number; bytesPerS: number };
  /** From kubelet writing a line (its own timestamp) to that line on screen, polled every 5 ms. */
  readonly lineToScreen: number[];
  readonly htopRss: number;
}

/**
 * `tui` shows the monitor (pid `pid`, its terminal recorded in `typescript`); `bornAt` is when kubelet last
 * started (performance.now()): the window begins once it is a minute old.
 */
export async function measureAtRest(
  node: TestNode,
  tui: TmuxSession,
  pid: number,
  typescript: string,
  bornAt: number,
): Promise<AtRest> {
  const htop = new TmuxSession(node.enterArgv(['env', '-i', ...CLEAN_ENV.split(' '), 'TERM=xterm-256color', 'htop']), {
    columns: 120,
    rows: 40,
  });
  try {
    // tmux starts htop a moment after the session: its pid once it is there.
    await node.waitFor('pgrep -x htop');
    const htopPid = Number((await node.sh('pgrep -x -n htop')).trim());
    const window = QUICK ? 15 : 60;
    await node.sh('echo 0 > /run/kubelet-standin/log-rate');
    // Uptimes move by the second for a program's first minute: at rest means older than that.
    await sleep(Math.max(3000, 62_000 - (performance.now() - bornAt)));
    const [quietMonitor, quietHtop] = await cpuOver(node, [pid, htopPid], window);
    await node.sh('echo 2 > /run/kubelet-standin/log-rate');
    await sleep(2000);
    const b0 = fs.statSync(typescript).size;
    const t0 = performance.now();
    const [monitor, htopCpu] = await cpuOver(node, [pid, htopPid], window);
    const bytesPerS = (fs.statSync(typescript).size - b0) / ((performance.now() - t0) / 1000);
    // Then, outside the CPU window (polling the screen every 5 ms costs tmux, not the monitor): each new line's
    // way from kubelet to the screen.
    const lineToScreen: number[] = [];
    const numbered = (screen: string) =>
      screen.split('\n').flatMap((line) => {
        const n = Number(/line=(\d+)/.exec(line)?.[1] ?? 0);
        const at = klogTime(line);
        return n > 0 && at !== null ? [{ n, at }] : [];
      });
    // The first look only says where we are: the lines already there were not just drawn.
    let seen = Math.max(0, ...numbered(tui.capture()).map((l) => l.n));
    const until = performance.now() + (QUICK ? 8000 : 20_000);
    while (performance.now() < until) {
      const lines = numbered(tui.capture());
      const now = Date.now();
      for (const { n, at } of lines) if (n > seen) lineToScreen.push(now - at);
      seen = Math.max(seen, ...lines.map((l) => l.n));
      await sleep(5);
    }
    return {
      quiet: { monitor: quietMonitor as number, htop: quietHtop as number },
      logging: { monitor: monitor as number, htop: htopCpu as number, bytesPerS },
      lineToScreen,
      htopRss: rssMb(node, htopPid),
    };
  } finally {
    htop.kill();
  }
}

export function atRestRows(r: AtRest, row: (what: string, value: string, target: string, ok: boolean | null) => void) {
  const pct = (x: number) => `${x.toFixed(2)} % of a core`;
  row('monitor at rest, kubelet quiet: CPU', pct(r.quiet.monitor), '< 1 %', r.quiet.monitor < 1);
  row('  htop beside it, same window (reference)', pct(r.quiet.htop), 'reference', null);
  row('monitor at rest, kubelet at 2 lines/s: CPU', pct(r.logging.monitor), '< 1 %', r.logging.monitor < 1);
  row('  htop beside it, same window (reference)', pct(r.logging.htop), 'reference', null);
  row('  ratio to htop', `${(r.logging.monitor / Math.max(r.logging.htop, 0.01)).toFixed(1)}x`, 'reference', null);
  row(
    'monitor at rest, kubelet at 2 lines/s: written to the terminal',
    `${(r.logging.bytesPerS / 1024).toFixed(1)} KB/s`,
    '<= 80 KB/s',
    r.logging.bytesPerS <= 80 * 1024,
  );
  const p95 = r.lineToScreen.length ? stats(r.lineToScreen).p95 : Number.NaN;
  row(
    'a new log line on screen after kubelet wrote it (2 lines/s)',
    r.lineToScreen.length ? `${fmt(r.lineToScreen, 'ms')}, p95 ${p95.toFixed(0)} ms` : 'none seen',
    'p95 <= 250 ms',
    p95 <= 250,
  );
  row('  htop resident memory (reference)', `${r.htopRss.toFixed(0)} MB`, 'reference', null);
}
