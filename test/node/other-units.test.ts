// The real containerd and etcd moved under supervisord and back on the reference node (KubeKey, CentOS 7), beside
// kubelet: the same argv, environment, limits and OOM score as under systemd; containerd's shim (a running
// container's) outliving every stop; etcd over TLS with client certificates, its data kept.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv, kubesupJson } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import {
  containerTask,
  downRemovingContainer,
  layOutContainerd,
  missingRealContainerd,
  type Task,
  testCgroupParent,
} from '../helpers/real-containerd.js';
import { etcdctl, etcdHealthy, layOutEtcd, missingRealEtcd } from '../helpers/real-etcd.js';
import { TmuxSession } from '../helpers/tmux.js';
import { requirePackage, skipTestNode, withNode } from '../helpers/with-test-node.js';
import { TestNode } from './test-node.js';

const CTL = 'supervisorctl -c /etc/supervisord.conf';
const NAME = 'node4';

const pidOf = async (node: TestNode, unitOrName: string, by: 'unit' | 'comm') =>
  Number(
    (by === 'unit'
      ? await node.sh(`systemctl show -p MainPID --value ${unitOrName}`)
      : await node.sh(`pgrep -x ${unitOrName} || true`)
    ).trim() || 0,
  );

/** What systemd (or supervisord) gave the process: its limits and OOM score as /proc shows them. */
const processRun = (node: TestNode, pid: number) =>
  node.sh(`grep -E 'open files|core file' /proc/${pid}/limits; cat /proc/${pid}/oom_score_adj`);

