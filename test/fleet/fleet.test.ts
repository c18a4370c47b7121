// The playbooks (ansible/) against three test nodes of different layouts, over real SSH, with Debian's
// ansible-core: check mode changes nothing; the rollout migrates all three, a second run changes nothing;
// status gathers one table; rollback restores every file; a node that fails stops the rollout there, rolled
// back and healthy under systemd, the nodes after it untouched.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../helpers/node-snapshot.js';
import { cannotRun, skipTestNode, skipWithout } from '../helpers/with-test-node.js';
import { bringUpFleet, type Fleet } from './fleet.js';

const LAYOUTS = ['kubekey-centos7', 'kubeadm-ubuntu', 'kubespray-debian'] as const;
// The tool itself, put there by the playbooks, is not a change of the node's kubelet.
const withoutTool = (s: string) => s.replace(/^\/usr\/local\/bin\/kubesup-tui .*\n/m, '');

const FLEET_NEEDS = {
  'ansible-playbook': 'ansible-core',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  nc: 'netcat-openbsd',
};
const FLEET = 'the fleet: ansible/ playbooks over SSH';

describe.skipIf(cannotRun(FLEET, skipWithout(FLEET_NEEDS) ?? skipTestNode('3.4.0')))(FLEET, () => {
  let fleet: Fleet;
  const before = new Map<string, string>();
  const status = async (i: number) =>
    JSON.parse(await fleet.nodes[i]!.node.sh('/usr/local/bin/kubesup-tui status --json; true'));

  beforeAll(async () => {
    fleet = await bringUpFleet(LAYOUTS);
    for (const { name, node } of fleet.nodes) before.set(name, await snapshot(node));
  }, 180_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('--check --diff shows the files each node would get as diffs, and changes nothing', async () => {
    const run = await fleet.playbook('migrate', ['--check', '--diff']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('+[program:kubelet]');
    expect(run.output).toMatch(/would migrate/);
    for (const { name, node } of fleet.nodes) {
      expect(await snapshot(node), name).toBe(before.get(name));
      expect(await node.sh('test -e /var/lib/kubesup-tui/journal.json && echo yes || echo no')).toBe('no\n');
    }
  }, 300_000);

  it('migrate.yml: all three migrated one by one, verified, in one summary table', async () => {
    const t = Date.now();
    const run = await fleet.playbook('migrate');
    console.info(`three nodes migrated one by one in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    expect(run.code, run.output).toBe(0);
    for (const [i, { name }] of fleet.nodes.entries()) {
      expect(run.recap[name]?.changed, name).toBeGreaterThanOrEqual(1);
      expect(run.recap[name]?.failed, name).toBe(0);
      const s = await status(i);
      expect(s.programs.find((p: { name: string }) => p.name === 'kubelet')?.state, name).toBe('RUNNING');
      expect(s.kubelet.healthz).toBe('ok');
      expect(run.output).toMatch(new RegExp(`"${name}\\s+migrated\\s+\\d+ ms`));
    }
    const report = JSON.parse(fs.readFileSync(path.join(fleet.dir, 'kubesup-migrate.json'), 'utf8'));
    expect(Object.keys(report)).toEqual(fleet.nodes.map((n) => n.name));
    for (const row of Object.values(report) as { healthz_gap_ms: string }[])
      console.info(`healthz gap ${row.healthz_gap_ms} ms`);
  }, 300_000);

  it('a second run changes nothing: changed=0 on every node', async () => {
    const run = await fleet.playbook('migrate');
    expect(run.code, run.output).toBe(0);
    for (const { name } of fleet.nodes) expect(run.recap[name]?.changed, name).toBe(0);
    expect(run.output).toMatch(/already-migrated/);
  }, 300_000);

  it("status.yml: one table of every node's kubelet, and one JSON file", async () => {
    const run = await fleet.playbook('status');
    expect(run.code, run.output).toBe(0);
    for (const { name } of fleet.nodes) expect(run.output).toMatch(new RegExp(`"${name}\\s+RUNNING\\s+0\\s+-\\s+ok`));
    const report = JSON.parse(fs.readFileSync(path.join(fleet.dir, 'kubesup-status.json'), 'utf8'));
    expect(Object.keys(report).sort()).toEqual(fleet.nodes.map((n) => n.name));
  }, 300_000);

  it('rollback.yml: every node back under systemd, every file and link as it was', async () => {
    const run = await fleet.playbook('rollback');
    expect(run.code, run.output).toBe(0);
    for (const [i, { name, node }] of fleet.nodes.entries()) {
      expect(withoutTool(await snapshot(node)), name).toBe(before.get(name));
      const s = await status(i);
      expect(
        s.programs.some((p: { name: string }) => p.name === 'kubelet'),
        name,
      ).toBe(false);
      expect(s.kubelet.healthz, name).toBe('ok');
    }
  }, 300_000);

  it('a node failing verify stops the rollout there: rolled back and healthy, the next one untouched', async () => {
    const [a, b, c] = fleet.nodes as [Fleet['nodes'][0], Fleet['nodes'][0], Fleet['nodes'][0]];
    await b.node.sh('mkdir -p /etc/kubelet-standin && touch /etc/kubelet-standin/fail-supervised');
    const untouched = await snapshot(c.node);
    const run = await fleet.playbook('migrate');
    expect(run.code).not.toBe(0);
    expect(run.recap[a.name]?.failed).toBe(0);
    expect(run.recap[b.name]?.failed).toBe(1);
    expect(run.output).toMatch(new RegExp(`"${b.name}\\s+failed, rolled back`));
    expect(run.output).toMatch(new RegExp(`"${c.name}\\s+not reached`));
    // b: kubelet under systemd again, healthy, every file as it was.
    const sb = await status(1);
    expect(sb.programs.some((p: { name: string }) => p.name === 'kubelet')).toBe(false);
    expect(sb.kubelet.healthz).toBe('ok');
    expect(withoutTool(await snapshot(b.node)).replace(/^\/etc\/kubelet-standin\/fail-supervised .*\n/m, '')).toBe(
      before.get(b.name),
    );
    // c: never reached.
    expect(await snapshot(c.node)).toBe(untouched);
    expect(await c.node.sh('test -e /var/lib/kubesup-tui/journal.json && echo yes || echo no')).toBe('no\n');
  }, 300_000);

  // The stand-in containerd (service-standin.c: its socket and shim) on three nodes: the playbooks' unit plumbing
  // is what is tested here; the real containerd with a live container is moved in test/node and test/systemd.
  it('-e kubesup_unit=containerd.service (stand-in): moved on every node and back, kubelet left as it is', async () => {
    const unit =
      `[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/local/bin/containerd\nType=notify\n` +
      `KillMode=process\nRestart=always\nLimitNOFILE=4096:8192\n[Install]\nWantedBy=multi-user.target\n`;
    const laid = new Map<string, string>();
    for (const { name, node } of fleet.nodes) {
      await node.sh(`install -m 0755 /usr/local/libexec/kubesup-standin/service-standin /usr/local/bin/containerd
        printf '${unit}' > /usr/lib/systemd/system/containerd.service
        systemctl daemon-reload && systemctl enable --quiet containerd && systemctl start containerd`);
      await node.waitFor('test -S /run/containerd/containerd.sock');
      laid.set(name, withoutTool(await snapshot(node)));
    }
    const shims = await Promise.all(fleet.nodes.map(({ node }) => node.sh('pgrep -x containerd-shim')));
    const run = await fleet.playbook('migrate', ['-e', 'kubesup_unit=containerd.service']);
    expect(run.code, run.output).toBe(0);
    for (const [i, { name, node }] of fleet.nodes.entries()) {
      expect(run.output).toMatch(new RegExp(`"${name}\\s+migrated`));
      const s = await status(i);
      expect(s.programs.find((p: { name: string }) => p.name === 'containerd')?.state, name).toBe('RUNNING');
      expect(await node.sh('pgrep -x containerd-shim'), name).toBe(shims[i]);
      expect(await node.sh('test -e /var/lib/kubesup-tui/units/containerd.service/journal.json && echo yes')).toBe(
        'yes\n',
      );
    }
    const back = await fleet.playbook('rollback', ['-e', 'kubesup_unit=containerd.service']);
    expect(back.code, back.output).toBe(0);
    for (const { name, node } of fleet.nodes) {
      expect(withoutTool(await snapshot(node)), name).toBe(laid.get(name));
      expect((await node.exec(['systemctl', 'is-active', 'containerd'])).stdout.trim(), name).toBe('active');
    }
  }, 300_000);
});
