/**
 * Respawn through the migration, on stand-in nodes of both supervisord lines (kubeadm-ubuntu: Debian's 4.2.5 on
 * Python 3; kubekey-centos7: EPEL's 3.4.0 on Python 2.7), migrated by `migrate --yes` as an operator would (its
 * wrapper, its start line, kubesup-agent and its alive FIFO). Measured inside the node: a probe there sends kill -9
 * to the RUNNING kubelet and polls /proc every millisecond for the next process named kubelet (its comm changes
 * at the wrapper's exec): death to the next kubelet's exec.
 * `npx tsx bench/resident-node.ts [--quick]` prints the figures; benchResident() adds them to the table.
 */
import { pathToFileURL } from 'node:url';
import { QUICK_EXIT_S } from '../src/core/migration/plan/render-files.js';
import { kubesup } from '../test/helpers/cli-in-node.js';
import { skipTestNode } from '../test/helpers/skips.js';
import { type LayoutName, TestNode } from '../test/node/test-node.js';
import { fmt, RUNS, row, stats } from './common.js';

const LAYOUTS: readonly { layout: LayoutName; release: '3.4.0' | 'debian'; ctl: string; socket: string }[] = [
  {
    layout: 'kubeadm-ubuntu',
    release: 'debian',
    ctl: 'supervisorctl -c /etc/supervisor/supervisord.conf',
    socket: '/var/run/supervisor.sock',
  },
  {
    layout: 'kubekey-centos7',
    release: '3.4.0',
    ctl: 'supervisorctl -c /etc/supervisord.conf',
    socket: '/var/run/supervisor/supervisor.sock',
  },
];

// Inside the node: kill -9 the kubelet whose pid is argv[1], then poll for another process named kubelet; prints
// the milliseconds between the two (or fails after 10 s).
const PROBE = `
import os, sys, time
old = int(sys.argv[1])
def kubelets():
    found = []
    for p in os.listdir('/proc'):
        if p.isdigit() and int(p) != old:
            try:
                if open('/proc/%s/comm' % p).read().strip() == 'kubelet':
                    found.append(p)
            except IOError:
                pass
    return found
t0 = time.time()
os.kill(old, 9)
while not kubelets():
    if time.time() - t0 > 10:
        sys.exit('no new kubelet within 10 s')
    time.sleep(0.001)
print('%.1f' % ((time.time() - t0) * 1000))
`;

async function respawnThroughMigration(layout: (typeof LAYOUTS)[number]): Promise<void> {
  const node = await TestNode.up(layout.layout);
  try {
    await node.waitFor(`test -S ${layout.socket} && curl -sf 127.0.0.1:10248/healthz`, 60_000);
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 180_000 });
    if (r.exitCode !== 0) throw new Error(`migrate on ${layout.layout}: ${r.stderr}`);
    await node.waitFor(`${layout.ctl} status kubesup-agent | grep -q RUNNING`, 60_000);
    const version = (await node.sh('supervisord --version')).trim();
    const ms: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      // RUNNING for longer than the wrapper's quick-exit window: its death is restarted at once, not paced as a
      // start failure (1, 2, 4, 8 s) would be.
      await node.waitFor(`${layout.ctl} status kubelet | grep -q RUNNING`, 60_000);
      const pid = (await node.sh('pgrep -x kubelet')).trim();
      await node.waitFor(`[ "$(ps -o etimes= -p ${pid})" -gt ${QUICK_EXIT_S} ]`, 60_000);
      const took = Number((await node.exec(['python3', '-c', PROBE, pid])).stdout.trim());
      if (!Number.isFinite(took)) throw new Error(`no respawn measured on ${layout.layout}`);
      if (i > 0) ms.push(took); // the first round warms up
    }
    const what = `respawn after kill -9 through the migration, stand-in node ${layout.layout} (supervisord ${version})`;
    row(`${what}, measured inside the node`, fmt(ms, 'ms'), '<= 100 ms median', stats(ms).median <= 100);
  } finally {
    await node.down();
  }
}

export async function benchNodeRespawn(): Promise<void> {
  for (const layout of LAYOUTS) {
    const missing = skipTestNode(layout.release);
    if (missing) process.stderr.write(`  ${layout.layout} skipped: ${missing}\n`);
    else await respawnThroughMigration(layout);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  benchNodeRespawn().catch((error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