describe('the real containerd and etcd under supervisord (reference node)', () => {
  const cgroupParent = testCgroupParent();
  let container: Task = { pid: 0, status: '' };
  const node = withNode(
    'kubekey-centos7',
    async () => downRemovingContainer(await TestNode.up('kubekey-centos7'), cgroupParent),
    async (node) => {
      // containerd's unit where a package puts it, with an operator's limits drop-in.
      await node.sh(`mkdir -p /etc/systemd/system/containerd.service.d
        printf '[Service]\\nLimitNOFILE=4096:8192\\n' > /etc/systemd/system/containerd.service.d/limits.conf`);
      container = await layOutContainerd(node, '/usr/lib/systemd/system', cgroupParent);
      await layOutEtcd(node, NAME, '/etc/systemd/system');
      await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    },
    () => skipTestNode('3.4.0') ?? requirePackage(missingRealContainerd() ?? missingRealEtcd()),
  );
  /** The same container still running, as containerd lists it. */
  const containerRuns = async () => expect(await containerTask(node)).toEqual({ ...container, status: 'RUNNING' });
  const keyReads = async () =>
    expect((await etcdctl(node, NAME, 'get /kubesup/written-before --print-value-only')).stdout).toBe(
      'under-systemd\n',
    );
  let before = '';
  let shim = 0;
  const systemdRun: Record<string, string> = {};

  it('migrate --unit containerd --yes: supervised, same limits and OOM score, the shim untouched', async () => {
    before = await snapshot(node);
    shim = await pidOf(node, 'containerd-shim', 'comm');
    expect(shim).toBeGreaterThan(0);
    systemdRun.containerd = await processRun(node, await pidOf(node, 'containerd', 'unit'));
    const r = await kubesup(node, ['migrate', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('migrated: containerd runs under supervisord as [program:containerd]');
    expect(r.stdout).toMatch(/verify: containerd RUNNING.*: ok/);
    expect(await node.sh(`${CTL} status containerd`)).toMatch(/RUNNING/);
    // containerd.service is the face of the supervised containerd: active, its main process the log forwarder.
    expect((await node.exec(['systemctl', 'is-active', 'containerd'])).stdout.trim()).toBe('active');
    expect(await node.sh(`cat /proc/${await pidOf(node, 'containerd', 'unit')}/comm`)).toBe('sed\n');
    const pid = await pidOf(node, 'containerd', 'comm');
    expect(await processRun(node, pid)).toBe(systemdRun.containerd);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    await containerRuns();
  });

  it('supervisorctl stop, then a restart of supervisord: the shim lives on and containerd finds it again', async () => {
    await node.sh(`${CTL} stop containerd`);
    expect(await pidOf(node, 'containerd', 'comm')).toBe(0);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    await node.sh(`${CTL} start containerd`);
    await node.sh('systemctl restart supervisord');
    await node.waitFor(`${CTL} status containerd | grep -q RUNNING && ctr version | grep -q ^Server:`, 30_000);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    await containerRuns();
  });

  it(`systemctl restart, stop and start containerd act on the supervised containerd; the shim lives on`, async () => {
    const was = await pidOf(node, 'containerd', 'comm');
    const restart = await node.exec(['systemctl', 'restart', 'containerd']);
    expect(restart.exitCode, restart.stderr).toBe(0);
    await node.waitFor(`${CTL} status containerd | grep -q RUNNING && ctr version | grep -q ^Server:`, 30_000);
    const now = (await node.sh('pgrep -x containerd')).trim().split('\n');
    expect(now).toHaveLength(1);
    expect(Number(now[0])).not.toBe(was);
    expect(await node.sh(`${CTL} pid containerd`)).toBe(`${now[0]}\n`);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    await containerRuns();
    expect((await node.exec(['systemctl', 'stop', 'containerd'])).exitCode).toBe(0);
    expect(await node.sh(`${CTL} status containerd || true`)).toMatch(/STOPPED/);
    expect(await pidOf(node, 'containerd', 'comm')).toBe(0);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    expect((await node.exec(['systemctl', 'start', 'containerd'])).exitCode).toBe(0);
    await node.waitFor(`${CTL} status containerd | grep -q RUNNING && ctr version | grep -q ^Server:`, 30_000);
    await containerRuns();
  });

  it("migrate --unit etcd --yes: etcd's configuration reaches it from the env file, it answers /health", async () => {
    expect((await etcdctl(node, NAME, 'put /kubesup/written-before under-systemd')).stdout).toBe('OK\n');
    const environ = (pid: number) => node.sh(`tr '\\0' '\\n' < /proc/${pid}/environ | grep ^ETCD_ | sort`);
    const systemdEnviron = await environ(await pidOf(node, 'etcd', 'unit'));
    expect(systemdEnviron).toContain('ETCD_CLIENT_CERT_AUTH=true\n');
    systemdRun.etcd = await processRun(node, await pidOf(node, 'etcd', 'unit'));
    const r = await kubesup(node, ['migrate', '--unit', 'etcd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verify: etcd RUNNING, healthy \(https:\/\/127.0.0.1:2379\/health\).*: ok/);
    const pid = await pidOf(node, 'etcd', 'comm');
    expect(await processRun(node, pid)).toBe(systemdRun.etcd);
    expect(await environ(pid)).toBe(systemdEnviron);
    await keyReads();
    // etcd.service is its face: `systemctl restart etcd` restarts the supervised etcd, one etcd after.
    expect((await node.exec(['systemctl', 'is-active', 'etcd'])).stdout.trim()).toBe('active');
    const restart = await node.exec(['systemctl', 'restart', 'etcd']);
    expect(restart.exitCode, restart.stderr).toBe(0);
    await etcdHealthy(node, NAME);
    const etcds = (await node.sh('pgrep -x etcd')).trim().split('\n');
    expect(etcds).toHaveLength(1);
    expect(Number(etcds[0])).not.toBe(pid);
    expect(await node.sh(`${CTL} pid etcd`)).toBe(`${etcds[0]}\n`);
    await keyReads();
    // kubelet is still run by systemd, untouched by either migration.
    expect((await node.exec(['systemctl', 'is-active', 'kubelet'])).stdout.trim()).toBe('active');
    const status = await kubesupJson(node, ['status']);
    const names = status.json.programs.map((p: { name: string; state: string }) => `${p.name} ${p.state}`);
    expect(names).toEqual(expect.arrayContaining(['containerd RUNNING', 'etcd RUNNING']));
    // Each moved unit by its own check, as verify checked it.
    expect(status.json.services).toEqual([
      {
        unit: 'containerd.service',
        program: 'containerd',
        check: '/run/containerd/containerd.sock accepts a connection',
        health: 'ok',
        detail: 'accepts connections',
      },
      {
        unit: 'etcd.service',
        program: 'etcd',
        check: 'GET https://127.0.0.1:2379/health answers ok (client certificate /etc/ssl/etcd/ssl/member-node4.pem)',
        health: 'ok',
        detail: 'ok',
      },
    ]);
    // The real etcdctl with the admin's client certificate agrees; without a certificate etcd refuses.
    const health = await etcdctl(node, NAME, 'endpoint health');
    expect(health.exitCode, health.stderr).toBe(0);
    expect(health.stdout + health.stderr).toContain('https://127.0.0.1:2379 is healthy');
    const anonymous = await node.exec([
      'curl',
      '-sS',
      '--cacert',
      '/etc/ssl/etcd/ssl/ca.pem',
      'https://127.0.0.1:2379/health',
    ]);
    expect(anonymous.stdout).not.toContain('"health":"true"');
    await node.sh(`${CTL} stop etcd`);
    expect((await etcdctl(node, NAME, 'endpoint health --command-timeout=2s')).exitCode).not.toBe(0);
    const text = await kubesup(node, ['status']);
    expect(text.stdout).toContain('containerd health ok: /run/containerd/containerd.sock accepts a connection\n');
    expect(text.stdout).toMatch(
      /^etcd health failing: GET https:\/\/127.0.0.1:2379\/health .*\(connection refused\)$/m,
    );
    await node.sh(`${CTL} start etcd`);
  });

  it("the monitor shows each moved unit's health beside kubelet's, and a failing one with why", async () => {
    const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv('monitor')]), {
      columns: 100,
      rows: 30,
    });
    try {
      await tui.waitFor((x) => x.includes('containerd ok · etcd ok'), 'both healthy');
      await node.sh(`${CTL} stop etcd`);
      await tui.waitFor((x) => x.includes('etcd FAILING: connection refused'), 'etcd failing');
      await node.sh(`${CTL} start etcd`);
      await tui.waitFor((x) => x.includes('containerd ok · etcd ok'), 'etcd healthy again');
    } finally {
      tui.kill();
    }
  });

  it(`rollback --unit etcd, then --unit containerd: every file back byte for byte, \
both under systemd again`, async () => {
    for (const unit of ['etcd', 'containerd']) {
      const r = await kubesup(node, ['rollback', '--unit', unit, '--yes'], { timeoutMs: 120_000 });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`rolled back: ${unit} runs under systemd again, every file restored`);
      expect((await node.exec(['systemctl', 'is-active', unit])).stdout.trim()).toBe('active');
    }
    expect(await snapshot(node)).toBe(before);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    await containerRuns();
    await etcdHealthy(node, NAME);
    await keyReads();
  });

  it('refused units and bad input: one line, nothing changed', async () => {
    const now = await snapshot(node);
    const sup = await kubesup(node, ['migrate', '--unit', 'supervisord', '--yes']);
    expect(sup.exitCode).toBe(1);
    expect(sup.stderr).toBe(
      "kubesup-tui: no migration: supervisord.service is supervisord's own unit: supervisord cannot guard itself\n",
    );
    const none = await kubesup(node, ['rollback', '--unit', 'etcd', '--yes']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe(
      'kubesup-tui: nothing to roll back: no migration journal at ' +
        '/var/lib/kubesup-tui/units/etcd.service/journal.json\n',
    );
    expect(await snapshot(node)).toBe(now);
  });

  it(`the wizard: containerd chosen beside kubelet, both moved in turn (containerd first); \
rollback --all puts both back`, async () => {
    const start = await snapshot(node);
    const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv()]), {
      columns: 120,
      rows: 40,
    });
    try {
      await tui.waitFor((x) => x.includes('1 [ ] containerd active · 2 [ ] etcd active'), 'the detect screen');
      tui.send('1');
      await tui.waitFor((x) => x.includes('1 [x] containerd active'), 'containerd chosen');
      tui.send('Enter');
      await tui.waitFor((x) => x.includes('containerd.sh') && x.includes('2 preview'), 'the preview');
      tui.send('Enter');
      await tui.waitFor((x) => x.includes('Apply 2 plans to node4, containerd, then kubelet?'), 'the confirmation');
      tui.send('y');
      const done = await tui.waitFor(
        (x) => x.includes('kubelet runs under supervisord as [program:kubelet]'),
        'done',
        90_000,
      );
      expect(done).toContain('containerd runs under supervisord as [program:containerd]');
    } finally {
      tui.kill();
    }
    expect(await node.sh(`${CTL} status containerd kubelet`)).toMatch(/containerd\s+RUNNING[\s\S]*kubelet\s+RUNNING/);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    // Both back at once, the newest migration first: kubelet, then containerd.
    const r = await kubesup(node, ['rollback', '--all', '--yes'], { timeoutMs: 180_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /rolled back: kubelet runs under systemd again[\s\S]*rolled back: containerd runs under systemd again/,
    );
    expect(await snapshot(node)).toBe(start);
    expect(await pidOf(node, 'containerd-shim', 'comm')).toBe(shim);
    await containerRuns();
  });
});
