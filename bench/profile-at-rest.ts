/**
 * A profiling aid, not part of `npm run bench`: the monitor beside a kubelet writing `--rate=` lines a second
 * (2), its CPU over `--secs=` (30) and its resident memory; `--prof` runs the npm build under `node --cpu-prof`,
 * `--standalone` the single file. Frames per second and their cost (KUBESUP_RENDER_STATS) and the profile are
 * copied to /tmp/kubesup-monitor-profile. Best read on an unminified build.
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
const node = await nodeReady();
let tui: TmuxSession | null = null;
try {
  const m = await node.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
  if (m.exitCode !== 0) throw new Error(m.stdout + m.stderr);
  await node.sh('mkdir -p /run/kubelet-standin /tmp/prof; echo 0 > /run/kubelet-standin/log-rate');
  const cmd = standalone
    ? STANDALONE
    : `node ${prof ? '--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval=200' : ''} ${BIN}`;
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
  await sleep(5000);
  const q0 = procCpuTicks(node, pid);
  await sleep(10_000);
  process.stderr.write(`quiet: ${(procCpuTicks(node, pid) - q0) / 10} %\n`);
  await node.sh(`echo ${rate} > /run/kubelet-standin/log-rate`);
  await sleep(2000);
  const c0 = procCpuTicks(node, pid);
  const t0 = performance.now();
  await sleep(secs * 1000);
  const s = (performance.now() - t0) / 1000;
  process.stderr.write(
    `${rate} lines/s: ${((procCpuTicks(node, pid) - c0) / s).toFixed(2)} % rss ${rssMb(node, pid).toFixed(0)} MB\n`,
  );
  process.stderr.write(`${tui.capture().split('\n').slice(0, 40).join('\n')}\n`);
  tui.send('q');
  await sleep(3000);
  const out = '/tmp/kubesup-monitor-profile';
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(node.hostPath('/tmp/prof')))
    fs.copyFileSync(node.hostPath(path.join('/tmp/prof', f)), path.join(out, f));
  process.stderr.write(`copied to ${out}\n`);
} finally {
  tui?.kill();
  await node.down();
}
