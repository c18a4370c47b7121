// `kubesup-tui detect` in the test nodes: the detected argv against the running stand-in's own cmdline.
import { describe, expect, it } from 'vitest';
import { LAYOUT_ARGV } from '../fixtures/layout-argv.js';
import { kubesup, kubesupArgvAsNobody, kubesupJson } from '../helpers/cli-in-node.js';
import { withTestNode } from '../helpers/with-test-node.js';
import type { LayoutName, TestNode } from './test-node.js';

/** The layouts that start with supervisord installed (kubeadm-rocky-nosup has none: see migrate-edge). */
type SupervisedLayout = Exclude<LayoutName, 'kubeadm-rocky-nosup'>;

const EXPECTED: Record<SupervisedLayout, { argv: string[]; programFile: string; url: string; unit: string }> = {
  'kubekey-centos7': {
    argv: [...LAYOUT_ARGV['kubekey-centos7']],
    programFile: '/etc/supervisord.d/kubelet.ini',
    url: 'unix:///var/run/supervisor/supervisor.sock',
    unit: 'supervisord.service',
  },
  'kubeadm-ubuntu': {
    argv: [...LAYOUT_ARGV['kubeadm-ubuntu']],
    programFile: '/etc/supervisor/conf.d/kubelet.conf',
    url: 'unix:///var/run/supervisor.sock',
    unit: 'supervisor.service',
  },
  'kubespray-debian': {
    argv: [...LAYOUT_ARGV['kubespray-debian']],
    programFile: '/etc/supervisor/conf.d/kubelet.conf',
    url: 'unix:///var/run/supervisor.sock',
    unit: 'supervisor.service',
  },
};

async function runningArgv(node: TestNode): Promise<string[]> {
  const out = await node.sh('tr "\\0" "\\n" < /proc/$(systemctl show -p MainPID --value kubelet)/cmdline');
  return out.split('\n').slice(0, -1);
}

describe.each(Object.keys(EXPECTED) as SupervisedLayout[])('detect on %s', (layout) => {
  const node = withTestNode(layout, async (node) => {
    await node.waitFor(`test -S ${EXPECTED[layout].url.slice('unix://'.length)}`);
  });

  it("finds the running kubelet's exact argv, and the unit computes the same", async () => {
    const { exitCode, json } = await kubesupJson(node, ['detect']);
    expect(exitCode).toBe(0);
    const onNode = await runningArgv(node);
    expect(onNode).toEqual(EXPECTED[layout].argv);
    expect(json.argv).toEqual(onNode);
    expect(json.running).toMatchObject({ argv: onNode, managedBy: 'systemd' });
    expect(json.configured.argv).toEqual(onNode);
    expect(json.flags.map((f: { arg: string }) => f.arg)).toEqual(onNode);
    expect(json.flags.every((f: { source: string }) => /^\/\S+:\d+ /.test(f.source))).toBe(true);
    expect(json.warnings.filter((w: string) => w.includes('differs'))).toEqual([]);
    expect(json.refusal).toBeNull();
    expect(json.kubelet.healthz).toMatchObject({ url: 'http://127.0.0.1:10248/healthz' });
    expect(json.supervisor).toMatchObject({
      installed: true,
      programFile: EXPECTED[layout].programFile,
      url: EXPECTED[layout].url,
      program: null,
      unit: { name: EXPECTED[layout].unit, active: 'active', enabled: 'enabled' },
    });
    expect(json.supervisor.pid).toBeGreaterThan(0);
  });
});

