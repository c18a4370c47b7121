// containerd under supervisord on a real systemd 252 (PID 1 under systemd-nspawn): what the stand-in systemd
// cannot prove. A masked unit loses its KillMode= at the next reload, so a containerd stopped after its mask
// would be stopped as control-group, every shim (every container) with it; supervisor.service's own stop must
// leave the shims too (KillMode=process in its drop-in); a reboot brings containerd back under supervisord.
import { describe, expect, it } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { skipSystemdNode, withNode } from '../helpers/with-test-node.js';
import { SystemdNode } from './systemd-node.js';

// containerd's upstream unit (modprobe left out: a test must not load modules into this machine's kernel),
// limits under this host's caps (no CAP_SYS_RESOURCE: systemd would fail the start above them).
const CONTAINERD_UNIT = `[Unit]
Description=containerd container runtime
After=network.target local-fs.target

[Service]
ExecStartPre=-/bin/true
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNOFILE=4096:8192
LimitCORE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;

const shimPid = async (node: SystemdNode) => Number((await node.sh('pgrep -x containerd-shim || true')).trim() || 0);
const runOf = (node: SystemdNode, pid: string) =>
  node.sh(`cat /proc/${pid}/limits /proc/${pid}/oom_score_adj; tr '\\0' '\\n' < /proc/${pid}/cmdline`);

describe('containerd on real systemd (kubeadm-ubuntu)', () => {
  const node = withNode(
    'kubeadm-ubuntu',
    () => SystemdNode.up('kubeadm-ubuntu'),
    async (n) => {
      await n.sh(`
        install -m 0755 /usr/local/libexec/kubesup-standin/service-standin /usr/local/bin/containerd
        cat > /lib/systemd/system/containerd.service <<'EOF'
${CONTAINERD_UNIT}EOF
        systemctl daemon-reload
        systemctl enable --now containerd.service`);
      await n.waitFor('test -S /run/containerd/containerd.sock && supervisorctl status >/dev/null', 30_000);
    },
    skipSystemdNode,
  );
  let before = '';
  let shim = 0;

  it(`migrate --unit containerd --yes: supervised with the limits systemd gave it; \
the shim lives through the stop`, async () => {
    before = await snapshot(node);
    shim = await shimPid(node);
    expect(shim).toBeGreaterThan(0);
    const underSystemd = await runOf(node, (await node.sh('systemctl show -p MainPID --value containerd')).trim());
    const r = await kubesup(node, ['migrate', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await shimPid(node)).toBe(shim);
    const pid = (await node.sh('pgrep -x containerd')).trim();
    expect(await runOf(node, pid)).toBe(underSystemd);
    expect(await node.sh(`ps -o comm= -p $(ps -o ppid= -p ${pid})`)).toMatch(/supervisord/);
    expect((await node.exec(['systemctl', 'is-active', 'containerd'])).stdout.trim()).not.toBe('active');
  });

  it('systemctl restart supervisor.service: containerd back, the same shim found', async () => {
    await node.sh('systemctl restart supervisor.service');
    await node.waitFor(
      'supervisorctl status containerd | grep -q RUNNING && test -S /run/containerd/containerd.sock',
      30_000,
    );
    expect(await shimPid(node)).toBe(shim);
    expect(await node.sh('tail -n 3 /var/log/containerd/containerd.log')).toContain(
      `found the running shim, pid ${shim}`,
    );
  });

  it('reboot: containerd comes back under supervisord', async () => {
    await node.reboot();
    await node.waitFor(
      'supervisorctl status containerd | grep -q RUNNING && test -S /run/containerd/containerd.sock',
      60_000,
    );
    expect((await node.exec(['systemctl', 'is-active', 'containerd'])).stdout.trim()).not.toBe('active');
    shim = await shimPid(node);
    expect(shim).toBeGreaterThan(0);
  });

  it(`rollback --unit containerd --yes: every file and link as before, containerd under systemd, \
the shim kept`, async () => {
    const r = await kubesup(node, ['rollback', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await snapshot(node)).toBe(before);
    expect((await node.exec(['systemctl', 'is-active', 'containerd'])).stdout.trim()).toBe('active');
    expect(await shimPid(node)).toBe(shim);
  });
});
