// The real containerd, with a running container, and the real etcd, with TLS client certificates and data, moved
// under supervisord and back on a real systemd 252 (PID 1 under systemd-nspawn): what the stand-in systemd
// cannot prove. Their READY=1 honoured, by systemd and by kubesup-agent once supervised (a reboot's included).
// A masked unit loses its KillMode= at the next reload, so a containerd stopped after its mask would be stopped as
// control-group, its shim (the container) with it; supervisor.service's own stop must leave the shims too; a
// reboot brings containerd back under supervisord. etcd's key is kept.
// Each unit stays as the face of its supervised program: systemctl restart, try-restart, deb-systemd-invoke, stop
// and start act on it there (containerd's keeping its KillMode=process: the container lives on), and
// journalctl -u shows its lines.
import { describe, expect, it } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import {
  CONTAINERD_COMMANDS,
  containerdAnswers,
  containerTask,
  downRemovingContainer,
  layOutContainerd,
  missingRealContainerd,
  shimOf,
  startContainer,
  stopContainer,
  type Task,
  testCgroupParent,
  WRITABLE_CGROUP_CONTROLLERS,
} from '../helpers/real-containerd.js';
import { copyCommandsInto } from '../helpers/real-daemons.js';
import { requirePackage, withNode } from '../helpers/with-test-node.js';
import { active, cursorNow, runOf, saidReady } from './daemon-checks.js';
import { missingSystemdPrerequisite, SystemdNode } from './systemd-node.js';