describe('detect: what the unit carries besides flags (kubespray)', () => {
  const node = withTestNode('kubespray-debian');

  it('keeps ExecStartPre, the environment (PATH), the boot order and the extra include pattern', async () => {
    const { json } = await kubesupJson(node, ['detect']);
    expect(json.configured.execStartPre).toEqual([
      {
        argv: ['/bin/mkdir', '-p', '/run/kubelet-prestart-ran'],
        ignoreFailure: true,
        line: '/etc/systemd/system/kubelet.service:9',
      },
    ]);
    expect(json.configured.env.PATH).toBe(
      '/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    );
    expect(json.configured.after).toEqual(['containerd.service']);
    expect(json.supervisor.include.patterns).toEqual(['/etc/supervisor/conf.d/*.conf', '/etc/supervisor/extra/*.ini']);
    expect(json.running.env.PATH).toBe(json.configured.env.PATH);
  });
});

describe('detect: drift, duplicates and bad input (Ubuntu node)', () => {
  const node = withTestNode('kubeadm-ubuntu');

  it('env file changed since kubelet started: uses the running argv and names the differing flags', async () => {
    await node.sh(
      `sed -i 's|"$| --max-pods=200"|; s|"\\(.*\\)--max-pods=200""|"\\1--max-pods=200"|' ` +
        `/var/lib/kubelet/kubeadm-flags.env`,
    );
    const { json } = await kubesupJson(node, ['detect']);
    expect(json.argv).toEqual(EXPECTED['kubeadm-ubuntu'].argv);
    expect(json.configured.argv).toContain('--max-pods=200');
    expect(json.warnings.some((w: string) => w.includes('differs') && w.includes('--max-pods'))).toBe(true);
    expect(json.flags.every((f: { source: string }) => !f.source.startsWith('running process'))).toBe(true);
  });

  it('two kubelets: a warning naming both pids', async () => {
    const mainPid = (await node.sh('systemctl show -p MainPID --value kubelet')).trim();
    await node.sh(
      'setsid /usr/bin/kubelet --config=/nonexistent >/dev/null 2>&1 < /dev/null & echo $! > /run/second-kubelet',
    );
    try {
      const second = (await node.sh('cat /run/second-kubelet')).trim();
      const { json } = await kubesupJson(node, ['detect']);
      const w = json.warnings.find((x: string) => x.includes('kubelet processes are running'));
      expect(w).toContain(mainPid);
      expect(w).toContain(second);
      expect(json.running.pid).toBe(Number(mainPid));
    } finally {
      await node.sh('kill $(cat /run/second-kubelet)');
    }
  });

  it('not root: still the command line, with what could not be read said', async () => {
    const r = await node.exec(await kubesupArgvAsNobody(node, 'detect', '--json'));
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.argv).toEqual(EXPECTED['kubeadm-ubuntu'].argv);
    expect(json.warnings[0]).toMatch(/not running as root/);
    expect(json.warnings.some((w: string) => /environ/.test(w))).toBe(true);
    expect(json.running.env).toBeNull();
  });

  it('a malformed supervisord config is a warning, not a crash', async () => {
    await node.sh("printf 'garbage line\\n[program:x]\\ncommand\\n' > /etc/supervisor/conf.d/broken.conf");
    try {
      const { exitCode, json } = await kubesupJson(node, ['detect']);
      expect(exitCode).toBe(0);
      expect(json.warnings).toContain('/etc/supervisor/conf.d/broken.conf:1: text before any [section]');
      expect(json.warnings).toContain('/etc/supervisor/conf.d/broken.conf:3: not a "key = value" line: command');
    } finally {
      await node.sh('rm /etc/supervisor/conf.d/broken.conf');
    }
  });

  it('a unit without ExecStart and no kubelet running: exit 1, one line, JSON still says why', async () => {
    await node.sh(
      'systemctl stop kubelet && mkdir -p /etc/systemd/system/kubelet.service.d && printf ' +
        "'[Service]\\nExecStart=\\n' > /etc/systemd/system/kubelet.service.d/99-broken.conf",
      { timeoutMs: 30_000 },
    );
    const r = await kubesup(node, ['detect']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'kubesup-tui: no kubelet command line found: no kubelet process runs and kubelet.service has no usable ' +
        'ExecStart=\n',
    );
    expect(r.stdout).toContain('kubelet.service has no ExecStart= (after drop-ins)');
    const j = await kubesupJson(node, ['detect']);
    expect(j.json).toMatchObject({ argv: [], running: null, configured: null });
  });

  it('no kubelet anywhere: exit 1', async () => {
    await node.sh(
      'rm -rf /etc/systemd/system/kubelet.service.d /usr/lib/systemd/system/kubelet.service ' +
        '/usr/lib/systemd/system/kubelet.service.d',
    );
    const r = await kubesup(node, ['detect']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('detect --unit: another critical unit (containerd on the reference node)', () => {
  const node = withTestNode('kubekey-centos7');

  it(`its process, the limits and OOM score systemd gave it, what carries each setting, \
and its socket as health`, async () => {
    // containerd's upstream unit, with a drop-in's limits; the stand-in systemd applies them as systemd does.
    // (LimitNPROC=infinity left out: this host caps it, and systemd would fail the start, as the stand-in does.)
    await node.sh(`
      cp /bin/sleep /usr/local/bin/containerd
      mkdir -p /etc/containerd /etc/systemd/system/containerd.service.d
      printf 'version = 2\\n[grpc]\\n  address = "/run/k8s/containerd.sock"\\n' > /etc/containerd/config.toml
      printf '%s\\n' '[Unit]' 'After=network.target local-fs.target' '[Service]' \\
        'ExecStartPre=-/bin/true' 'ExecStart=/usr/local/bin/containerd infinity' 'Type=notify' \\
        'Delegate=yes' 'KillMode=process' 'Restart=always' 'RestartSec=5' \\
        'LimitCORE=infinity' 'TasksMax=infinity' 'OOMScoreAdjust=500' > /etc/systemd/system/containerd.service
      printf '[Service]\\nLimitNOFILE=4096:8192\\n' > /etc/systemd/system/containerd.service.d/limits.conf
      systemctl daemon-reload && systemctl start containerd`);
    await node.waitFor('[ "$(systemctl show -p MainPID --value containerd)" -gt 0 ]');
    const pid = Number((await node.sh('systemctl show -p MainPID --value containerd')).trim());

    const { json } = await kubesupJson(node, ['detect', '--unit', 'containerd']);
    expect(json).toMatchObject({
      unit: 'containerd.service',
      program: 'containerd',
      argv: ['/usr/local/bin/containerd', 'infinity'],
      running: { pid, managedBy: 'systemd', run: { oomScoreAdj: 500 } },
      health: { kind: 'socket', path: '/run/k8s/containerd.sock' },
      refusal: null,
    });
    // What /proc shows of the process is what would be carried.
    expect(json.running.run.limits.nofile).toEqual({ soft: 4096, hard: 8192 });
    expect(json.carry.run.limits).toContainEqual({
      resource: 'nofile',
      setting: 'LimitNOFILE',
      soft: 4096,
      hard: 8192,
    });
    expect(json.carry.oomScoreAdjust).toBe(500);
    expect(json.warnings).toContain(
      'containerd.service: Delegate=yes is not carried: no cgroup subtree is delegated to it',
    );

    const text = await kubesup(node, ['detect', '--unit', 'containerd']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('LimitNOFILE: prlimit --nofile=4096:8192 in the wrapper');
    expect(text.stdout).toContain(
      'KillMode=process: stopasgroup=false, killasgroup=false (its children outlive a stop',
    );
    expect(text.stdout).toContain('health     /run/k8s/containerd.sock accepts a connection');

    // sshd and supervisord's own unit are never moved: a one-line reason, exit 1.
    const refused = await kubesup(node, ['detect', '--unit', 'supervisord']);
    expect(refused.stdout).toContain("MIGRATION REFUSED: supervisord.service is supervisord's own unit");
    // (A name no package installs: the node's /usr is this machine's, which may have etcd's unit.)
    const missing = await kubesup(node, ['detect', '--unit', 'no-such-store']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe('kubesup-tui: no unit no-such-store.service on this node\n');
  });
});
