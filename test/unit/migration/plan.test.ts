// The plan as a function of the detection: what it writes, in which order, and what it refuses.
import { describe, expect, it } from 'vitest';
import { type Plan, PlanRefused } from '../../../src/core/migration/plan/plan.js';
import { fakeNode, planOn, withoutSupervisord } from '../../helpers/fake-host/index.js';

const steps = (p: Plan) => p.steps.map((s) => s.id);

describe('planning on the reference node (KubeKey, CentOS 7, supervisord running)', () => {
  it('writes the wrapper, the program, the boot-order drop-in and the face of kubelet.service', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    expect(plan.argv).toEqual(node.kubeletArgv);
    expect(plan.files.map((f) => [f.path, f.role, f.before === null])).toEqual([
      ['/etc/kubernetes/kubelet.sh', 'wrapper', true],
      ['/etc/supervisord.d/kubelet.ini', 'program', true],
      ['/etc/systemd/system/supervisord.service.d/50-kubesup-tui.conf', 'supervisor-dropin', true],
      ['/etc/kubernetes/kubelet-systemd.sh', 'face-helper', true],
      ['/etc/systemd/system/kubelet.service.d/zz-kubesup-tui-face.conf', 'face-dropin', true],
    ]);
    expect(plan.service).toMatchObject({ mask: false, face: true });
    expect(steps(plan)).toEqual([
      'mkdir-log',
      'write:/etc/kubernetes/kubelet.sh',
      'write:/etc/supervisord.d/kubelet.ini',
      'write:/etc/systemd/system/supervisord.service.d/50-kubesup-tui.conf',
      'write:/etc/kubernetes/kubelet-systemd.sh',
      'write:/etc/systemd/system/kubelet.service.d/zz-kubesup-tui-face.conf',
      'daemon-reload',
      'reread',
      'stop-kubelet',
      'add',
      'start-face',
      'verify',
    ]);
    expect(plan.supervisor).toMatchObject({
      unit: 'supervisord.service',
      wasRunning: true,
      wasEnabled: true,
      installed: true,
    });
    // systemd leaves stopping kubelet to supervisord at a restart of its unit and at shutdown (EPEL's unit
    // has KillMode=control-group, which would SIGTERM kubelet behind supervisord's back).
    const dropIn = plan.files[2]?.content ?? '';
    expect(dropIn).toMatch(/^KillMode=mixed$/m);
    // ...and brings supervisord back whatever kills it, without ever giving up.
    expect(dropIn).toMatch(/^\[Service\]\nRestart=always\nRestartSec=1$/m);
    expect(dropIn).toMatch(/^StartLimitIntervalSec=0$/m);
    // supervisord also runs node-exporter here: a lower OOM score would be inherited by it, so none is set.
    expect(dropIn).not.toMatch(/OOMScoreAdjust/);
    expect(plan.warnings).toContain(
      'supervisord keeps its OOM score: it also runs node-exporter, which would inherit a lower one; Restart=always ' +
        'guards it instead',
    );
    // The wrapper gives kubelet the OOM score kubelet.service gave it (none set: 0).
    expect(plan.files[0]?.content).toContain('echo 0 > /proc/self/oom_score_adj 2>/dev/null || true');
    // kubelet.service's enable link, recorded for the rollback to restore as it was.
    expect(plan.service.links).toEqual([
      {
        path: '/etc/systemd/system/multi-user.target.wants/kubelet.service',
        target: '/etc/systemd/system/kubelet.service',
      },
    ]);
  });

  it('planning reads but never writes, and runs nothing that changes the node', async () => {
    const node = fakeNode('kubekey-centos7');
    const before = node.files.snapshot();
    await planOn(node);
    expect(node.files.snapshot()).toEqual(before);
    expect(node.systemd.calls.filter((c) => !/^systemctl (is-active|is-enabled|show)|--version$/.test(c))).toEqual([]);
  });
});

describe('planning on Ubuntu (kubeadm packages, Debian supervisor)', () => {
  it('keeps kubelet.service (its file is in /usr/lib) as its face rather than a mask, and uses conf.d', async () => {
    const plan = await planOn(fakeNode('kubeadm-ubuntu'));
    expect(plan.service).toMatchObject({ mask: false, face: true });
    expect(plan.files.map((f) => f.role)).toEqual([
      'wrapper',
      'program',
      'supervisor-dropin',
      'face-helper',
      'face-dropin',
    ]);
    expect(plan.supervisor.programFile).toBe('/etc/supervisor/conf.d/kubelet.conf');
    // kubelet will be supervisord's only program: supervisord is made as hard to pick for the OOM killer as kubelet.
    expect(plan.files[2]?.content).toMatch(/^OOMScoreAdjust=-999$/m);
    expect(steps(plan)).not.toContain('mask');
    expect(steps(plan)).not.toContain('disable');
  });

  it('supervisord missing: installs it with apt-get, then starts and enables its unit', async () => {
    const node = await withoutSupervisord(fakeNode('kubeadm-ubuntu'));
    const plan = await planOn(node);
    expect(plan.steps[0]).toMatchObject({
      kind: 'install-supervisor',
      command: ['apt-get', 'install', '-y', 'supervisor'],
    });
    expect(steps(plan).slice(-4)).toEqual(['start-supervisord', 'enable-supervisord', 'start-face', 'verify']);
  });
});

describe('refusals', () => {
  it('a program for kubelet already exists', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/supervisord.d/kubelet.ini', '[program:kubelet]\ncommand=/etc/kubernetes/kubelet.sh\n');
    await expect(planOn(node)).rejects.toThrow(PlanRefused);
    await expect(planOn(node)).rejects.toThrow(
      /a program for kubelet already exists: \[program:kubelet\] in \/etc\/supervisord.d\/kubelet.ini/,
    );
  });

  it('supervisord installed but no unit for it: kubelet would not come back after a reboot', async () => {
    const node = fakeNode('kubekey-centos7');
    await node.files.remove('/usr/lib/systemd/system/supervisord.service');
    await expect(planOn(node)).rejects.toThrow(/supervisord has no systemd unit/);
  });

  it('supervisord missing and no package manager', async () => {
    const node = fakeNode('kubekey-centos7');
    for (const p of ['/usr/bin/supervisord', '/usr/bin/yum']) await node.files.remove(p);
    await expect(planOn(node)).rejects.toThrow(/no apt-get, dnf or yum/);
  });
});
