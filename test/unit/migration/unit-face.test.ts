// containerd.service and etcd.service as the faces of their supervised programs: what differs from kubelet's
// face per unit (KillMode=, the order against supervisord's unit, the log formats) and the steps around it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectUnit } from '../../../src/core/detect/detect-unit.js';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import type { Plan } from '../../../src/core/migration/plan/plan.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { beginMigration, rollBack } from '../../../src/core/migration/session.js';
import { CONTAINERD_CGROUP, nodeWithContainerd } from '../../helpers/containerd-node.js';
import { fakeNode } from '../../helpers/fake-host/index.js';

const ETCD = `[Unit]
Description=etcd
After=network.target

[Service]
User=root
Type=notify
NotifyAccess=all
EnvironmentFile=/etc/etcd.env
ExecStart=/usr/local/bin/etcd
LimitNOFILE=40000
Restart=always
RestartSec=10s

[Install]
WantedBy=multi-user.target
`;

/** KubeKey's etcd.service, run by systemd, on the reference node. */
function nodeWithEtcd() {
  const node = fakeNode('kubekey-centos7');
  node.files.put('/etc/systemd/system/etcd.service', ETCD);
  node.files.put('/etc/etcd.env', 'ETCD_NAME=node1\nETCD_DATA_DIR=/var/lib/etcd\n');
  node.files.link('/etc/systemd/system/multi-user.target.wants/etcd.service', '/etc/systemd/system/etcd.service');
  const spawnEtcd = () => node.procs.spawn(['/usr/local/bin/etcd'], { cgroup: '0::/system.slice/etcd.service\n' });
  let pid = spawnEtcd();
  node.systemd.define(
    'etcd.service',
    { active: true },
    {
      start: () => (pid = spawnEtcd()),
      stop: () => node.procs.kill(pid),
      mainPid: () => (node.procs.table.has(pid) ? pid : 0),
    },
  );
  return node;
}

const planFor = (node: ReturnType<typeof fakeNode>, program: string) =>
  planForNode(node.host, { program, unit: `${program}.service`, tool: 'kubesup-tui test' });
const fileOf = (plan: Plan, role: string) => plan.files.find((f) => f.role === role)?.content ?? '';
const ids = (plan: Plan) => plan.steps.map((s) => s.id);

