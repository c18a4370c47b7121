// detect --unit: any critical unit, from its unit files and its running process.
import { describe, expect, it } from 'vitest';
import { detectUnit, neverMoved, unitNames } from '../../src/core/detect/detect-unit.js';
import { CONTAINERD, CRI_DOCKERD, DOCKER } from '../fixtures/units/service-units.js';
import { fakeNode } from '../helpers/fake-host/index.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max core file size        unlimited            unlimited            bytes
Max processes             unlimited            unlimited            processes
Max open files            20000                20000                files
`;

function nodeWithContainerd() {
  const node = fakeNode('kubekey-centos7');
  node.files.put('/etc/systemd/system/containerd.service', CONTAINERD);
  node.files.put('/etc/systemd/system/containerd.service.d/limits.conf', '[Service]\nLimitNOFILE=1048576\n');
  node.files.put('/etc/containerd/config.toml', 'version = 2\n[grpc]\n  address = "/run/containerd/containerd.sock"\n');
  const pid = node.procs.spawn(['/usr/local/bin/containerd']);
  node.files.put(`/proc/${pid}/limits`, LIMITS);
  node.files.put(`/proc/${pid}/oom_score_adj`, '0\n');
  node.systemd.define('containerd.service', { active: true }, { mainPid: () => pid });
  return { node, pid };
}

describe('detect --unit', () => {
  it('containerd: its process, how systemd ran it (the process is the truth), its socket as health', async () => {
    const { node, pid } = nodeWithContainerd();
    const d = await detectUnit(node.host, 'containerd', {});
    expect(d).toMatchObject({
      unit: 'containerd.service',
      program: 'containerd',
      argv: ['/usr/local/bin/containerd'],
      running: { pid, managedBy: 'systemd' },
      health: { kind: 'socket', path: '/run/containerd/containerd.sock' },
      refusal: null,
    });
    // Limits as the process had them: this host capped NOFILE at 20000, and the OOM score at 0.
    expect(d.carry?.run.limits.map((l) => `${l.resource}=${l.soft}:${l.hard}`)).toEqual([
      'core=unlimited:unlimited',
      'nofile=20000:20000',
      'nproc=unlimited:unlimited',
    ]);
    expect(d.carry?.oomScoreAdjust).toBe(0);
    expect(d.carry?.run.killMode).toBe('process');
    expect(d.warnings).toEqual([
      'containerd.service: Delegate=yes is not carried: no cgroup subtree is delegated to it',
      "containerd.service: TasksMax=infinity is not carried: the limit is lost: it runs in supervisord's cgroup, " +
        "with supervisord's unit's limits",
    ]);
  });

  it('a unit edited since its process started: the running command line is used, and said', async () => {
    const { node, pid } = nodeWithContainerd();
    node.files.put(
      '/etc/systemd/system/containerd.service.d/debug.conf',
      '[Service]\nExecStart=\nExecStart=/usr/local/bin/containerd --log-level debug\n',
    );
    const d = await detectUnit(node.host, 'containerd', {});
    expect(d.argv).toEqual(['/usr/local/bin/containerd']);
    expect(d.warnings).toContain(
      `the running containerd (pid ${pid}) differs from what containerd.service would start now: the unit or its ` +
        `environment files changed since it started; the running command line is used`,
    );
  });

  it('a unit that is not there: refused with the reason', async () => {
    const d = await detectUnit(fakeNode('kubekey-centos7').host, 'etcd', {});
    expect(d.refusal).toBe('no unit etcd.service on this node');
    expect(d.argv).toEqual([]);
  });

  it.each([
    ['sshd', /the node is reached through it/],
    ['supervisord.service', /supervisord's own unit/],
    ['systemd-journald', /part of systemd itself/],
  ])('%s is never moved', (unit, why) => {
    expect(neverMoved(unitNames(unit).unit)).toMatch(why);
  });
});

describe('socket-activated units (docker, cri-dockerd as their projects ship them)', () => {
  it.each([
    ['docker.service', DOCKER, /docker.service is socket-activated \(docker.socket/],
    ['cri-docker.service', CRI_DOCKERD, /cri-docker.service is socket-activated \(cri-docker.socket/],
  ])('%s is refused: under supervisord it would get no socket', async (unit, text, why) => {
    const node = fakeNode('kubekey-centos7');
    node.files.put(`/usr/lib/systemd/system/${unit}`, text);
    const d = await detectUnit(node.host, unit, {});
    expect(d.refusal).toMatch(why);
    expect(d.warnings).toContain(
      `${unit}: ExecReload=/bin/kill -s HUP $MAINPID is not carried: the command is not run under supervisord`,
    );
  });

  it('docker listening itself (-H unix://) in a drop-in, no socket required: its socket is its health', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/usr/lib/systemd/system/docker.service', DOCKER.replace('Requires=docker.socket\n', ''));
    node.files.put(
      '/etc/systemd/system/docker.service.d/listen.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H unix:///var/run/docker.sock\n',
    );
    const d = await detectUnit(node.host, 'docker', {});
    expect(d.refusal).toBeNull();
    expect(d.health).toEqual({ kind: 'socket', path: '/var/run/docker.sock' });
  });
});
