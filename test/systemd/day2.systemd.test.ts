// Day 2 on a migrated node, on a real systemd 252 with journald: kubelet.service stays as the face of the
// supervised kubelet, so what operators and package scripts type keeps its meaning.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv, kubesupJson } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { withNode } from '../helpers/with-test-node.js';
import { type SystemdLayout, SystemdNode } from './systemd-node.js';

const CTL: Partial<Record<SystemdLayout, string>> = {
  'kubeadm-ubuntu': 'supervisorctl -c /etc/supervisor/supervisord.conf',
  'kubekey-centos7': 'supervisorctl -c /etc/supervisord.conf',
};
const healthy = 'curl -sf 127.0.0.1:10248/healthz';
const FLAGS = '/var/lib/kubelet/kubeadm-flags.env';
/** Where the layout's package keeps kubelet.service's drop-in (a newer package adds one beside it). */
const PACKAGE_DROP_INS: Partial<Record<SystemdLayout, string>> = {
  'kubeadm-ubuntu': '/usr/lib/systemd/system/kubelet.service.d',
  'kubekey-centos7': '/etc/systemd/system/kubelet.service.d',
};

describe.each(['kubeadm-ubuntu', 'kubekey-centos7'] as const)('day 2 on real systemd: %s', (layout) => {
  const ctl = CTL[layout] as string;
  const node = withNode(
    layout,
    () => SystemdNode.up(layout),
    (n) => n.waitFor(`${healthy} && ${ctl} status >/dev/null`, 30_000),
  );
  let before = '';

  /** The one kubelet: its pid, checked to be supervisord's child. */
  async function supervisedKubelet(): Promise<number> {
    const pids = (await node.sh('pgrep -x kubelet || true')).trim().split('\n').filter(Boolean);
    expect(pids, 'exactly one kubelet runs').toHaveLength(1);
    const ppid = (await node.sh(`ps -o ppid= -p ${pids[0]}`)).trim();
    expect(await node.sh(`tr '\\0' ' ' < /proc/${ppid}/cmdline`)).toMatch(/supervisord/);
    return Number(pids[0]);
  }

  /** Runs a command that must exit 0, then waits for one healthy supervised kubelet other than `old`. */
  async function restartedBy(command: string, old: number): Promise<number> {
    const r = await node.exec(['bash', '-c', command]);
    expect(r.exitCode, `${command}: ${r.stderr}`).toBe(0);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${old} ] && ${healthy}`, 60_000);
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'is-active', 'kubelet.service'])).stdout.trim()).toBe('active');
    return pid;
  }

  it('migrate: kubelet.service stays enabled and active, as the face of the supervised kubelet', async () => {
    before = await snapshot(node);
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'is-enabled', 'kubelet.service'])).stdout.trim()).toBe('enabled');
    await node.waitFor(`systemctl status --no-pager -n 20 kubelet.service | grep -q 'under supervisord (pid ${pid})'`);
    const status = await node.exec(['systemctl', 'status', '--no-pager', '-n', '20', 'kubelet.service']);
    expect(status.stdout).toMatch(/kubelet\.service - kubelet under supervisord/);
    expect(status.stdout).toMatch(/Active: active \(running\)/);
    expect(status.stdout).toContain(`kubelet runs under supervisord (pid ${pid})`);
    // The wrapper runs the migration's copy of the tool, not the one it ran from.
    expect(node.readFile('/etc/kubernetes/kubelet.sh')).toContain('/usr/lib/kubesup-tui/tool/');
  });

  it(`journalctl -u kubelet has the supervised kubelet's own lines,\
 with klog's severity as their priority`, async () => {
    const pid = await supervisedKubelet();
    // The stand-in prints a W line every 50 and an E line every 97: 50 lines a second, then each of the three
    // severities reaches the journal as kubelet.service's.
    await node.sh('mkdir -p /run/kubelet-standin && echo 50 > /run/kubelet-standin/log-rate');
    for (const [letter, priority] of [
      ['I', 6],
      ['W', 4],
      ['E', 3],
    ] as const) {
      await node.waitFor(
        `journalctl -u kubelet.service -p ${priority}..${priority} -o cat --no-pager | ` +
          `grep -q '^${letter}[0-9]\\{4\\} .* ${pid} '`,
        30_000,
      );
    }
    await node.sh('echo 1 > /run/kubelet-standin/log-rate');
    // ...and under kubelet's name, as `journalctl -t kubelet` and log shippers look for it.
    expect(await node.sh('journalctl -u kubelet.service -o verbose -n 1 --no-pager')).toMatch(
      /SYSLOG_IDENTIFIER=kubelet/,
    );
  });

  it('systemctl daemon-reload && systemctl restart kubelet restarts the supervised kubelet, and exits 0', async () => {
    const pid = await supervisedKubelet();
    await restartedBy('systemctl daemon-reload && systemctl restart kubelet', pid);
  });

  it(`an upgrade (new binary, flags, package drop-in) is named,\
 and systemctl restart kubelet applies it all`, async () => {
    const pid = await supervisedKubelet();
    const bin = (await node.sh(`readlink /proc/${pid}/exe`)).trim();
    // As a package and kubeadm upgrade do: a new file at the binary's path (a new inode), new flags, a drop-in.
    await node.sh(`cp ${bin} ${bin}.new && mv -f ${bin}.new ${bin}`);
    await node.sh(`sed -i '/^KUBELET_KUBEADM_ARGS=/ s/"$/ --v=4"/' ${FLAGS}`);
    const dropIns = PACKAGE_DROP_INS[layout] as string;
    await node.sh(`printf '[Service]\nEnvironment=KUBESUP_UPGRADED=yes\n' > ${dropIns}/20-upgrade.conf`);
    const drift = (await kubesupJson(node, ['status'])).json.warnings.join('\n');
    expect(drift).toContain(`kubelet runs a binary replaced since it started (${bin} is new)`);
    expect(drift).toMatch(/changed since the migration \(flags --v; environment KUBESUP_UPGRADED\)/);
    expect(drift).toContain('run systemctl restart kubelet.service');

    // The tool the migration ran from is gone (npx's cache cleaned, /tmp at a reboot): the wrapper runs its copy.
    const ran = path.dirname(kubesupArgv().at(-1) as string);
    await node.sh(`mount -t tmpfs -o size=1m gone ${ran}`);
    try {
      const after = await restartedBy('systemctl daemon-reload && systemctl restart kubelet', pid);
      expect((await node.sh(`readlink /proc/${after}/exe`)).trim()).toBe(bin);
      expect(await node.sh(`tr '\\0' '\\n' < /proc/${after}/cmdline`)).toMatch(/^--v=4$/m);
      expect(await node.sh(`tr '\\0' '\\n' < /proc/${after}/environ`)).toMatch(/^KUBESUP_UPGRADED=yes$/m);
      expect(node.readFile('/var/log/kubelet/kubelet.log')).not.toMatch(/cannot compute/);
    } finally {
      await node.sh(`umount ${ran}`);
    }
    expect((await kubesupJson(node, ['status'])).json.warnings.join('\n')).not.toMatch(/replaced|changed since/);
  });

  it(`a unit file that no longer reads: kubelet starts anyway with the last good line,\
 and status says why`, async () => {
    const dropIns = PACKAGE_DROP_INS[layout] as string;
    await node.sh(`printf '[Service]\nEnvironmentFile=/etc/kubernetes/gone.env\n' > ${dropIns}/30-broken.conf`);
    const pid = await restartedBy('systemctl restart kubelet', await supervisedKubelet());
    expect(await node.sh(`tr '\\0' '\\n' < /proc/${pid}/cmdline`)).toMatch(/^--v=4$/m);
    const warnings = (await kubesupJson(node, ['status'])).json.warnings.join('\n');
    expect(warnings).toMatch(/kubelet started with its last good command line: .*gone\.env/);
    expect(node.readFile('/var/log/kubelet/kubelet.log')).toMatch(/cannot compute kubelet's command line .*gone\.env/);
    await node.sh(`rm ${dropIns}/30-broken.conf`);
    await restartedBy('systemctl restart kubelet', pid);
    expect((await kubesupJson(node, ['status'])).json.warnings.join('\n')).not.toMatch(/last good/);
  });

  it('try-restart and deb-systemd-invoke restart do the same; start leaves it alone', async () => {
    const first = await restartedBy('systemctl try-restart kubelet.service', await supervisedKubelet());
    const second = await restartedBy('deb-systemd-invoke restart kubelet.service', first);
    expect((await node.exec(['systemctl', 'start', 'kubelet.service'])).exitCode).toBe(0);
    expect(await supervisedKubelet()).toBe(second);
    // Restarts asked for in a row are not quick exits: the wrapper never paced one.
    expect(node.readFile('/var/log/kubelet/kubelet.log')).not.toMatch(/next try in/);
  });

  it(`systemctl kill kubelet (a health monitor's repair of a hung kubelet) restarts the supervised kubelet; \
the face is back within seconds`, async () => {
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'kill', 'kubelet.service'])).exitCode).toBe(0);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ] && ${healthy}`, 60_000);
    await node.waitFor('systemctl is-active --quiet kubelet.service', 15_000);
    await supervisedKubelet();
    const journal = await node.sh('journalctl -u kubelet.service -o cat --no-pager | grep "was killed" | tail -1');
    expect(journal).toMatch(/kubelet\.service was killed \(SIGTERM\): supervisorctl restart kubelet: .*started/);
  });

  it('systemctl stop kubelet stops it in supervisord (which leaves it stopped); start brings it back', async () => {
    const pid = await supervisedKubelet();
    expect((await node.exec(['systemctl', 'stop', 'kubelet.service'])).exitCode).toBe(0);
    await node.waitFor(`! kill -0 ${pid} 2>/dev/null`, 30_000);
    // STOPPED is not restarted by supervisord (autorestart acts on exits it did not ask for).
    await node.waitFor(`${ctl} status kubelet | grep -q STOPPED && ! pgrep -x kubelet`, 10_000);
    expect((await node.exec(['systemctl', 'is-active', 'kubelet.service'])).stdout.trim()).not.toBe('active');
    await restartedBy('systemctl start kubelet.service', pid);
  });

  it('reboot: one supervised kubelet, and kubelet.service active again as its face', async () => {
    await node.reboot();
    await node.waitFor(`${healthy} && systemctl is-active -q kubelet.service`, 60_000);
    await supervisedKubelet();
    // A bound, not an expectation: a shutdown and a boot on a loaded two-core machine.
  }, 240_000);

  it('rollback keeps what the upgrade changed: kubelet under systemd with the new flags and drop-in', async () => {
    const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const dropIn = `${PACKAGE_DROP_INS[layout]}/20-upgrade.conf`;
    // Every file and link as before the migration, but for what the upgrade changed since (left as it is).
    const changed = (line: string) => line.startsWith(`${FLAGS} `) || line.startsWith(`${dropIn} `);
    const now = await snapshot(node);
    expect(now.split('\n').filter((l) => !changed(l))).toEqual(before.split('\n').filter((l) => !changed(l)));
    expect(now).toContain(`${dropIn} `);
    await node.waitFor(healthy, 30_000);
    const main = (await node.sh('systemctl show -p MainPID --value kubelet.service')).trim();
    expect((await node.sh('pgrep -x kubelet')).trim()).toBe(main);
    expect(await node.sh(`tr '\\0' '\\n' < /proc/${main}/cmdline`)).toMatch(/^--v=4$/m);
    expect(await node.sh(`tr '\\0' '\\n' < /proc/${main}/environ`)).toMatch(/^KUBESUP_UPGRADED=yes$/m);
  });
});
