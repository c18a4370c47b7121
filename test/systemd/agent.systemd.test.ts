// The resident agent on a real systemd 252 booted as PID 1: a 1.35 kubelet's watchdog restart under supervisord,
// the agent and the watchdog back after a reboot, and a rollback that leaves exactly what was there before.
import { describe, expect, it } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import { MIGRATION_ROOTS, snapshot } from '../helpers/node-snapshot.js';
import { skipSystemdNode, withNode } from '../helpers/with-test-node.js';
import { SystemdNode } from './systemd-node.js';

const healthy = 'curl -sf 127.0.0.1:10248/healthz';
const STATE = '/var/lib/kubesup-tui/agent-state.json';
/** What a migration may touch, and the agent's folder and settings besides. */
const ROOTS = [...MIGRATION_ROOTS, '/usr/lib/kubesup-tui'];
const listener = 'supervisorctl status kubesup-agent | grep -q RUNNING';

const kubeletPid = async (node: SystemdNode) => Number((await node.sh('pgrep -x kubelet')).trim());

describe('the resident agent on real systemd: kubeadm-ubuntu, kubelet 1.35', () => {
  const node = withNode(
    'kubeadm-ubuntu',
    () => SystemdNode.up('kubeadm-ubuntu'),
    async (n) => {
      await n.waitFor(`${healthy} && supervisorctl status >/dev/null`, 30_000);
      await n.sh('echo v1.35.0 > /etc/kubelet-standin/version');
    },
    skipSystemdNode,
  );
  let before = '';

  it('migrate --watchdog-sec 3: the agent runs, kubelet has its watchdog', async () => {
    before = await snapshot(node, ROOTS);
    const r = await kubesup(node, ['migrate', '--yes', '--watchdog-sec', '3'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    await node.waitFor(listener);
    expect(await node.sh(`tr '\\0' '\\n' < /proc/${await kubeletPid(node)}/environ`)).toContain(
      'WATCHDOG_USEC=3000000',
    );
  });

  it('a hung kubelet is restarted by its watchdog within the timeout and the kill grace: hung_watchdog', async () => {
    const pid = await kubeletPid(node);
    await node.sh(`kill -USR2 ${pid}`);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ]`, 13_000);
    await node.waitFor(
      `python3 -c 'import json,sys; sys.exit(json.load(open("${STATE}"))["restarts"]["kubelet"]` +
        `.get("hung_watchdog") != 1)'`,
    );
    await node.waitFor(healthy, 30_000);
  });

  it('reboot: the agent and the watchdog come back with supervisord', async () => {
    await node.reboot();
    await node.waitFor(`${healthy} && ${listener}`, 60_000);
    expect(await node.sh(`tr '\\0' '\\n' < /proc/${await kubeletPid(node)}/environ`)).toContain(
      'NOTIFY_SOCKET=/run/kubesup-tui/notify/kubelet',
    );
  }, 240_000);

  it('rollback: exactly what was there before, no listener, no agent file', async () => {
    const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 180_000 });
    expect(r.exitCode).toBe(0);
    expect((await node.exec(['bash', '-c', 'supervisorctl status kubesup-agent'])).stdout).toMatch(/no such process/);
    expect(await snapshot(node, ROOTS)).toBe(before);
    await node.waitFor(healthy, 30_000);
  }, 240_000);
});
