// The real containerd, with a live container (its real shim and runc), moved under supervisord and back on a
// stand-in node with Debian's supervisor: the container's pid and shim the same after every step, its READY=1
// heard by kubesup-agent (NOTIFY_SOCKET inherited by the shims, as under systemd). The real etcd
// (TLS with client certificates, data) moves beside kubelet in other-units.test.ts.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import {
  containerdAnswers,
  containerTask,
  downRemovingContainer,
  layOutContainerd,
  missingRealContainerd,
  shimOf,
  startContainer,
  stopContainer,
  type Task,
  testCgroupParent,
} from '../helpers/real-containerd.js';
import { requirePackage, skipTestNode, withNode } from '../helpers/with-test-node.js';
import { TestNode } from './test-node.js';

const active = async (node: TestNode, unit: string) =>
  (await node.exec(['systemctl', 'is-active', unit])).stdout.trim();

/** kubesup-agent recorded the READY=1 of the containerd running now (Type=notify), and `status --json` says so. */
async function saidReady(node: TestNode): Promise<void> {
  const pid = (await node.sh('pgrep -x containerd')).trim();
  await node.waitFor(`grep -q '^{"pid":${pid},"time":' /run/kubesup-tui/ready/containerd`, 30_000);
  const programs = (await kubesupJson(node, ['status'])).json.programs as { name: string; ready: boolean }[];
  expect(programs.find((p) => p.name === 'containerd')).toMatchObject({ ready: true });
}

