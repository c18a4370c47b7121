// The single-file build on a node that has no Node.js at all (real systemd, KubeKey's CentOS 7 layout):
// detect, migrate, status, the monitor through a terminal, and rollback, as with the npm package.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../helpers/node-snapshot.js';
import { TmuxSession } from '../helpers/tmux.js';
import { cannotRun, skipSystemdNode, skipWithout, withNode } from '../helpers/with-test-node.js';
import { REPO_ROOT } from '../node/test-node.js';
import { SystemdNode } from './systemd-node.js';

const STANDALONE = path.join(REPO_ROOT, 'dist/standalone/kubesup-tui-linux-x64');
const healthy = 'curl -sf 127.0.0.1:10248/healthz';

describe.skipIf(cannotRun('the single-file build', skipWithout({ objdump: 'binutils' })))(
  'the single-file build',
  () => {
    it('needs glibc 2.17 at most (CentOS 7), whatever this machine has', () => {
      const symbols = execFileSync('objdump', ['-T', STANDALONE], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const versions = [...symbols.matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
      expect(versions.length).toBeGreaterThan(0);
      const highest = versions.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a));
      expect(highest[0] * 1000 + highest[1]).toBeLessThanOrEqual(2017);
    });
  },
);

describe('the single-file build on a node without Node.js (real systemd, kubekey-centos7)', () => {
  const node = withNode(
    'kubekey-centos7 without Node.js',
    () => SystemdNode.up('kubekey-centos7', { withNode: false }),
    (n) => n.waitFor(`${healthy} && supervisorctl -c /etc/supervisord.conf status >/dev/null`, 30_000),
    skipSystemdNode,
  );
  const run = (...args: string[]) => node.exec([STANDALONE, ...args], { timeoutMs: 120_000 });
  let before = '';

  it('there is no node here to fall back on', async () => {
    expect((await node.exec(['bash', '-c', 'command -v node nodejs || echo none'])).stdout.trim()).toBe('none');
  });

  it('detect finds the running kubelet; migrate --yes puts it under supervisord; status reads it', async () => {
    before = await snapshot(node);
    const detect = await run('detect', '--json');
    expect(detect.exitCode).toBe(0);
    const argv = JSON.parse(detect.stdout).argv as string[];
    const pid = (await node.sh('pgrep -x kubelet')).trim();
    expect(argv).toEqual((await node.sh(`tr '\\0' '\\n' < /proc/${pid}/cmdline`)).split('\n').slice(0, -1));
    const migrate = await run('migrate', '--yes');
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/^migrated: kubelet runs under supervisord as \[program:kubelet\]/m);
    const status = await run('status', '--json');
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout).programs.find((p: { name: string }) => p.name === 'kubelet')?.state).toBe(
      'RUNNING',
    );
  });

  it("kubelet's wrapper runs the single file's copy: with the original gone, an upgrade's flags arrive", async () => {
    expect(node.readFile('/etc/kubernetes/kubelet.sh')).toContain('/usr/lib/kubesup-tui/tool/kubesup-tui start-line');
    const old = (await node.sh('pgrep -x kubelet')).trim();
    await node.sh(`sed -i '/^KUBELET_KUBEADM_ARGS=/ s/"$/ --v=3"/' /var/lib/kubelet/kubeadm-flags.env`);
    await node.sh(`mount -t tmpfs -o size=1m gone ${path.dirname(STANDALONE)}`);
    try {
      expect((await node.exec(['systemctl', 'restart', 'kubelet'])).exitCode).toBe(0);
      await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${old} ] && ${healthy}`, 60_000);
      const pid = (await node.sh('pgrep -x kubelet')).trim();
      expect(await node.sh(`tr '\\0' '\\n' < /proc/${pid}/cmdline`)).toMatch(/^--v=3$/m);
    } finally {
      await node.sh(`umount ${path.dirname(STANDALONE)}`);
      // The flags as they were: the rollback below is checked against the files before the migration.
      await node.sh(`sed -i 's/ --v=3"$/"/' /var/lib/kubelet/kubeadm-flags.env`);
    }
  });

  it('the monitor draws, shows a crash, and quits', async () => {
    const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', STANDALONE, 'monitor']), {
      columns: 100,
      rows: 30,
    });
    try {
      const s = await tui.waitFor((x) => /kubelet\s+RUNNING\s+\d+/.test(x), 'kubelet RUNNING', 20_000);
      const pid = Number(/kubelet\s+RUNNING\s+(\d+)/.exec(s)?.[1]);
      await node.sh(`kill -9 ${pid}`);
      await tui.waitFor(
        (x) => /kubelet\s+\S+\s+\S+\s+\S+\s+1\s+\d\d:\d\d:\d\d (SIGKILL|crashed \(SIGKILL\))/.test(x),
        'the crash counted',
        15_000,
      );
      tui.send('q');
      await tui.waitFor((x) => x.includes('[exit 0]'), 'the monitor quitting');
    } finally {
      tui.kill();
    }
  });

  it('rollback --yes restores every file and link', async () => {
    await node.waitFor(healthy, 30_000);
    const r = await run('rollback', '--yes');
    expect(r.exitCode).toBe(0);
    expect(await snapshot(node)).toBe(before);
  });
});
