// The real etcd, with TLS client certificates and data, moved under supervisord and back on a real systemd 252
// (PID 1 under systemd-nspawn): its READY=1 honoured by systemd and by kubesup-agent, its limits carried, its key
// kept; etcd.service stays as the face of the supervised etcd (systemctl restart, journalctl -u).
import { describe, expect, it } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { copyCommandsInto } from '../helpers/real-daemons.js';
import { ETCD_COMMANDS, etcdctl, etcdHealthy, layOutEtcd, missingRealEtcd } from '../helpers/real-etcd.js';
import { requirePackage, withNode } from '../helpers/with-test-node.js';
import { active, cursorNow, runOf, saidReady } from './daemon-checks.js';
import { missingSystemdPrerequisite, SystemdNode } from './systemd-node.js';

describe('the real etcd with TLS client certificates and data on real systemd (kubekey-centos7)', () => {
  const NAME = 'node4';
  const CTL = 'supervisorctl -c /etc/supervisord.conf';
  const node = withNode(
    'kubekey-centos7',
    () => SystemdNode.up('kubekey-centos7'),
    async (n) => {
      copyCommandsInto(n.root, ETCD_COMMANDS);
      await layOutEtcd(n, NAME, '/etc/systemd/system');
      await n.waitFor(`${CTL} status >/dev/null`, 30_000);
    },
    () => requirePackage(missingSystemdPrerequisite() ?? missingRealEtcd()),
  );
  const readKey = async () => (await etcdctl(node, NAME, 'get /kubesup/written-before --print-value-only')).stdout;
  let before = '';

  it("migrate --unit etcd --yes: limits carried, the key kept, etcdctl's health as the tool's", async () => {
    // Type=notify: systemctl start returned once etcd's READY=1 came.
    expect(await node.sh('systemctl show -p Type,NotifyAccess,ActiveState etcd')).toBe(
      'Type=notify\nNotifyAccess=all\nActiveState=active\n',
    );
    expect((await etcdctl(node, NAME, 'put /kubesup/written-before under-systemd')).stdout).toBe('OK\n');
    before = await snapshot(node);
    const underSystemd = await runOf(node, (await node.sh('systemctl show -p MainPID --value etcd')).trim());
    const r = await kubesup(node, ['migrate', '--unit', 'etcd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verify: etcd RUNNING, healthy \(https:\/\/127.0.0.1:2379\/health\).*: ok/);
    expect(await runOf(node, (await node.sh('pgrep -x etcd')).trim())).toBe(underSystemd);
    expect(r.stdout).toMatch(/verify: .*: ok \(etcd RUNNING as pid \d+, READY=1 said, /);
    await saidReady(node, 'etcd');
    expect(await readKey()).toBe('under-systemd\n');
    expect((await etcdctl(node, NAME, 'endpoint health')).exitCode).toBe(0);
    expect((await kubesup(node, ['status'])).stdout).toMatch(/^etcd health ok: GET https:\/\/127.0.0.1:2379\/health/m);
    await node.sh(`${CTL} stop etcd`);
    expect((await etcdctl(node, NAME, 'endpoint health --command-timeout=2s')).exitCode).not.toBe(0);
    expect((await kubesup(node, ['status'])).stdout).toMatch(/^etcd health failing: .*\(connection refused\)$/m);
    await node.sh(`${CTL} start etcd`);
  });

  it(`systemctl restart etcd exits 0: one supervised etcd, the key kept; status and journalctl -u etcd \
tell of it`, async () => {
    await etcdHealthy(node, NAME);
    const old = (await node.sh('pgrep -x etcd')).trim();
    expect(await active(node, 'etcd')).toBe('active');
    const cursor = await cursorNow(node);
    const r = await node.exec(['systemctl', 'restart', 'etcd']);
    expect(r.exitCode, r.stderr).toBe(0);
    await etcdHealthy(node, NAME);
    const now = (await node.sh('pgrep -x etcd')).trim();
    expect(now.split('\n')).toHaveLength(1);
    expect(now).not.toBe(old);
    expect(await node.sh(`${CTL} pid etcd`)).toBe(`${now}\n`);
    expect(await readKey()).toBe('under-systemd\n');
    // The header says where it runs. The line with its pid comes before etcd's own first lines (60, which push
    // it out of the last lines status shows): it is in the unit's journal.
    expect(await node.sh('systemctl status --no-pager -n 0 etcd || true')).toMatch(
      /etcd\.service - etcd under supervisord/,
    );
    const journal = `journalctl -u etcd.service --after-cursor='${cursor}' -o cat --no-pager`;
    await node.waitFor(`${journal} | grep -q 'under supervisord (pid ${now})'`);
    await node.waitFor(
      `journalctl -u etcd.service --after-cursor='${cursor}' -o cat --no-pager | grep -qi 'etcd.version'`,
      30_000,
    );
  });

  it('rollback --unit etcd --yes: every file back, etcd under systemd (notify), the key still there', async () => {
    const r = await kubesup(node, ['rollback', '--unit', 'etcd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await snapshot(node)).toBe(before);
    expect(await node.sh('systemctl show -p ActiveState,SubState etcd')).toBe('ActiveState=active\nSubState=running\n');
    await etcdHealthy(node, NAME);
    expect(await readKey()).toBe('under-systemd\n');
  });
});
