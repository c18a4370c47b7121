// kubelet migrated, then containerd's migration interrupted: the TUI's resume and rollback act on containerd
// (the unit interrupted), through the same session decision as the CLI, and leave kubelet's journal as it was.
import { describe, expect, it, vi } from 'vitest';
import { createAppServices } from '../../../src/cli/app-services.js';
import { parseCommandLine } from '../../../src/cli/args.js';
import { JOURNAL_PATH, journalPath, readJournal, startJournal } from '../../../src/core/migration/journal/journal.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { beginMigration, resumeDecision, rollbackDecision } from '../../../src/core/migration/session.js';
import { createAppStore } from '../../../src/store/app-store.js';
import { nodeWithContainerd } from '../../helpers/containerd-node.js';
import { type FakeNode, planOn } from '../../helpers/fake-host/index.js';

const CONTAINERD = 'containerd.service';

/**
 * kubelet migrated; containerd's migration journaled and begun, then its process gone. Without an [include] in
 * supervisord.conf at first, kubelet's migration adds the one containerd's program is then found through.
 */
async function kubeletMovedContainerdInterrupted(withInclude = true): Promise<FakeNode> {
  const node = nodeWithContainerd();
  if (!withInclude) {
    const conf = node.files.text('/etc/supervisord.conf') ?? '';
    node.files.put('/etc/supervisord.conf', conf.replace(/^\[include\][^[]*/m, ''));
  }
  const moved = await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 });
  expect(moved.ok).toBe(true);
  await node.clock.advance(60_000);
  const plan = await planForNode(node.host, { program: 'containerd', unit: CONTAINERD, tool: 'kubesup-tui test' });
  await startJournal(node.host, plan);
  expect((await readJournal(node.files, CONTAINERD))?.state).toBe('in-progress');
  return node;
}

async function interruptedStore(node: FakeNode) {
  const store = createAppStore(createAppServices(node.host, parseCommandLine([])), { screen: 'detect' });
  await store.getState().actions.checkInterruption();
  expect(store.getState()).toMatchObject({ screen: 'interrupted' });
  expect(store.getState().interruption?.journal.plan.service.unit).toBe(CONTAINERD);
  return store;
}

describe('the session decision for one unit', () => {
  it('resume: the interrupted unit is resumed; kubelet (migrated) has nothing to resume', async () => {
    const node = await kubeletMovedContainerdInterrupted();
    expect(await resumeDecision(node.host, CONTAINERD)).toMatchObject({ journal: { state: 'in-progress' } });
    expect(await resumeDecision(node.host, 'kubelet.service')).toEqual({
      refused: 'there is no interrupted migration of kubelet.service to resume',
    });
  });

  it('rollback: the newest (containerd) goes at once; kubelet waits for it, saying which', async () => {
    const node = await kubeletMovedContainerdInterrupted(false);
    expect((await readJournal(node.files))?.plan.files.map((f) => f.role)).toContain('supervisor-config');
    expect(await rollbackDecision(node.host, CONTAINERD)).toMatchObject({ journal: { state: 'in-progress' } });
    const kubelet = await rollbackDecision(node.host, 'kubelet.service');
    expect('refused' in kubelet && kubelet.refused).toMatch(/^not now: containerd\.service was moved after kubelet/);
    expect(await rollbackDecision(node.host, 'etcd.service')).toEqual({
      refused: `nothing to roll back: no migration journal at ${journalPath('etcd.service')}`,
    });
  });
});

describe('the TUI on kubelet migrated and containerd interrupted', () => {
  it('its services say kubelet is migrated (the TUI would open on the monitor but for the interruption)', async () => {
    const node = await kubeletMovedContainerdInterrupted();
    expect(await createAppServices(node.host, parseCommandLine([])).kubeletMigrated()).toBe(true);
    expect(await createAppServices(nodeWithContainerd().host, parseCommandLine([])).kubeletMigrated()).toBe(false);
  });

  it('⏎ resumes containerd: it ends under supervisord, kubelet stays as it was', async () => {
    const node = await kubeletMovedContainerdInterrupted();
    const kubeletJournal = node.files.text(JOURNAL_PATH);
    const kubeletPid = node.supervisord.groups.get('kubelet')?.pid;
    const store = await interruptedStore(node);
    store.getState().actions.askResume();
    store.getState().confirm!.run();
    await vi.waitFor(() => expect(store.getState().result).not.toBeNull());
    expect(store.getState()).toMatchObject({ screen: 'done', result: { ok: true } });
    expect((await readJournal(node.files, CONTAINERD))?.state).toBe('migrated');
    expect(node.supervisord.groups.has('containerd')).toBe(true);
    expect(node.files.text(JOURNAL_PATH)).toBe(kubeletJournal);
    expect(node.supervisord.groups.get('kubelet')?.pid).toBe(kubeletPid);
  });

  it('u rolls containerd back, saying so; kubelet stays migrated, its journal untouched', async () => {
    const node = await kubeletMovedContainerdInterrupted();
    const kubeletJournal = node.files.text(JOURNAL_PATH);
    const store = await interruptedStore(node);
    store.getState().actions.askRollback();
    expect(store.getState().confirm?.message).toMatch(/^Roll back: containerd back under systemd/);
    store.getState().confirm!.run();
    await vi.waitFor(() => expect(store.getState().result).not.toBeNull());
    expect(store.getState().result).toMatchObject({ ok: true });
    expect(await readJournal(node.files, CONTAINERD)).toBeNull();
    expect(node.systemd.isActive(CONTAINERD)).toBe(true);
    expect(node.files.text(JOURNAL_PATH)).toBe(kubeletJournal);
    expect((await readJournal(node.files))?.state).toBe('migrated');
    expect(node.supervisord.groups.get('kubelet')?.state).toBe('RUNNING');
  });
});
