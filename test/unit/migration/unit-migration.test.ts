// Any critical unit moved under supervisord and back, on a node in memory: containerd beside kubelet.
import { describe, expect, it } from 'vitest';
import { journalPath, readJournal } from '../../../src/core/migration/journal/journal.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { TOOL_DIR } from '../../../src/core/migration/plan/tool-copy.js';
import { beginMigration, openSession, rollBack } from '../../../src/core/migration/session.js';
import { CONTAINERD_ARGV, CONTAINERD_CGROUP, nodeWithContainerd } from '../../helpers/containerd-node.js';
import { fakeNode, planOn, SINGLE_FILE } from '../../helpers/fake-host/index.js';

const systemFiles = (node: ReturnType<typeof fakeNode>) => ({
  ...node.files.snapshot('/etc'),
  ...node.files.snapshot('/usr'),
  ...node.files.snapshot('/lib'),
});

const plan = (node: ReturnType<typeof fakeNode>) =>
  planForNode(node.host, { program: 'containerd', unit: 'containerd.service', tool: 'kubesup-tui test' });

describe('migrate --unit containerd (reference node)', () => {
  it('plans its own wrapper, program, boot order and face; its children kept alive at a stop', async () => {
    const p = await plan(nodeWithContainerd());
    const files = Object.fromEntries(p.files.map((f) => [f.path, f]));
    expect(Object.keys(files)).toEqual([
      '/etc/kubesup-tui/containerd.sh',
      '/etc/supervisord.d/containerd.ini',
      '/etc/systemd/system/supervisord.service.d/51-kubesup-tui-containerd.conf',
      '/etc/kubesup-tui/containerd-systemd.sh',
      '/etc/systemd/system/containerd.service.d/zz-kubesup-tui-face.conf',
    ]);
    expect(files['/etc/kubesup-tui/containerd.sh']?.content).toContain('prlimit --pid $$ --nofile=1048576:1048576');
    expect(files['/etc/supervisord.d/containerd.ini']?.content).toMatch(/priority=5\n[\s\S]*/);
    expect(files['/etc/supervisord.d/containerd.ini']?.content).toContain('stopasgroup=false\nkillasgroup=false');
    const dropIn = files['/etc/systemd/system/supervisord.service.d/51-kubesup-tui-containerd.conf']?.content;
    expect(dropIn).toContain('After=network.target local-fs.target');
    expect(dropIn).toContain('KillMode=process');
    expect(p.service).toMatchObject({
      unit: 'containerd.service',
      health: { kind: 'socket', path: '/run/containerd/containerd.sock' },
    });
    expect(p.steps.map((s) => s.id)).toContain('stop-containerd');
    // The face stays enabled as the unit was: nothing disabled, nothing masked.
    expect(p.steps.map((s) => s.id)).not.toContain('disable');
    expect(p.steps.map((s) => s.id)).not.toContain('mask');
    expect(p.service).toMatchObject({ face: true, mask: false });
    expect(p.carried).toContain(
      'KillMode=process: stopasgroup=false, killasgroup=false (its children outlive a stop, as under systemd)',
    );
  });

  it('migrates with a journal of its own, then rolls back byte for byte; kubelet is not touched', async () => {
    const node = nodeWithContainerd();
    const before = systemFiles(node);
    const kubeletPids = node.procs.named('kubelet');
    const result = await beginMigration(node.host, await plan(node), () => undefined, { verifyTimeoutMs: 5000 });
    expect(result).toMatchObject({ ok: true, rolledBack: false });
    const supervised = node.supervisord.groups.get('containerd')?.pid ?? 0;
    expect(node.procs.table.get(supervised)?.argv).toEqual(CONTAINERD_ARGV);
    expect(node.procs.named('containerd')).toEqual([supervised]);
    // Active as the face of the supervised containerd, running no containerd of its own.
    expect(node.systemd.isActive('containerd.service')).toBe(true);
    expect(node.procs.named('kubelet')).toEqual(kubeletPids);
    expect((await readJournal(node.files, 'containerd.service'))?.state).toBe('migrated');
    expect(await readJournal(node.files)).toBeNull();
    expect(journalPath('containerd.service')).toBe('/var/lib/kubesup-tui/units/containerd.service/journal.json');
    expect((await openSession(node.host, 'containerd.service')).kind).toBe('migrated');

    const journal = await readJournal(node.files, 'containerd.service');
    const undone = await rollBack(node.host, journal!, () => undefined);
    expect(undone.ok).toBe(true);
    expect(undone.archived).toMatch(
      /^\/var\/lib\/kubesup-tui\/units\/containerd.service\/journal-.*-rolled-back\.json$/,
    );
    expect(systemFiles(node)).toEqual(before);
    expect(node.systemd.isActive('containerd.service')).toBe(true);
    expect(node.supervisord.groups.has('containerd')).toBe(false);
  });

  it('after kubelet: containerd is its own program, beside [program:kubelet], which stays as it is', async () => {
    const node = nodeWithContainerd();
    expect((await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 })).ok).toBe(
      true,
    );
    const kubelet = node.supervisord.groups.get('kubelet')?.pid;
    const result = await beginMigration(node.host, await plan(node), () => undefined, { verifyTimeoutMs: 5000 });
    expect(result).toMatchObject({ ok: true });
    expect(node.supervisord.groups.get('kubelet')?.pid).toBe(kubelet);
    expect(node.supervisord.groups.has('containerd')).toBe(true);
  });

  it("the tool's copy stays while another moved unit's wrapper runs it; the last rollback takes it", async () => {
    const node = nodeWithContainerd();
    node.files.put('/usr/local/bin/kubesup-tui', 'the tool\n', 0o755);
    const copy = `${TOOL_DIR}/kubesup-tui`;
    const ok = { verifyTimeoutMs: 5000 };
    expect((await beginMigration(node.host, await planOn(node, SINGLE_FILE), () => undefined, ok)).ok).toBe(true);
    const containerd = await planForNode(node.host, {
      program: 'containerd',
      unit: 'containerd.service',
      tool: 'kubesup-tui test',
      self: SINGLE_FILE,
    });
    expect((await beginMigration(node.host, containerd, () => undefined, ok)).ok).toBe(true);
    const journalOf = async (unit: string) => (await readJournal(node.files, unit))!;
    await rollBack(node.host, await journalOf('kubelet.service'), () => undefined);
    expect(node.files.text(copy)).toBe('the tool\n');
    await rollBack(node.host, await journalOf('containerd.service'), () => undefined);
    expect(await node.files.exists(copy)).toBe(false);
  });

  it(`a socket that does not answer under supervisord fails verify; rolled back, \
it answers under systemd again`, async () => {
    const node = nodeWithContainerd();
    const before = systemFiles(node);
    // The supervised containerd never opens its socket (systemd's, in containerd.service's cgroup, did).
    node.listening = () =>
      node.procs.named('containerd').some((pid) => node.procs.table.get(pid)?.cgroup === CONTAINERD_CGROUP);
    const p = await plan(node);
    const result = await beginMigration(node.host, p, () => undefined, { verifyTimeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(result.error).toMatch(/\/run\/containerd\/containerd.sock accepts a connection: no \(connection refused\)/);
    expect(systemFiles(node)).toEqual(before);
  });
});

describe('units that are refused', () => {
  it.each([
    ['sshd.service', /the node is reached through it/],
    ['supervisord.service', /supervisord's own unit/],
  ])('%s: no plan, the reason in one line', async (unit, why) => {
    await expect(planForNode(fakeNode('kubekey-centos7').host, { program: 'x', unit, tool: 't' })).rejects.toThrow(why);
  });
});
