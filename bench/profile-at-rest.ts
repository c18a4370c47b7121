/**
 * A profiling aid, not part of `npm run bench`: the monitor beside a kubelet writing `--rate=` lines a second
 * (2), its CPU over `--secs=` (30) after `--settle=` seconds (5; 60 puts the uptimes past their first minute, as
 * at rest), split by thread (the main thread's JavaScript; V8's collectors and compilers and libuv's pool, which
 * Linux names as the process) and its resident memory. `--prof` runs the npm build under `node --cpu-prof`
 * (PROF_INTERVAL µs, 200), NODE_FLAGS adds Node.js flags, `--standalone` runs the single file. Frames a second,
 * their cost and the collections (KUBESUP_RENDER_STATS) and the profile are copied to `--out=`
 * (/tmp/kubesup-monitor-profile). Best read on an unminified build (KUBESUP_UNMINIFIED=1 npm run build).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BIN, STANDALONE } from '../test/helpers/cli-in-node.js';
import { TmuxSession } from '../test/helpers/tmux.js';
import { procCpuTicks, rssMb } from './at-rest.js';
import { CLEAN_ENV, nodeReady, sleep } from './common.js';

const standalone = process.argv.includes('--standalone');
const prof = process.argv.includes('--prof');
const secs = Number(process.argv.find((a) => a.startsWith('--secs='))?.slice(7) ?? 30);
const rate = Number(process.argv.find((a) => a.startsWith('--rate='))?.slice(7) ?? 2);
const out = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? '/tmp/kubesup-monitor-profile';
const settle = Number(process.argv.find((a) => a.startsWith('--settle='))?.slice(9) ?? 5);
/** System time alone (stime), in ticks: what the process's system calls cost. */
const kernelTicks = (n: typeof node, pid: number) => {
  const stat = fs.readFileSync(n.hostPath(`/proc/${pid}/stat`), 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]);
};
/** Each thread's name and CPU ticks: the main thread's JavaScript, V8's compilers and collectors, libuv's pool. */
const threadTicks = (n: typeof node, pid: number) => {
  const threads = new Map<string, { name: string; ticks: number }>();
  for (const tid of fs.readdirSync(n.hostPath(`/proc/${pid}/task`))) {
    const stat = fs.readFileSync(n.hostPath(`/proc/${pid}/task/${tid}/stat`), 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '#');
    threads.set(tid, { name: tid === String(pid) ? 'main' : name, ticks: Number(f[11]) + Number(f[12]) });
  }
  return threads;
};
const node = await nodeReady();
let tui: TmuxSession | null = null;
try {
  const m = await node.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
  if (m.exitCode !== 0) throw new Error(m.stdout + m.stderr);
  await node.sh('rm -rf /tmp/prof; mkdir -p /run/kubelet-standin /tmp/prof; echo 0 > /run/kubelet-standin/log-rate');
  const profiler = `--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval=${process.env.PROF_INTERVAL ?? 200}`;
  const cmd = standalone ? STANDALONE : `node ${process.env.NODE_FLAGS ?? ''} ${prof ? profiler : ''} ${BIN}`;
  tui = new TmuxSession(
    node.enterArgv([
      'env',
      '-i',
      ...CLEAN_ENV.split(' '),
      'TERM=xterm-256color',
      'KUBESUP_RENDER_STATS=/tmp/prof/stats',
      ...(process.env.EXTRA_ENV ? process.env.EXTRA_ENV.split(' ') : []),
      'sh',
      '-c',
      `${cmd} monitor`,
    ]),
    { columns: 120, rows: 40 },
  );
  await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x), 'the monitor');
  const pid = Number(
    (
      await node.sh(`pgrep -f -n '${standalone ? 'kubesup-tui-linux-x64 monito[r]' : 'kubesup-tui.js monito[r]'}'`)
    ).trim(),
  );
  await sleep(settle * 1000);
  const q0 = procCpuTicks(node, pid);
  await sleep(10_000);
  process.stderr.write(`quiet: ${(procCpuTicks(node, pid) - q0) / 10} %\n`);
  await node.sh(`echo ${rate} > /run/kubelet-standin/log-rate`);
  await sleep(2000);
  const c0 = procCpuTicks(node, pid);
  const k0 = kernelTicks(node, pid);
  const th0 = threadTicks(node, pid);
  const t0 = performance.now();
  await sleep(secs * 1000);
  const s = (performance.now() - t0) / 1000;
  const kernel = ((kernelTicks(node, pid) - k0) / s).toFixed(2);
  process.stderr.write(
    `${rate} lines/s: ${((procCpuTicks(node, pid) - c0) / s).toFixed(2)} % (of which in the kernel ${kernel} %) ` +
      `rss ${rssMb(node, pid).toFixed(0)} MB\n`,
  );
  const th1 = threadTicks(node, pid);
  const byName = new Map<string, number>();
  for (const [tid, { name, ticks }] of th1)
    byName.set(name, (byName.get(name) ?? 0) + ticks - (th0.get(tid)?.ticks ?? 0));
  process.stderr.write(`threads: ${[...byName].map(([n, t]) => `${n} ${(t / s).toFixed(2)} %`).join(', ')}\n`);
  process.stderr.write(`${tui.capture().split('\n').slice(0, 40).join('\n')}\n`);
  tui.send('q');
  await sleep(3000);
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(node.hostPath('/tmp/prof')))
    fs.copyFileSync(node.hostPath(path.join('/tmp/prof', f)), path.join(out, f));
  process.stderr.write(`copied to ${out}\n`);
} finally {
  tui?.kill();
  await node.down();
}
