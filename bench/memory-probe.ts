/**
 * A measuring aid, not part of `npm run bench`: where the monitor's resident memory is. The monitor beside a
 * kubelet at rest, then through a 2,000 and a 10,000 lines/s flood, then at 2 lines/s for `--secs=` (30); at each
 * step its resident memory by mapping (/proc/PID/smaps: the runtime's code, the malloc heap, anonymous maps such
 * as the JavaScript heap and Yoga's WebAssembly memory). `--standalone` runs the single file; `--snapshot` takes
 * a heap snapshot of the npm build at the end (copied to /tmp/kubesup-monitor-profile). `--exe=PATH` runs another
 * single file (a variant being tried). EXTRA_ENV passes variables to the monitor (e.g. BUN_OPTIONS=--smol),
 * NODE_FLAGS flags to node (e.g. --no-opt).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BIN, STANDALONE } from '../test/helpers/cli-in-node.js';
import { TmuxSession } from '../test/helpers/tmux.js';
import type { TestNode } from '../test/node/test-node.js';
import { procCpuTicks, rssMb } from './at-rest.js';
import { CLEAN_ENV, nodeReady, sleep } from './common.js';

const standalone = process.argv.includes('--standalone');
const snapshot = process.argv.includes('--snapshot');
/** `--exe=PATH`: another single file (a variant being tried), run in place of dist/standalone's. */
const exe = process.argv.find((a) => a.startsWith('--exe='))?.slice(6) ?? STANDALONE;
const secs = Number(process.argv.find((a) => a.startsWith('--secs='))?.slice(7) ?? 30);

/** Resident kB by mapping kind: the largest ones, and the totals of anonymous and file-backed memory. */
function smapsSummary(node: TestNode, pid: number): string {
  const text = fs.readFileSync(node.hostPath(`/proc/${pid}/smaps`), 'utf8');
  const by = new Map<string, number>();
  let name = '';
  let size = 0;
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      name = head[2] ? `${path.basename(head[2])} ${head[1]}` : '[anon]';
      continue;
    }
    const m = /^(Size|Rss):\s+(\d+) kB/.exec(line);
    if (m?.[1] === 'Size') size = Number(m[2]);
    if (m?.[1] === 'Rss') {
      const key = name === '[anon]' ? `[anon ${size >= 4096 ? `${Math.round(size / 1024)} MB map` : 'small'}]` : name;
      by.set(key, (by.get(key) ?? 0) + Number(m[2]));
    }
  }
  const rows = [...by].sort((a, b) => b[1] - a[1]).filter(([, kb]) => kb >= 512);
  return rows.map(([k, kb]) => `    ${(kb / 1024).toFixed(1).padStart(6)} MB  ${k}`).join('\n');
}

const node = await nodeReady();
let tui: TmuxSession | null = null;
try {
  const m = await node.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
  if (m.exitCode !== 0) throw new Error(m.stdout + m.stderr);
  await node.sh('mkdir -p /run/kubelet-standin /tmp/prof; echo 0 > /run/kubelet-standin/log-rate');
  const snapshotFlags = snapshot ? '--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp/prof' : '';
  const nodeFlags = `${snapshotFlags} ${process.env.NODE_FLAGS ?? ''}`;
  const cmd = standalone ? exe : `node ${nodeFlags} ${BIN}`;
  const extra = process.env.EXTRA_ENV ? process.env.EXTRA_ENV.split(' ') : [];
  tui = new TmuxSession(
    node.enterArgv([
      'env',
      '-i',
      ...CLEAN_ENV.split(' '),
      'TERM=xterm-256color',
      ...extra,
      'sh',
      '-c',
      `${cmd} monitor`,
    ]),
    { columns: 120, rows: 40 },
  );
  await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x), 'the monitor');
  const pgrep = standalone ? `${path.basename(exe)} monito[r]` : 'kubesup-tui.js monito[r]';
  const pid = Number((await node.sh(`pgrep -f -n '${pgrep}'`)).trim());
  const report = (what: string, detail = false) =>
    process.stderr.write(
      `${what}: rss ${rssMb(node, pid).toFixed(1)} MB${detail ? `\n${smapsSummary(node, pid)}` : ''}\n`,
    );
  await sleep(5000);
  report('quiet', true);
  for (const rate of [2000, 10000]) {
    await node.sh(`echo ${rate} > /run/kubelet-standin/log-rate`);
    const rss: number[] = [];
    for (let s = 0; s < 8; s++) {
      await sleep(1000);
      rss.push(rssMb(node, pid));
    }
    process.stderr.write(`${rate} lines/s: rss ${rss.map((x) => x.toFixed(0)).join(' ')} MB\n`);
  }
  await node.sh('echo 0 > /run/kubelet-standin/log-rate');
  await sleep(3000);
  report('after the floods', true);
  await node.sh('echo 2 > /run/kubelet-standin/log-rate');
  await sleep(2000);
  const c0 = procCpuTicks(node, pid);
  const t0 = performance.now();
  await sleep(secs * 1000);
  const cpu = (procCpuTicks(node, pid) - c0) / ((performance.now() - t0) / 1000);
  process.stderr.write(`2 lines/s: cpu ${cpu.toFixed(2)} %\n`);
  report('after the run', true);
  const keeperLog = node.hostPath('/tmp/prof/memory-log');
  if (fs.existsSync(keeperLog)) process.stderr.write(`collections:\n${fs.readFileSync(keeperLog, 'utf8')}`);
  if (snapshot && !standalone) {
    await node.sh(`kill -USR2 ${pid}`);
    await sleep(8000);
    const out = '/tmp/kubesup-monitor-profile';
    fs.mkdirSync(out, { recursive: true });
    for (const f of fs.readdirSync(node.hostPath('/tmp/prof')))
      fs.copyFileSync(node.hostPath(path.join('/tmp/prof', f)), path.join(out, f));
    process.stderr.write(`heap snapshot copied to ${out}\n`);
  }
  tui.send('q');
  await sleep(1000);
} finally {
  tui?.kill();
  await node.down();
}
