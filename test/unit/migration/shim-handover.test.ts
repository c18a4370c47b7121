// containerd rolled back while shims it started under supervisord still hold their containers: they move into
// containerd.service's cgroup before supervisord's KillMode=process drop-in goes, or the drop-in stays and the
// rollback says why. On a hybrid node in memory (test/helpers/fake-host/cgroups.ts).
import { describe, expect, it } from 'vitest';
import type { MigrationEvent } from '../../../src/core/migration/apply/apply.js';
import { movesFor, outlivingChildren } from '../../../src/core/migration/apply/shim-handover.js';
import { findInterruption, interruptionWarning } from '../../../src/core/migration/journal/interruption.js';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { beginMigration, openSession, rollBack } from '../../../src/core/migration/session.js';
import { parseCgroupFile, parseCgroupMounts } from '../../../src/core/systemd/cgroups.js';
import { CONTAINERD_CGROUP, nodeWithContainerd } from '../../helpers/containerd-node.js';
import { hybridCgroup, planOn } from '../../helpers/fake-host/index.js';

const DROP_IN = '/etc/systemd/system/supervisord.service.d/51-kubesup-tui-containerd.conf';
const SHIM = ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'default', '-id', 'box', '-address', 'x.sock'];
/** A shim the supervised containerd started: in supervisord.service's cgroup, but cpu's root (no folder there). */
const UNDER_SUPERVISORD = hybridCgroup('/system.slice/supervisord.service', ['cpu,cpuacct']);

const systemFiles = (node: ReturnType<typeof nodeWithContainerd>) => ({
  ...node.files.snapshot('/etc'),
  ...node.files.snapshot('/usr'),
  ...node.files.snapshot('/lib'),
});

/** containerd migrated, with a shim it started under systemd and one started under supervisord. */
async function migrated() {
  const node = nodeWithContainerd();
  const before = systemFiles(node);
  const fromSystemd = node.procs.spawn(SHIM, { cgroup: CONTAINERD_CGROUP });
  const plan = await planForNode(node.host, { program: 'containerd', unit: 'containerd.service', tool: 'test' });
  expect((await beginMigration(node.host, plan, () => undefined, { verifyTimeoutMs: 5000 })).ok).toBe(true);
  expect(node.files.text(DROP_IN)).toContain('KillMode=process');
  const fromSupervisord = node.procs.spawn(SHIM, { cgroup: UNDER_SUPERVISORD });
  return { node, before, fromSystemd, fromSupervisord };
}

async function rollBackEvents(node: ReturnType<typeof nodeWithContainerd>) {
  const events: MigrationEvent[] = [];
  const result = await rollBack(node.host, (await readJournal(node.files, 'containerd.service'))!, (e) =>
    events.push(e),
  );
  const lines = events.flatMap((e) =>
    e.type === 'rollback-step' ? [`${e.title}: ${e.ok ? 'ok' : `FAILED: ${e.detail}`}`] : [],
  );
  return { ...result, lines };
}