describe('the real containerd with a running container (kubeadm-ubuntu)', () => {
  const cgroupParent = testCgroupParent();
  let container: Task = { pid: 0, status: '' };
  let shim = 0;
  const node = withNode(
    'kubeadm-ubuntu',
    async () => downRemovingContainer(await TestNode.up('kubeadm-ubuntu', { unitCgroups: true }), cgroupParent),
    async (n) => {
      container = await layOutContainerd(n, '/usr/local/lib/systemd/system', cgroupParent);
      shim = await shimOf(n, container.pid);
    },
    () => skipTestNode('debian') ?? requirePackage(missingRealContainerd()),
  );
  /** The same container, still running, listed by containerd; its shim the same process. */
  const containerLivesOn = async () => {
    expect(await containerTask(node)).toEqual({ pid: container.pid, status: 'RUNNING' });
    expect(await shimOf(node, container.pid)).toBe(shim);
  };
  let before = '';

  it('migrate --unit containerd --yes: supervised, and ctr task ls lists the same container running', async () => {
    expect(shim).toBeGreaterThan(0);
    before = await snapshot(node);
    const underSystemd = Number((await node.sh('systemctl show -p MainPID --value containerd')).trim());
    const r = await kubesup(node, ['migrate', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verify: containerd RUNNING.*: ok/);
    expect(await node.sh('supervisorctl status containerd')).toMatch(/RUNNING/);
    // containerd.service stays as the face of the supervised containerd.
    expect(await active(node, 'containerd')).toBe('active');
    const pid = Number((await node.sh('pgrep -x containerd')).trim());
    expect(pid).not.toBe(underSystemd);
    expect(await node.sh(`ps -o comm= -p $(ps -o ppid= -p ${pid})`)).toMatch(/supervisord/);
    expect(r.stdout).toMatch(/: ok \(containerd RUNNING as pid \d+, READY=1 said, /);
    await saidReady(node);
    await containerLivesOn();
  });

  it(`systemctl restart containerd (its face, KillMode=process): one supervised containerd, a new one; \
the container and its shim, in containerd.service's cgroup, live on`, async () => {
    expect(await node.sh(`grep name=systemd /proc/${shim}/cgroup`)).toMatch(/\/system.slice\/containerd.service$/m);
    const first = Number((await node.sh('pgrep -x containerd')).trim());
    const r = await node.exec(['systemctl', 'restart', 'containerd']);
    expect(r.exitCode, r.stderr).toBe(0);
    await containerdAnswers(node);
    const now = (await node.sh('pgrep -x containerd')).trim().split('\n');
    expect(now).toHaveLength(1);
    expect(Number(now[0])).not.toBe(first);
    expect(await node.sh('supervisorctl pid containerd')).toBe(`${now[0]}\n`);
    expect(await active(node, 'containerd')).toBe('active');
    await containerLivesOn();
  });

  it('supervisorctl restart containerd, a restart of supervisord: the container and its shim live on', async () => {
    const first = Number((await node.sh('pgrep -x containerd')).trim());
    await node.sh('supervisorctl restart containerd');
    await containerdAnswers(node);
    expect(Number((await node.sh('pgrep -x containerd')).trim())).not.toBe(first);
    await saidReady(node);
    await containerLivesOn();
    await node.sh('systemctl restart supervisor');
    await node.waitFor('supervisorctl status containerd | grep -q RUNNING', 30_000);
    await containerdAnswers(node);
    await containerLivesOn();
    const status = await kubesupJson(node, ['status']);
    expect(status.json.services).toEqual([
      expect.objectContaining({ unit: 'containerd.service', program: 'containerd', health: 'ok' }),
    ]);
  });

  it("the container started again: its new shim is the supervised containerd's, in supervisor.service", async () => {
    await stopContainer(node);
    container = await startContainer(node);
    shim = await shimOf(node, container.pid);
    expect(shim).toBeGreaterThan(0);
    expect(await node.sh(`grep name=systemd /proc/${shim}/cgroup`)).toMatch(/\/system.slice\/supervisor.service$/m);
    // The shim inherits containerd's NOTIFY_SOCKET, as under systemd; runc is run without it (go-runc filters it),
    // so the container has none. The agent took containerd's own READY=1 and nothing since.
    const notifySocket = (pid: number) =>
      node.sh(`tr '\\0' '\\n' < /proc/${pid}/environ | grep ^NOTIFY_SOCKET= || true`);
    expect(await notifySocket(shim)).toBe('NOTIFY_SOCKET=/run/kubesup-tui/notify/containerd\n');
    expect(await notifySocket(container.pid)).toBe('');
    await saidReady(node);
  });

  it('rollback --unit containerd --yes: every file back, under systemd, the same container running', async () => {
    const r = await kubesup(node, ['rollback', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('rolled back: containerd runs under systemd again, every file restored');
    expect(await active(node, 'containerd')).toBe('active');
    expect(await snapshot(node)).toBe(before);
    await containerdAnswers(node);
    await containerLivesOn();
    // Its shim moved into containerd.service's cgroup, before supervisord's KillMode=process drop-in went.
    expect(r.stdout).toContain(
      `rollback: containerd-shim ${shim} moved from supervisor.service's cgroup into containerd.service's (`,
    );
    expect(r.stdout.indexOf('containerd-shim')).toBeLessThan(r.stdout.indexOf('51-kubesup-tui-containerd.conf'));
    expect(await node.sh(`grep name=systemd /proc/${shim}/cgroup`)).toMatch(/\/system.slice\/containerd.service$/m);
  });

  it('then an EL-style supervisord (KillMode=control-group) is restarted: the container lives on', async () => {
    // EPEL's unit kills its whole cgroup at a stop: a shim left there would be killed, its container orphaned.
    await node.sh(`mkdir -p /etc/systemd/system/supervisor.service.d
      printf '[Service]\\nKillMode=control-group\\n' > /etc/systemd/system/supervisor.service.d/00-el-style.conf`);
    const supervisord = Number((await node.sh('pgrep -x supervisord')).trim());
    await node.sh('systemctl restart supervisor');
    await node.waitFor(`pgrep -x supervisord | grep -vqx ${supervisord} && supervisorctl status >/dev/null`, 30_000);
    await containerdAnswers(node);
    await containerLivesOn();
    await node.sh('rm -r /etc/systemd/system/supervisor.service.d');
  });
});
