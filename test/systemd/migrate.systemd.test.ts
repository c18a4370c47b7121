// The migration on a real systemd 252 (Debian bookworm) booted as PID 1 under systemd-nspawn, for every layout
// that has supervisor installed: what the stand-in node cannot show (enable links, KillMode=, a real reboot).
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { skipSystemdNode, withNode } from '../helpers/with-test-node.js';
import { SYSTEMD_LAYOUTS, type SystemdLayout, SystemdNode } from './systemd-node.js';

const SUPERVISOR_UNIT: Record<SystemdLayout, string> = {
  'kubekey-centos7': 'supervisord.service',
  'kubeadm-ubuntu': 'supervisor.service',
  'kubespray-debian': 'supervisor.service',
};
const CTL: Record<SystemdLayout, string> = {
  'kubekey-centos7': 'supervisorctl -c /etc/supervisord.conf',
  'kubeadm-ubuntu': 'supervisorctl',
  'kubespray-debian': 'supervisorctl',
};
const ENV_FILE: Record<SystemdLayout, string> = {
  'kubekey-centos7': '/var/lib/kubelet/kubeadm-flags.env',
  'kubeadm-ubuntu': '/var/lib/kubelet/kubeadm-flags.env',
  'kubespray-debian': '/etc/kubernetes/kubelet.env',
};
const MAIN_LOG = '/var/log/supervisor/supervisord.log';
/** Variables systemd sets per invocation: they differ between any two starts. */
const PER_INVOCATION = new Set(['INVOCATION_ID', 'JOURNAL_STREAM', 'SYSTEMD_EXEC_PID']);

interface Kubelet {
  readonly pid: number;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly limits: string;
  readonly oomScoreAdj: string;
  readonly parent: string;
}