describe('rollback of containerd with shims started under supervisord (hybrid cgroups)', () => {
  it("moves them into containerd.service's cgroup once it runs, then removes the drop-in", async () => {
    const { node, before, fromSystemd, fromSupervisord } = await migrated();
    const migrationCalls = node.systemd.calls.length;
    const { ok, lines } = await rollBackEvents(node);
    expect(ok).toBe(true);
    expect(systemFiles(node)).toEqual(before);
    // Where systemd's containerd keeps its own: its unit's folder in every hierarchy it has one in.
    expect(node.procs.table.get(fromSupervisord)?.cgroup).toBe(
      hybridCgroup('/system.slice/containerd.service', ['cpu,cpuacct']),
    );
    expect(node.cgroups.moves).toEqual([
      `${fromSupervisord} -> /sys/fs/cgroup/pids/system.slice/containerd.service`,
      `${fromSupervisord} -> /sys/fs/cgroup/memory/system.slice/containerd.service`,
      `${fromSupervisord} -> /sys/fs/cgroup/systemd/system.slice/containerd.service`,
      `${fromSupervisord} -> /sys/fs/cgroup/unified/system.slice/containerd.service`,
    ]);
    expect(node.procs.table.get(fromSystemd)?.cgroup).toBe(CONTAINERD_CGROUP);
    const move =
      `containerd-shim ${fromSupervisord} moved from supervisord.service's cgroup into containerd.service's ` +
      '(pids, memory, name=systemd, cgroup v2): ok';
    // In this order: containerd under systemd, its shim moved, and only then the drop-in gone and systemd told.
    const at = (line: string) => lines.indexOf(line);
    expect(at(move)).toBeGreaterThan(at('systemctl start containerd.service: ok'));
    expect(at(`remove ${DROP_IN}: ok`)).toBe(at(move) + 1);
    expect(lines.at(-1)).toBe('systemctl daemon-reload: ok');
    expect(node.systemd.calls.slice(migrationCalls).filter((c) => /daemon-reload|start containerd/.test(c))).toEqual([
      'systemctl daemon-reload',
      'systemctl start containerd.service',
      'systemctl daemon-reload',
    ]);
  });

  it('without shims under supervisord: says so, and removes the drop-in after the start', async () => {
    const { node, before, fromSupervisord } = await migrated();
    node.procs.kill(fromSupervisord);
    const { ok, lines } = await rollBackEvents(node);
    expect(ok).toBe(true);
    expect(systemFiles(node)).toEqual(before);
    expect(lines).toContain("no containerd-shim left in supervisord.service's cgroup: none to move: ok");
    expect(node.cgroups.moves).toEqual([]);
  });

  it('a shim that cannot be moved keeps the drop-in, says why; the next rollback moves it and finishes', async () => {
    const { node, before, fromSupervisord } = await migrated();
    const unified = '/sys/fs/cgroup/unified/system.slice/containerd.service';
    node.cgroups.refuse.set(unified, 'EBUSY: resource busy');
    const first = await rollBackEvents(node);
    expect(first.ok).toBe(false);
    expect(first.lines).toContain(
      `containerd-shim ${fromSupervisord} left in supervisord.service's cgroup: FAILED: EBUSY: resource busy`,
    );
    expect(first.lines).toContain(
      `keep ${DROP_IN} (KillMode=process): FAILED: containerd's shims still live in supervisord.service's cgroup: ` +
        'without this drop-in a restart of supervisord.service would kill their containers; ' +
        'kubesup-tui rollback --yes --unit containerd.service moves them and removes it',
    );
    expect(node.files.text(DROP_IN)).toContain('KillMode=process');
    expect(node.systemd.isActive('containerd.service')).toBe(true);
    expect((await openSession(node.host, 'containerd.service')).kind).toBe('refused');
    // status names it, with the command that finishes it.
    const warning = interruptionWarning((await findInterruption(node.host))!);
    expect(warning).toMatch(/^a rollback of containerd.service did not finish /);
    expect(warning).toMatch(/: finish it with kubesup-tui rollback --yes --unit containerd.service$/);

    node.cgroups.refuse.clear();
    const second = await rollBackEvents(node);
    expect(second.ok).toBe(true);
    expect(second.lines).toContain(`remove ${DROP_IN}: ok`);
    expect(systemFiles(node)).toEqual(before);
    expect(node.cgroups.moves.at(-1)).toBe(`${fromSupervisord} -> ${unified}`);
  });

  it('containerd.service does not start again: the shims have nowhere to go, the drop-in stays', async () => {
    const { node, fromSupervisord } = await migrated();
    node.systemd.failures.set('systemctl start containerd.service', {
      exitCode: 1,
      stdout: '',
      stderr: 'Job for containerd.service failed.',
    });
    const { ok, lines } = await rollBackEvents(node);
    expect(ok).toBe(false);
    expect(lines).toContain(
      `containerd-shim ${fromSupervisord} left in supervisord.service's cgroup: FAILED: ` +
        'containerd.service does not run: they have nowhere to go',
    );
    expect(node.files.text(DROP_IN)).toContain('KillMode=process');
    expect(node.cgroups.moves).toEqual([]);
  });

  it('kubelet has no children that outlive it; containerd has its shims', async () => {
    const node = nodeWithContainerd();
    expect(outlivingChildren(await planOn(node))).toBeNull();
    const plan = await planForNode(node.host, { program: 'containerd', unit: 'containerd.service', tool: 'test' });
    expect(outlivingChildren(plan)).toBe('containerd-shim');
  });
});

describe('where a shim goes', () => {
  const units = { from: 'supervisord.service', to: 'containerd.service' };
  const v2 = parseCgroupMounts('28 22 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n');

  it("cgroup v2 alone: containerd.service's one folder", () => {
    const moves = movesFor(
      parseCgroupFile('0::/system.slice/supervisord.service\n'),
      parseCgroupFile('0::/system.slice/containerd.service\n'),
      v2,
      units,
    );
    expect(moves).toEqual({
      folders: [{ hierarchy: 'cgroup v2', folder: '/sys/fs/cgroup/system.slice/containerd.service' }],
    });
  });

  it('a shim not in supervisord.service (started by systemd, or a container) goes nowhere', () => {
    const target = parseCgroupFile('0::/system.slice/containerd.service\n');
    expect(movesFor(parseCgroupFile('0::/system.slice/containerd.service\n'), target, v2, units)).toEqual({
      folders: [],
    });
    expect(movesFor(parseCgroupFile('0::/kubepods.slice/pod1/x\n'), target, v2, units)).toEqual({ folders: [] });
  });

  it('a hierarchy that is not mounted here: why, and no write at all', () => {
    expect(
      movesFor(
        parseCgroupFile('0::/system.slice/supervisord.service\n'),
        parseCgroupFile('0::/system.slice/containerd.service\n'),
        [],
        units,
      ),
    ).toEqual({ why: 'the cgroup v2 hierarchy is not mounted here' });
  });
});