describe('containerd.service as the face of the supervised containerd', () => {
  it(`keeps the unit's KillMode=process, loaded before systemd's containerd is stopped: its shims stay`, async () => {
    const plan = await planFor(nodeWithContainerd(), 'containerd');
    const dropIn = fileOf(plan, 'face-dropin');
    expect(dropIn).toMatch(/^KillMode=process$/m);
    expect(dropIn).not.toMatch(/^KillMode=control-group$/m);
    // The drop-in is on disk and loaded when the stop runs: that stop is a KillMode=process one.
    const steps = ids(plan);
    const written = steps.indexOf('write:/etc/systemd/system/containerd.service.d/zz-kubesup-tui-face.conf');
    expect(written).toBeGreaterThan(-1);
    expect(steps.indexOf('daemon-reload')).toBeGreaterThan(written);
    expect(steps.indexOf('stop-containerd')).toBeGreaterThan(steps.indexOf('daemon-reload'));
    expect(steps.indexOf('start-face')).toBeGreaterThan(steps.indexOf('stop-containerd'));
    expect(plan.files.find((f) => f.role === 'face-dropin')?.why).toMatch(/KillMode=process stays/);
    // supervisorctl stop signals containerd alone: its shims are not in its process group's stop.
    expect(fileOf(plan, 'program')).toContain('stopasgroup=false\nkillasgroup=false');
  });

  it(`wants supervisord's unit, not ordered after it (that unit is ordered after the runtime)`, async () => {
    const dropIn = fileOf(await planFor(nodeWithContainerd(), 'containerd'), 'face-dropin');
    expect(dropIn).toMatch(/^Wants=supervisord\.service$/m);
    expect(dropIn).not.toMatch(/^After=/m);
    expect(dropIn).toMatch(/^SyslogIdentifier=containerd$/m);
  });

  it('the forwarder ends with its sed (tail --pid): KillMode=process signals sed alone', async () => {
    const helper = fileOf(await planFor(nodeWithContainerd(), 'containerd'), 'face-helper');
    expect(helper).toContain(`< <(exec tail $at -F --pid=$$ /var/log/containerd/containerd.log 2>/dev/null) ;;`);
    expect(spawnSync('bash', ['-n'], { input: helper }).status).toBe(0);
  });

  it('migrates, then rolls back: the face goes, the unit file and its links are as before', async () => {
    const node = nodeWithContainerd();
    const before = { ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') };
    const result = await beginMigration(node.host, await planFor(node, 'containerd'), () => undefined, {
      verifyTimeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true });
    expect(node.systemd.calls).toContain('systemctl start containerd.service');
    expect(node.files.text('/etc/systemd/system/containerd.service.d/zz-kubesup-tui-face.conf')).toContain(
      'KillMode=process',
    );
    const journal = await readJournal(node.files, 'containerd.service');
    const events: string[] = [];
    expect((await rollBack(node.host, journal!, (e) => events.push(JSON.stringify(e)))).ok).toBe(true);
    expect(events.join('\n')).toContain('systemctl stop containerd.service (its face)');
    expect({ ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') }).toEqual(before);
  });
});

describe('containerd rolled back after a package upgrade', () => {
  it(`keeps the unit and the drop-in the package wrote since; the face's files go, the rest as before`, async () => {
    const node = nodeWithContainerd();
    const before = { ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') };
    expect((await beginMigration(node.host, await planFor(node, 'containerd'), () => undefined, {})).ok).toBe(true);
    // As a package upgrade does, then restarts the unit through its face.
    const unit = '/etc/systemd/system/containerd.service';
    const upgraded = `${node.files.text(unit)}\n# containerd 1.7\n`;
    const dropIn = '/etc/systemd/system/containerd.service.d/10-package.conf';
    node.files.put(unit, upgraded);
    node.files.put(dropIn, '[Service]\nLimitNOFILE=infinity\n');
    const journal = await readJournal(node.files, 'containerd.service');
    expect((await rollBack(node.host, journal!, () => undefined)).ok).toBe(true);
    const after = { ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') };
    expect(node.files.text(unit)).toBe(upgraded);
    expect(node.files.text(dropIn)).toBe('[Service]\nLimitNOFILE=infinity\n');
    delete after[dropIn];
    expect({ ...after, [unit]: before[unit] }).toEqual(before);
  });
});

describe('containerd detected after its migration', () => {
  it(`is the supervised one: the unit's main process is its face's forwarder, not a containerd`, async () => {
    const node = nodeWithContainerd();
    // As supervisord does for every program it starts.
    node.supervisord.spawnEnv = () => ({ SUPERVISOR_ENABLED: '1' });
    const result = await beginMigration(node.host, await planFor(node, 'containerd'), () => undefined, {
      verifyTimeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true });
    const sed = node.procs.spawn(['sed', '-u', '-e', 's/^</<6></;t'], { cgroup: CONTAINERD_CGROUP });
    node.systemd.define('containerd.service', { active: true }, { mainPid: () => sed });
    const d = await detectUnit(node.host, 'containerd.service', { program: 'containerd' });
    expect(d.running).toMatchObject({ managedBy: 'supervisord', argv: ['/usr/local/bin/containerd'] });
    expect(d.running?.pid).toBe(node.supervisord.groups.get('containerd')?.pid);
    expect(d.warnings.join('\n')).not.toContain('differs from what containerd.service would start now');
  });
});

describe("the face's start when supervisord's unit does not run (at boot it starts after the face)", () => {
  it('says supervisord starts the program itself, asks supervisorctl nothing, and exits 0', async () => {
    const helper = fileOf(await planFor(nodeWithContainerd(), 'containerd'), 'face-helper');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-face-'));
    try {
      fs.writeFileSync(`${dir}/supervisorctl`, `#!/bin/sh\necho "$@" >> ${dir}/calls\n`, { mode: 0o755 });
      fs.writeFileSync(`${dir}/systemctl`, `#!/bin/sh\necho "$@" >> ${dir}/asked\nexit 3\n`, { mode: 0o755 });
      const out = spawnSync('bash', ['-c', helper, 'face', 'start'], {
        env: { PATH: `${dir}:${process.env.PATH}` },
        encoding: 'utf8',
      });
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('supervisord.service does not run now: it starts containerd when it starts');
      expect(fs.readFileSync(`${dir}/asked`, 'utf8')).toBe('is-active --quiet supervisord.service\n');
      expect(fs.existsSync(`${dir}/calls`)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`asks supervisord to start it when its unit runs; what it logged while starting comes before the line \
saying where it runs (the last one systemctl status shows)`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-face-'));
    const log = `${dir}/containerd.log`;
    const helper = fileOf(await planFor(nodeWithContainerd(), 'containerd'), 'face-helper')
      .replaceAll('/var/log/containerd/containerd.log', log)
      .replaceAll('/run/kubesup-tui', `${dir}/run`);
    const containerd = spawn('sleep', ['60']);
    const booted = 'time="2026-12-07T02:00:00Z" level=warning msg="booted while it started"';
    try {
      fs.writeFileSync(log, 'time="2026-12-07T01:00:00Z" level=info msg="before this start"\n');
      fs.writeFileSync(
        `${dir}/supervisorctl`,
        `#!/bin/sh\necho "$@" >> ${dir}/calls\ncase "$3" in status) echo "containerd RUNNING";; ` +
          `start) echo '${booted}' >> ${log}; echo "containerd: started";; pid) echo ${containerd.pid};; esac\n`,
        { mode: 0o755 },
      );
      fs.writeFileSync(`${dir}/systemctl`, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      const out = spawnSync('bash', ['-c', helper, 'face', 'start'], {
        env: { PATH: `${dir}:${process.env.PATH}` },
        encoding: 'utf8',
      });
      expect(out.status).toBe(0);
      expect(fs.readFileSync(`${dir}/calls`, 'utf8')).toContain('start containerd\n');
      const lines = out.stdout.split('\n');
      expect(lines[0]).toBe(`<4>${booted}`);
      expect(lines[1]).toMatch(new RegExp(`^containerd runs under supervisord \\(pid ${containerd.pid}\\)`));
      expect(out.stdout).not.toContain('before this start');
      // follow goes on from the end of what was forwarded here.
      expect(fs.readFileSync(`${dir}/run/containerd.face-from`, 'utf8')).toBe(`${fs.statSync(log).size}\n`);
    } finally {
      containerd.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the face's forwarder", () => {
  it('forwards from where the log was when its start began (the first lines), and ends with its sed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-face-'));
    const log = `${dir}/containerd.log`;
    const helper = fileOf(await planFor(nodeWithContainerd(), 'containerd'), 'face-helper')
      .replaceAll('/var/log/containerd/containerd.log', log)
      .replaceAll('/run/kubesup-tui', `${dir}/run`);
    fs.writeFileSync(`${dir}/systemctl`, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const env = { PATH: `${dir}:${process.env.PATH}` };
    fs.writeFileSync(log, 'time="2026-12-07T01:00:00Z" level=info msg="before this start"\n');
    expect(spawnSync('bash', ['-c', helper, 'face', 'start'], { env }).status).toBe(0);
    const booted = 'time="2026-12-07T02:00:00Z" level=error msg="written while it started"';
    fs.appendFileSync(log, `${booted}\n`);
    const follow = spawn('bash', ['-c', helper, 'face', 'follow'], { env });
    let out = '';
    follow.stdout.on('data', (b) => (out += b));
    const until = async (ok: () => boolean, what: string) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(ok(), what).toBe(true);
    };
    const tails = () => spawnSync('pgrep', ['-f', `tail .* -F --pid=${follow.pid} ${log}`]).status === 0;
    try {
      await until(() => out.includes(booted), 'the line written while it started');
      fs.appendFileSync(log, 'time="2026-12-07T02:00:01Z" level=info msg="later"\n');
      await until(() => out.includes('msg="later"'), 'a later line');
      expect(out).toBe(`<3>${booted}\ntime="2026-12-07T02:00:01Z" level=info msg="later"\n`);
      expect(fs.existsSync(`${dir}/run/containerd.face-from`)).toBe(false);
      expect(tails()).toBe(true);
      follow.kill();
      await until(() => !tails(), 'tail gone with its sed');
    } finally {
      follow.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('etcd.service as the face of the supervised etcd', () => {
  it('Type=notify becomes the forwarder (simple), stopped as control-group; no mask, no guard', async () => {
    const plan = await planFor(nodeWithEtcd(), 'etcd');
    const dropIn = fileOf(plan, 'face-dropin');
    for (const line of ['Type=simple', 'WatchdogSec=0', 'KillMode=control-group', 'SyslogIdentifier=etcd'])
      expect(dropIn).toMatch(new RegExp(`^${line}$`, 'm'));
    expect(dropIn).toContain('\nEnvironmentFile=\n');
    expect(fileOf(plan, 'face-helper')).toContain('< <(exec tail $at -F /var/log/etcd/etcd.log 2>/dev/null) ;;');
    expect(plan.files.map((f) => f.role)).not.toContain('unit-guard');
    expect(ids(plan)).not.toContain('mask');
    expect(plan.service).toMatchObject({ face: true, mask: false });
  });
});

describe("the other units' log lines as journal priorities", () => {
  it("logrus's, zap's and capnslog's levels; others info's", async () => {
    const helper = fileOf(await planFor(nodeWithContainerd(), 'containerd'), 'face-helper');
    const sed = helper.match(/exec (sed -u .*?) < </)?.[1];
    expect(sed).toBeDefined();
    const lines = [
      'time="2026-12-07T02:00:00.000000000Z" level=info msg="loading plugin"',
      'time="2026-12-07T02:00:00.000000000Z" level=warning msg="failed to load plugin"',
      'time="2026-12-07T02:00:00.000000000Z" level=error msg="failed to start"',
      'time="2026-12-07T02:00:00.000000000Z" level=fatal msg="exiting"',
      '{"level":"warn","ts":"2026-12-07T02:00:00.000Z","msg":"slow fdatasync"}',
      '{"level":"error","ts":"2026-12-07T02:00:00.000Z","msg":"failed"}',
      '2026-12-07 02:00:00.123456 W | etcdserver: read-only range request took too long',
      '2026-12-07 02:00:00.123456 E | rafthttp: failed to dial',
      '2026-12-07 02:00:00.123456 C | etcdmain: listen tcp: address already in use',
      '2026-12-07 02:00:00.123456 I | etcdserver: published',
      '<3> not a priority',
    ];
    const out = spawnSync('bash', ['-c', sed as string], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
    expect(out.stdout.split('\n').slice(0, -1)).toEqual([
      lines[0],
      `<4>${lines[1]}`,
      `<3>${lines[2]}`,
      `<2>${lines[3]}`,
      `<4>${lines[4]}`,
      `<3>${lines[5]}`,
      `<4>${lines[6]}`,
      `<3>${lines[7]}`,
      `<2>${lines[8]}`,
      lines[9],
      `<6>${lines[10]}`,
    ]);
  });
});
