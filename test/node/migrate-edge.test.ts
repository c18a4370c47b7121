// Migration on nodes that are not as the installers left them.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgvAsNobody, kubesupJson } from '../helpers/cli-in-node.js';
import { withTestNode } from '../helpers/with-test-node.js';

describe('a supervisord config without [include]', () => {
  let original: string;
  const node = withTestNode('kubekey-centos7', async (node) => {
    await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    // An operator's config that keeps every program in the main file.
    await node.sh(
      "sed -i '/^\\[include\\]/,$d' /etc/supervisord.conf && cat /etc/supervisord.d/node-exporter.ini >> " +
        '/etc/supervisord.conf && rm /etc/supervisord.d/node-exporter.ini && supervisorctl -c ' +
        '/etc/supervisord.conf reread >/dev/null',
    );
    original = node.readFile('/etc/supervisord.conf');
  });

  it('the plan adds an [include] and changes nothing else; rollback restores the file byte for byte', async () => {
    const plan = (await kubesupJson(node, ['plan'])).json;
    const conf = plan.files.find((f: { path: string }) => f.path === '/etc/supervisord.conf');
    expect(conf.before).toBe(original);
    expect(conf.content.startsWith(original)).toBe(true);
    expect(conf.content.slice(original.length)).toMatch(/\n\[include\]\nfiles = supervisord\.d\/\*\.ini\n$/);
    expect(plan.supervisor.programFile).toBe('/etc/supervisord.d/kubelet.ini');

    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const status = (await kubesupJson(node, ['status'])).json;
    expect(status.programs.map((p: { name: string; state: string }) => `${p.name}:${p.state}`).sort()).toEqual([
      'kubelet:RUNNING',
      // The resident agent, supervisord's [eventlistener], installed with the first moved unit.
      'kubesup-agent:RUNNING',
      'node-exporter:RUNNING',
    ]);

    const back = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
    expect(back.exitCode, back.stdout + back.stderr).toBe(0);
    expect(node.readFile('/etc/supervisord.conf')).toBe(original);
    expect((await node.exec(['systemctl', 'is-active', 'kubelet'])).stdout.trim()).toBe('active');
  });
});

describe('refusals leave the node untouched', () => {
  const node = withTestNode('kubeadm-ubuntu', async (node) => {
    await node.waitFor('test -S /var/run/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
  });

  it('not root: exit 1, "must run as root", nothing changed', async () => {
    const r = await node.exec(await kubesupArgvAsNobody(node, 'migrate', '--yes'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('kubesup-tui: must run as root (nothing was changed)\n');
    expect((await node.exec(['test', '-e', '/var/lib/kubesup-tui'])).exitCode).not.toBe(0);
  });

  it('a program for kubelet already configured by hand: the plan refuses and says where', async () => {
    await node.sh(
      "printf '[program:kubelet]\\ncommand=/etc/kubernetes/kubelet.sh run\\nautostart=false\\n' > " +
        '/etc/supervisor/conf.d/kubelet.conf',
    );
    try {
      const r = await kubesup(node, ['plan']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(
        'kubesup-tui: no migration: a program for kubelet already exists: [program:kubelet] in ' +
          '/etc/supervisor/conf.d/kubelet.conf\n',
      );
    } finally {
      await node.sh('rm /etc/supervisor/conf.d/kubelet.conf');
    }
  });

  it('rollback with nothing to roll back: exit 1 with the reason', async () => {
    const r = await kubesup(node, ['rollback', '--yes']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'kubesup-tui: nothing to roll back: no migration journal at /var/lib/kubesup-tui/journal.json\n',
    );
  });
});

describe('supervisord missing (Rocky node, kubeadm rpm): the migration installs it', () => {
  let argv: string[];
  const node = withTestNode('kubeadm-rocky-nosup', async (node) => {
    await node.waitFor('curl -sf 127.0.0.1:10248/healthz');
    argv = (await kubesupJson(node, ['detect'])).json.argv;
  });

  it(`detect says it is missing; plan installs it with dnf, EPEL layout; \
migrate ends with kubelet supervised`, async () => {
    const d = (await kubesupJson(node, ['detect'])).json;
    expect(d.supervisor).toMatchObject({ installed: false, binary: null, unit: null });
    expect(argv).toEqual([
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock',
    ]);
    const plan = (await kubesupJson(node, ['plan'])).json;
    expect(plan.steps[0]).toMatchObject({
      kind: 'install-supervisor',
      command: ['dnf', 'install', '-y', 'supervisor'],
    });
    expect(plan.supervisor).toMatchObject({
      unit: 'supervisord.service',
      config: '/etc/supervisord.conf',
      programFile: '/etc/supervisord.d/kubelet.ini',
    });
    expect(plan.steps.map((s: { id: string }) => s.id)).toContain('enable-supervisord');

    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 180_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/install supervisord \(dnf install -y supervisor\): ok \(installed\)/);
    const pid = Number((await node.sh('supervisorctl -c /etc/supervisord.conf pid kubelet')).trim());
    expect((await node.sh(`tr '\\0' '\\n' < /proc/${pid}/cmdline`)).split('\n').slice(0, -1)).toEqual(argv);
    expect((await node.exec(['systemctl', 'is-enabled', 'supervisord'])).stdout.trim()).toBe('enabled');
    expect((await node.exec(['systemctl', 'is-enabled', 'kubelet'])).stdout.trim()).toBe('enabled');
    // The agent too, on the Python of the package just installed, started with supervisord.
    await node.waitFor('supervisorctl -c /etc/supervisord.conf status kubesup-agent | grep -q RUNNING');

    await node.reboot();
    await node.waitFor(
      'curl -sf 127.0.0.1:10248/healthz && supervisorctl -c /etc/supervisord.conf status kubelet | grep -q RUNNING',
      30_000,
    );
    expect((await node.exec(['pgrep', '-x', 'kubelet'])).stdout.trim().split('\n')).toHaveLength(1);
    await node.waitFor('supervisorctl -c /etc/supervisord.conf status kubesup-agent | grep -q RUNNING');
  });
});
