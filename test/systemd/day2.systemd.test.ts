// Day 2 on a migrated node, on a real systemd 252 with journald: kubelet.service stays as the face of the
// supervised kubelet, so what operators and package scripts type keeps its meaning.
import { describe, expect, it } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { withNode } from '../helpers/with-test-node.js';
import { type SystemdLayout, SystemdNode } from './systemd-node.js';

const CTL: Partial<Record<SystemdLayout, string>> = {
  'kubeadm-ubuntu': 'supervisorctl -c /etc/supervisor/supervisord.conf',
  'kubekey-centos7': 'supervisorctl -c /etc/supervisord.conf',
};
const healthy = 'curl -sf 127.0.0.1:10248/healthz';

describe.each(['kubeadm-ubuntu', 'kubekey-centos7'] as const)('day 2 on real systemd: %s', (layout) => {
  const ctl = CTL[layout] as string;
  const node = withNode(
    layout,
    () => SystemdNode.up(layout),
    (n) => n.waitFor(`${healthy} && ${ctl} status >/dev/null`, 30_000),
  );
  let before = '';

  /** The one kubelet: its pid, checked to be supervisord's child. */
  async function supervisedKubelet(): Promise<number> {
    const pids = (await node.sh('pgrep -x kubelet || true')).trim().split('\n').filter(Boolean);
    expect(pids, 'exactly one kubelet runs').toHaveLength(1);
    const ppid = (await node.sh(`ps -o ppid= -p ${pids[0]}`)).trim();
    expect(await node.sh(`tr '\\0' ' ' < /proc/${ppid}/cmdline`)).toMatch(/supervisord/);
    return Number(pids[0]);
  }

  /** Runs a command that must exit 0, then waits for one healthy supervised kubelet other than `old`. */
  async function restartedBy(command: string, old: number): Promise<number> {
    const r = await node.exec(['bash', '-c', command]);
    expect(r.exitCode, `${command}: ${r.stderr}`).toBe(0);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${old} ] && ${healthy}`, 60_000);
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'is-active', 'kubelet.service'])).stdout.trim()).toBe('active');
    return pid;
  }

  it('migrate: kubelet.service stays enabled and active, as the face of the supervised kubelet', async () => {
    before = await snapshot(node);
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'is-enabled', 'kubelet.service'])).stdout.trim()).toBe('enabled');
    await node.waitFor(`systemctl status --no-pager -n 20 kubelet.service | grep -q 'under supervisord (pid ${pid})'`);
    const status = await node.exec(['systemctl', 'status', '--no-pager', '-n', '20', 'kubelet.service']);
    expect(status.stdout).toMatch(/kubelet\.service - kubelet under supervisord/);
    expect(status.stdout).toMatch(/Active: active \(running\)/);
    expect(status.stdout).toContain(`kubelet runs under supervisord (pid ${pid})`);
  });

  it("journalctl -u kubelet has the supervised kubelet's own lines, with klog's severity as their priority", async () => {
    const pid = await supervisedKubelet();
    // The stand-in prints a W line every 50 and an E line every 97: 50 lines a second, then each of the three
    // severities reaches the journal as kubelet.service's.
    await node.sh('mkdir -p /run/kubelet-standin && echo 50 > /run/kubelet-standin/log-rate');
    for (const [letter, priority] of [
      ['I', 6],
      ['W', 4],
      ['E', 3],
    ] as const) {
      await node.waitFor(
        `journalctl -u kubelet.service -p ${priority}..${priority} -o cat --no-pager | grep -q '^${letter}[0-9]\\{4\\} .* ${pid} '`,
        30_000,
      );
    }
    await node.sh('echo 1 > /run/kubelet-standin/log-rate');
    // ...and under kubelet's name, as `journalctl -t kubelet` and log shippers look for it.
    expect(await node.sh('journalctl -u kubelet.service -o verbose -n 1 --no-pager')).toMatch(
      /SYSLOG_IDENTIFIER=kubelet/,
    );
  });

  it('systemctl daemon-reload && systemctl restart kubelet restarts the supervised kubelet, and exits 0', async () => {
    const pid = await supervisedKubelet();
    await restartedBy('systemctl daemon-reload && systemctl restart kubelet', pid);
  });

  it('try-restart and deb-systemd-invoke restart do the same; start leaves it alone', async () => {
    const first = await restartedBy('systemctl try-restart kubelet.service', await supervisedKubelet());
    const second = await restartedBy('deb-systemd-invoke restart kubelet.service', first);
    expect((await node.exec(['systemctl', 'start', 'kubelet.service'])).exitCode).toBe(0);
    expect(await supervisedKubelet()).toBe(second);
  });

  it('systemctl stop kubelet stops it in supervisord (which leaves it stopped); start brings it back', async () => {
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'stop', 'kubelet.service'])).exitCode).toBe(0);
    await node.waitFor(`! kill -0 ${pid} 2>/dev/null`, 30_000);
    // STOPPED is not restarted by supervisord (autorestart acts on exits it did not ask for).
    await node.waitFor(`${ctl} status kubelet | grep -q STOPPED && ! pgrep -x kubelet`, 10_000);
    expect((await node.exec(['systemctl', 'is-active', 'kubelet.service'])).stdout.trim()).not.toBe('active');
    await restartedBy('systemctl start kubelet.service', pid);
  });

  it('reboot: one supervised kubelet, and kubelet.service active again as its face', async () => {
    await node.reboot();
    await node.waitFor(`${healthy} && systemctl is-active -q kubelet.service`, 60_000);
    await supervisedKubelet();
  });

  it('rollback: every file and link as before, kubelet runs under systemd', async () => {
    const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await snapshot(node)).toBe(before);
    await node.waitFor(healthy, 30_000);
    const main = (await node.sh('systemctl show -p MainPID --value kubelet.service')).trim();
    expect((await node.sh('pgrep -x kubelet')).trim()).toBe(main);
  });
});