async function theKubelet(node: SystemdNode): Promise<Kubelet> {
  const pids = (await node.sh('pgrep -x kubelet || true')).trim().split('\n').filter(Boolean);
  expect(pids, 'exactly one kubelet runs').toHaveLength(1);
  const pid = Number(pids[0]);
  const read = (f: string) => node.sh(`cat /proc/${pid}/${f} | tr '\\0' '\\n'`);
  const env = Object.fromEntries(
    (await read('environ'))
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const ppid = (await node.sh(`ps -o ppid= -p ${pid}`)).trim();
  const parent = (await node.sh(`tr '\\0' ' ' < /proc/${ppid}/cmdline`)).trim();
  const argv = (await read('cmdline')).split('\n').slice(0, -1);
  return { pid, argv, env, limits: await read('limits'), oomScoreAdj: (await read('oom_score_adj')).trim(), parent };
}

const healthy = 'curl -sf 127.0.0.1:10248/healthz';

describe.each(SYSTEMD_LAYOUTS)('on real systemd: %s', (layout) => {
  const unit = SUPERVISOR_UNIT[layout];
  const ctl = CTL[layout];
  const node = withNode(
    layout,
    () => SystemdNode.up(layout),
    (n) => n.waitFor(`${healthy} && ${ctl} status >/dev/null`, 30_000),
    skipSystemdNode,
  );
  let before = '';
  let underSystemd: Kubelet;

  it('plan changes no file', async () => {
    before = await snapshot(node);
    underSystemd = await theKubelet(node);
    expect(underSystemd.parent).toMatch(/^\/(usr\/)?lib\/systemd\/systemd|^\/sbin\/init/);
    const plan = await kubesupJson(node, ['plan']);
    expect(plan.exitCode).toBe(0);
    expect(await snapshot(node)).toBe(before);
  });

  it('migrate: one supervised kubelet with the argv, environment and limits systemd gave it', async () => {
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const k = await theKubelet(node);
    expect(k.parent).toMatch(/supervisord/);
    expect(k.argv).toEqual(underSystemd.argv);
    for (const [name, value] of Object.entries(underSystemd.env)) {
      if (!PER_INVOCATION.has(name)) expect(k.env[name], name).toBe(value);
    }
    expect(k.limits).toBe(underSystemd.limits);
    expect(k.oomScoreAdj).toBe(underSystemd.oomScoreAdj);
    // kubelet.service stays enabled, as the face of the supervised kubelet (its main process forwards the log).
    expect((await node.exec(['systemctl', 'is-enabled', 'kubelet.service'])).stdout.trim()).toBe('enabled');
  });

  it('kill -9, twice: back each time, supervised, one kubelet', async () => {
    for (let i = 0; i < 2; i++) {
      const { pid } = await theKubelet(node);
      await node.sh(`kill -9 ${pid}`);
      await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ] && ${healthy}`, 30_000);
      expect((await theKubelet(node)).parent).toMatch(/supervisord/);
    }
  });

  it('systemctl start leaves the supervised kubelet alone; restart restarts it there: never a second one', async () => {
    const { pid } = await theKubelet(node);
    expect((await node.exec(['systemctl', 'start', 'kubelet.service'])).exitCode).toBe(0);
    expect((await theKubelet(node)).pid).toBe(pid);
    expect((await node.exec(['systemctl', 'restart', 'kubelet.service'])).exitCode).toBe(0);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ] && ${healthy}`, 30_000);
    expect((await theKubelet(node)).parent).toMatch(/supervisord/);
    expect((await node.exec(['systemctl', 'is-active', 'kubelet.service'])).stdout.trim()).toBe('active');
  });

  /**
   * supervisord's log from a stop of its unit to its next start: kubelet was stopped by supervisord itself
   * ("stopped:", asked by SIGTERM on EL, by `supervisorctl shutdown` in Debian's ExecStop=), never killed
   * behind its back ("exited:" before supervisord stopped it: systemd's KillMode=control-group).
   */
  function stoppedBySupervisord(log: string): void {
    const restart = log.indexOf('supervisord started with pid');
    const stopping = restart < 0 ? log : log.slice(0, restart);
    expect(stopping).toMatch(/stopped: kubelet \(exit status 0\)/);
    expect(stopping).not.toMatch(/exited: kubelet/);
  }

  it(`systemctl restart ${unit}: supervisord stops kubelet itself, then one healthy supervised kubelet`, async () => {
    const offset = Number((await node.sh(`stat -c %s ${MAIN_LOG}`)).trim());
    const { pid } = await theKubelet(node);
    await node.sh(`systemctl restart ${unit}`);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ] && ${healthy}`, 30_000);
    expect((await theKubelet(node)).parent).toMatch(/supervisord/);
    stoppedBySupervisord(node.readFile(MAIN_LOG).slice(offset));
  });

  it('reboot: supervisord stops kubelet at shutdown, and one healthy supervised kubelet after boot', async () => {
    const offset = Number((await node.sh(`stat -c %s ${MAIN_LOG}`)).trim());
    await node.reboot();
    await node.waitFor(healthy, 60_000);
    expect((await theKubelet(node)).parent).toMatch(/supervisord/);
    stoppedBySupervisord(node.readFile(MAIN_LOG).slice(offset));
  }, 240_000);

  it(`kill -9 of supervisord: systemd brings it back within 5 s, one supervised kubelet, no orphan`, async () => {
    const supervisord = (await node.sh(`systemctl show -p MainPID --value ${unit}`)).trim();
    const { pid } = await theKubelet(node);
    await node.sh(`kill -9 ${supervisord}`);
    await node.waitFor(
      `p=$(systemctl show -p MainPID --value ${unit}); [ "$p" != 0 ] && [ "$p" != ${supervisord} ] && systemctl ` +
        `is-active -q ${unit}`,
      5_000,
    );
    // The old kubelet does not outlive its supervisord (KillMode=mixed): the new one has its ports.
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ] && ${healthy}`, 30_000);
    expect((await node.exec(['kill', '-0', String(pid)])).exitCode).not.toBe(0);
    expect((await theKubelet(node)).parent).toMatch(/supervisord/);
  });

  it('drift: an edit of the env file is reported, and migrate --yes regenerates from it', async () => {
    const file = ENV_FILE[layout];
    const original = node.readFile(file);
    // kubeadm upgrade rewrites kubeadm-flags.env; kubespray rewrites kubelet.env: here, one flag more or changed.
    const edit = layout === 'kubespray-debian' ? 's/--v=2/--v=4/' : '/^KUBELET_KUBEADM_ARGS=/ s/"$/ --v=4"/';
    await node.sh(`sed -i '${edit}' ${file}`);
    const status = await kubesupJson(node, ['status']);
    expect(status.json.warnings.join('\n')).toMatch(/changed since the migration \(flags --v\)/);
    expect((await kubesup(node, ['migrate', '--yes'], { timeoutMs: 180_000 })).exitCode).toBe(0);
    expect((await theKubelet(node)).argv).toContain('--v=4');
    // Back as it was (same bytes), and regenerated again: the rollback below must find the node as it began.
    await node.exec(['bash', '-c', `cat > ${file}`], { input: original });
    expect((await kubesup(node, ['migrate', '--yes'], { timeoutMs: 180_000 })).exitCode).toBe(0);
    expect((await theKubelet(node)).argv).toEqual(underSystemd.argv);
  });

  it('rollback restores every file and link byte for byte; kubelet active and enabled under systemd', async () => {
    const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode).toBe(0);
    expect(await snapshot(node)).toBe(before);
    await node.waitFor(healthy, 30_000);
    expect((await node.exec(['systemctl', 'is-active', 'kubelet.service'])).stdout.trim()).toBe('active');
    expect((await node.exec(['systemctl', 'is-enabled', 'kubelet.service'])).stdout.trim()).toBe('enabled');
    expect((await theKubelet(node)).parent).toMatch(/^\/(usr\/)?lib\/systemd\/systemd|^\/sbin\/init/);
  });
});
