// The real containerd (with a live container, its real shim and runc) and the real etcd (TLS with client
// certificates, and data) moved under supervisord and back, on stand-in nodes: what no stand-in can prove.
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
  type Task,
  testCgroupParent,
} from '../helpers/real-containerd.js';
import { requirePackage } from '../helpers/real-daemons.js';
import { etcdctl, etcdHealthy, layOutEtcd, missingRealEtcd } from '../helpers/real-etcd.js';
import { skipTestNode, withNode } from '../helpers/with-test-node.js';
import { TestNode } from './test-node.js';

const active = async (node: TestNode, unit: string) =>
  (await node.exec(['systemctl', 'is-active', unit])).stdout.trim();

describe('the real containerd with a running container (kubeadm-ubuntu)', () => {
  const cgroupParent = testCgroupParent();
  let container: Task = { pid: 0, status: '' };
  let shim = 0;
  const node = withNode(
    'kubeadm-ubuntu',
    async () => downRemovingContainer(await TestNode.up('kubeadm-ubuntu'), cgroupParent),
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
    expect(await active(node, 'containerd')).not.toBe('active');
    const pid = Number((await node.sh('pgrep -x containerd')).trim());
    expect(pid).not.toBe(underSystemd);
    expect(await node.sh(`ps -o comm= -p $(ps -o ppid= -p ${pid})`)).toMatch(/supervisord/);
    await containerLivesOn();
  });

  it('supervisorctl restart containerd, then a restart of supervisord: the container and its shim live on', async () => {
    const first = Number((await node.sh('pgrep -x containerd')).trim());
    await node.sh('supervisorctl restart containerd');
    await containerdAnswers(node);
    expect(Number((await node.sh('pgrep -x containerd')).trim())).not.toBe(first);
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

  it('rollback --unit containerd --yes: every file back, containerd under systemd, the same container running', async () => {
    const r = await kubesup(node, ['rollback', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('rolled back: containerd runs under systemd again, every file restored');
    expect(await active(node, 'containerd')).toBe('active');
    expect(await snapshot(node)).toBe(before);
    await containerdAnswers(node);
    await containerLivesOn();
  });
});

describe('the real etcd with TLS client certificates and data (kubekey-centos7)', () => {
  const NAME = 'node4';
  const node = withNode(
    'kubekey-centos7',
    () => TestNode.up('kubekey-centos7'),
    async (n) => {
      await layOutEtcd(n, NAME, '/etc/systemd/system');
      await n.waitFor('test -S /var/run/supervisor/supervisor.sock');
    },
    () => skipTestNode('3.4.0') ?? requirePackage(missingRealEtcd()),
  );
  const processRun = async () => {
    const pid = (await node.sh('pgrep -x etcd')).trim();
    const run = await node.sh(`cat /proc/${pid}/limits /proc/${pid}/oom_score_adj`);
    const environ = await node.sh(`tr '\\0' '\\n' < /proc/${pid}/environ | grep ^ETCD_ | sort`);
    return { run, environ };
  };
  const keyReads = async (value: string) =>
    expect((await etcdctl(node, NAME, 'get /kubesup/written-before --print-value-only')).stdout).toBe(`${value}\n`);
  let before = '';

  it('migrate --unit etcd --yes: the environment and limits carried, the key written before read after', async () => {
    expect((await etcdctl(node, NAME, 'put /kubesup/written-before under-systemd')).stdout).toBe('OK\n');
    before = await snapshot(node);
    const underSystemd = await processRun();
    const r = await kubesup(node, ['migrate', '--unit', 'etcd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verify: etcd RUNNING, healthy \(https:\/\/127.0.0.1:2379\/health\).*: ok/);
    expect(await active(node, 'etcd')).not.toBe('active');
    expect(await node.sh('supervisorctl -c /etc/supervisord.conf status etcd')).toMatch(/RUNNING/);
    const supervised = await processRun();
    expect(supervised.environ).toContain('ETCD_CLIENT_CERT_AUTH=true\n');
    expect(supervised).toEqual(underSystemd);
    await keyReads('under-systemd');
  });

  it("etcdctl endpoint health with the client certificate agrees with the tool's status, healthy and not", async () => {
    const health = await etcdctl(node, NAME, 'endpoint health');
    expect(health.exitCode, health.stderr).toBe(0);
    expect(health.stdout + health.stderr).toContain('https://127.0.0.1:2379 is healthy');
    const status = await kubesupJson(node, ['status']);
    expect(status.json.services).toEqual([
      {
        unit: 'etcd.service',
        program: 'etcd',
        check: 'GET https://127.0.0.1:2379/health answers ok (client certificate /etc/ssl/etcd/ssl/member-node4.pem)',
        health: 'ok',
        detail: 'ok',
      },
    ]);
    // Without a client certificate the member refuses: the tool's check passes because it presents one.
    const anonymous = await node.exec([
      'curl',
      '-sS',
      '--cacert',
      '/etc/ssl/etcd/ssl/ca.pem',
      'https://127.0.0.1:2379/health',
    ]);
    expect(anonymous.stdout).not.toContain('"health":"true"');
    await node.sh('supervisorctl -c /etc/supervisord.conf stop etcd');
    expect((await etcdctl(node, NAME, 'endpoint health --command-timeout=2s')).exitCode).not.toBe(0);
    expect((await kubesup(node, ['status'])).stdout).toMatch(/^etcd health failing: .*\(connection refused\)$/m);
    await node.sh('supervisorctl -c /etc/supervisord.conf start etcd');
    await etcdHealthy(node, NAME);
    expect((await etcdctl(node, NAME, 'put /kubesup/written-under-supervisord yes')).stdout).toBe('OK\n');
  });

  it('rollback --unit etcd --yes: every file back, etcd under systemd, both keys still there', async () => {
    const r = await kubesup(node, ['rollback', '--unit', 'etcd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await active(node, 'etcd')).toBe('active');
    expect(await snapshot(node)).toBe(before);
    await etcdHealthy(node, NAME);
    await keyReads('under-systemd');
    const later = await etcdctl(node, NAME, 'get /kubesup/written-under-supervisord --print-value-only');
    expect(later.stdout).toBe('yes\n');
  });
});