describe('the real containerd with a running container on real systemd (kubeadm-ubuntu)', () => {
  const cgroupParent = testCgroupParent();
  let container: Task = { pid: 0, status: '' };
  let shim = 0;
  const node = withNode(
    'kubeadm-ubuntu',
    async () => downRemovingContainer(await SystemdNode.up('kubeadm-ubuntu', { containers: true }), cgroupParent),
    async (n) => {
      copyCommandsInto(n.root, CONTAINERD_COMMANDS);
      await n.sh(WRITABLE_CGROUP_CONTROLLERS);
      container = await layOutContainerd(n, '/usr/local/lib/systemd/system', cgroupParent);
      shim = await shimOf(n, container.pid);
      await n.waitFor('supervisorctl status >/dev/null', 30_000);
    },
    () => requirePackage(missingSystemdPrerequisite() ?? missingRealContainerd()),
  );
  const containerLivesOn = async () => {
    expect(await containerTask(node)).toEqual({ pid: container.pid, status: 'RUNNING' });
    expect(await shimOf(node, container.pid)).toBe(shim);
  };
  let before = '';

  it("systemd started it as Type=notify (its READY=1 came) and the shim lives in containerd's cgroup", async () => {
    expect(shim).toBeGreaterThan(0);
    expect(await node.sh('systemctl show -p Type,ActiveState,SubState containerd')).toBe(
      'Type=notify\nActiveState=active\nSubState=running\n',
    );
    expect(await node.sh(`grep name=systemd /proc/${shim}/cgroup`)).toMatch(/\/system.slice\/containerd.service$/m);
  });

  it('migrate --unit containerd --yes: supervised, and ctr task ls lists the same container running', async () => {
    before = await snapshot(node);
    const underSystemd = await runOf(node, (await node.sh('systemctl show -p MainPID --value containerd')).trim());
    const r = await kubesup(node, ['migrate', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const pid = (await node.sh('pgrep -x containerd')).trim();
    expect(await node.sh(`ps -o comm= -p $(ps -o ppid= -p ${pid})`)).toMatch(/supervisord/);
    expect(await runOf(node, pid)).toBe(underSystemd);
    // Its READY=1 went to kubesup-agent's NOTIFY_SOCKET, and verify waited for it.
    expect(r.stdout).toMatch(/verify: .*: ok \(containerd RUNNING as pid \d+, READY=1 said, /);
    await saidReady(node, 'containerd');
    await containerLivesOn();
    // containerd.service stays as the face of the supervised containerd, and says so.
    expect(await active(node, 'containerd')).toBe('active');
    await node.waitFor(`journalctl -u containerd.service -o cat --no-pager | grep -q 'under supervisord (pid ${pid})'`);
    expect(await node.sh('systemctl status --no-pager -n 0 containerd || true')).toMatch(
      /containerd\.service - containerd under supervisord/,
    );
    expect(await node.sh('systemctl show -p KillMode --value containerd')).toBe('process\n');
  });

  /** The one supervised containerd after `command` (exit 0), a new one; the container and its shim alive. */
  async function restartedBy(command: string): Promise<string> {
    const old = (await node.sh('pgrep -x containerd')).trim();
    const r = await node.exec(['bash', '-c', command]);
    expect(r.exitCode, `${command}: ${r.stderr}`).toBe(0);
    await containerdAnswers(node);
    const now = (await node.sh('pgrep -x containerd')).trim();
    expect(now.split('\n')).toHaveLength(1);
    expect(now).not.toBe(old);
    expect(await node.sh('supervisorctl pid containerd')).toBe(`${now}\n`);
    expect(await active(node, 'containerd')).toBe('active');
    await containerLivesOn();
    return now;
  }

  it(`systemctl restart containerd exits 0: one supervised containerd, the container and its shim alive; \
journalctl -u containerd has its lines`, async () => {
    expect(await node.sh(`grep name=systemd /proc/${shim}/cgroup`)).toMatch(/\/system.slice\/containerd.service$/m);
    const cursor = await cursorNow(node);
    await restartedBy('systemctl restart containerd');
    // Its first lines after the start, as containerd.service's, under its name.
    await node.waitFor(
      `journalctl -u containerd.service --after-cursor='${cursor}' -o cat --no-pager | ` +
        `grep -q 'msg="containerd successfully booted'`,
      30_000,
    );
    expect(
      await node.sh(
        `journalctl -u containerd.service --after-cursor='${cursor}' -o verbose --no-pager | ` +
          `grep -m 1 'SYSLOG_IDENTIFIER=containerd'`,
      ),
    ).toMatch(/SYSLOG_IDENTIFIER=containerd/);
  });

  it('try-restart and deb-systemd-invoke restart (a package upgrade) do the same; start leaves it alone', async () => {
    await restartedBy('systemctl try-restart containerd.service');
    const pid = await restartedBy('deb-systemd-invoke restart containerd.service');
    expect((await node.exec(['systemctl', 'start', 'containerd.service'])).exitCode).toBe(0);
    expect((await node.sh('pgrep -x containerd')).trim()).toBe(pid);
  });

  it('systemctl stop containerd stops the supervised one, the container alive; start brings it back', async () => {
    expect((await node.exec(['systemctl', 'stop', 'containerd'])).exitCode).toBe(0);
    await node.waitFor('supervisorctl status containerd | grep -q STOPPED && ! pgrep -x containerd', 30_000);
    expect(await active(node, 'containerd')).not.toBe('active');
    expect(await shimOf(node, container.pid)).toBe(shim);
    expect((await node.exec(['systemctl', 'start', 'containerd'])).exitCode).toBe(0);
    await containerdAnswers(node);
    await containerLivesOn();
  });

  it('supervisorctl restart containerd, systemctl restart supervisor: the container lives on', async () => {
    await node.sh('supervisorctl restart containerd');
    await containerdAnswers(node);
    await saidReady(node, 'containerd');
    await containerLivesOn();
    await node.sh('systemctl restart supervisor.service');
    await node.waitFor('supervisorctl status containerd | grep -q RUNNING', 30_000);
    await containerdAnswers(node);
    await saidReady(node, 'containerd');
    await containerLivesOn();
  });

  it('reboot: containerd back under supervisord, and a container started again is served by it', async () => {
    // No container outlives a reboot; as a drained node would, it is stopped first (as PID 1 of its namespace
    // it ignores the shutdown's SIGTERM, and would hold the shutdown up until the stop timeout).
    await stopContainer(node);
    // supervisord's unit ordered after the runtime, as kubelet's migration orders it (kubelet's boot order).
    const afterRuntime = '/etc/systemd/system/supervisor.service.d/00-after-runtime.conf';
    await node.sh(`printf '[Unit]\\nAfter=containerd.service\\n' > ${afterRuntime}; systemctl daemon-reload`);
    await node.reboot();
    await node.waitFor('supervisorctl status containerd | grep -q RUNNING', 60_000);
    await containerdAnswers(node);
    // At boot the agent and containerd start together: the wrapper waited for its socket, no READY=1 was lost.
    await saidReady(node, 'containerd');
    expect(await node.sh('grep -c "start: no READY=1" /var/lib/kubesup-tui/agent-state.json || true')).toBe('0\n');
    // Its face started at boot too, first, not ordered after supervisord (no ordering cycle): supervisord, not
    // running yet, started containerd itself when it started.
    await node.waitFor(`[ "$(systemctl is-active containerd)" = active ]`, 30_000);
    expect(await node.sh('journalctl -b --no-pager | grep -ci "ordering cycle" || true')).toBe('0\n');
    expect(await node.sh('journalctl -b -u containerd -o cat --no-pager')).toContain(
      'supervisor.service does not run now: it starts containerd when it starts',
    );
    await node.sh(`rm ${afterRuntime}; systemctl daemon-reload`);
    await node.sh(WRITABLE_CGROUP_CONTROLLERS);
    container = await startContainer(node);
    shim = await shimOf(node, container.pid);
    expect(shim).toBeGreaterThan(0);
    // The new shim was started by the supervised containerd: it lives in supervisor.service's cgroup.
    expect(await node.sh(`grep name=systemd /proc/${shim}/cgroup`)).toMatch(/\/system.slice\/supervisor.service$/m);
    // A reboot of a booted systemd: a shutdown, a boot, and containerd ready; minutes on a loaded machine.
  }, 240_000);

  it('rollback --unit containerd --yes: every file back, under systemd (notify), the same container', async () => {
    const r = await kubesup(node, ['rollback', '--unit', 'containerd', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await snapshot(node)).toBe(before);
    expect(await node.sh('systemctl show -p ActiveState,SubState containerd')).toBe(
      'ActiveState=active\nSubState=running\n',
    );
    await containerdAnswers(node);
    await containerLivesOn();
    // The shim the supervised containerd started moved into containerd.service's cgroup before the drop-in went.
    expect(r.stdout).toContain(
      `rollback: containerd-shim ${shim} moved from supervisor.service's cgroup into containerd.service's (`,
    );
    expect(r.stdout.indexOf('containerd-shim')).toBeLessThan(
      r.stdout.indexOf('remove /etc/systemd/system/supervisor.service.d/51-kubesup-tui-containerd.conf'),
    );
    const unitLines = (await node.sh(`cat /proc/${shim}/cgroup`))
      .split('\n')
      .filter((l) => /^0::|name=systemd/.test(l));
    expect(unitLines.length).toBeGreaterThan(0);
    for (const line of unitLines) expect(line).toMatch(/:\/system.slice\/containerd.service$/);
  });

  it('then an EL-style supervisord (KillMode=control-group) is restarted: the shim it started lives on', async () => {
    // EPEL's unit kills its whole cgroup at a stop: a shim left there would be killed, its container orphaned.
    await node.sh(`mkdir -p /etc/systemd/system/supervisor.service.d
      printf '[Service]\\nKillMode=control-group\\n' > /etc/systemd/system/supervisor.service.d/00-el-style.conf
      systemctl daemon-reload`);
    expect(await node.sh('systemctl show -p KillMode --value supervisor.service')).toBe('control-group\n');
    const supervisord = (await node.sh('systemctl show -p MainPID --value supervisor.service')).trim();
    await node.sh('systemctl restart supervisor.service');
    await node.waitFor('supervisorctl status >/dev/null', 30_000);
    expect((await node.sh('systemctl show -p MainPID --value supervisor.service')).trim()).not.toBe(supervisord);
    await containerdAnswers(node);
    await containerLivesOn();
    await node.sh(`rm /etc/systemd/system/supervisor.service.d/00-el-style.conf
      rmdir --ignore-fail-on-non-empty /etc/systemd/system/supervisor.service.d
      systemctl daemon-reload`);
  });
});
