// A supervisord that stops answering in the middle of a migration (SIGSTOP at the add step): every wait is
// bounded, and whatever happens exactly one kubelet runs once supervisord wakes, never two.
import { describe, expect, it } from 'vitest';
import type { ConnectOptions, RpcValue } from '../../../src/core/host.js';
import type { MigrationEvent } from '../../../src/core/migration/apply/apply.js';
import { LET_GO_MS } from '../../../src/core/migration/apply/supervisor-hold.js';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import { beginMigration, openSession, rollBack } from '../../../src/core/migration/session.js';
import { type FakeNode, fakeNode, planOn } from '../../helpers/fake-host/index.js';

function kubelets(node: FakeNode): string[] {
  return node.procs
    .named('kubelet')
    .map((pid) => (node.procs.table.get(pid)?.ppid === node.supervisord.pid ? 'supervisord' : 'systemd'));
}

/** Migrates, freezing supervisord as the add step starts, for `ms` (or for good). */
async function migrateFreezingAtAdd(node: FakeNode, ms = Number.POSITIVE_INFINITY) {
  const events: MigrationEvent[] = [];
  const started = node.clock.now();
  const result = await beginMigration(
    node.host,
    await planOn(node),
    (e) => {
      events.push(e);
      if (e.type === 'step-start' && e.step.kind === 'supervisor-add') {
        node.supervisord.frozen = true;
        node.supervisord.thawAt = node.clock.now() + ms;
      }
    },
    { verifyTimeoutMs: 5000 },
  );
  return { result, events, tookMs: node.clock.now() - started };
}

describe('supervisord frozen at the add step', () => {
  it("for 45 s: the rollback waits for it, makes it let go, then starts systemd's kubelet: one kubelet", async () => {
    const node = fakeNode('kubekey-centos7');
    const { result, events } = await migrateFreezingAtAdd(node, 45_000);
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(result.error).toMatch(/did not answer supervisor\.addProcessGroup within 30 s/);
    // The add it held was carried out when it woke, then undone.
    expect(node.supervisord.groups.has('kubelet')).toBe(false);
    expect(kubelets(node)).toEqual(['systemd']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'rollback-done', ok: true }));
    expect((await openSession(node.host)).kind).toBe('fresh');
  });

  it(`for good: after ${LET_GO_MS / 1000} s the rollback stops, leaves kubelet to supervisord and says so; \
systemd's is not started, so one kubelet runs once it wakes; rollback then finishes`, async () => {
    const node = fakeNode('kubekey-centos7');
    const { result, events, tookMs } = await migrateFreezingAtAdd(node);
    expect(result).toMatchObject({ ok: false, rolledBack: false });
    expect(tookMs).toBeLessThanOrEqual(30_000 + LET_GO_MS + 10_000);
    const left = events.find((e) => e.type === 'rollback-step' && !e.ok);
    expect(left).toMatchObject({
      title: 'supervisord: stop and remove [program:kubelet]',
      detail: expect.stringMatching(
        new RegExp(
          String.raw`^supervisord did not let go of \[program:kubelet\] within 60 s \(.*\): kubelet is left to ` +
            String.raw`supervisord \(no process of it runs now; supervisord may start it when it answers\); ` +
            String.raw`systemd's kubelet\.service was not started`,
        ),
      ),
    });
    // Nothing else was undone: the unit stays disabled and stopped, the program file stays.
    expect(node.systemd.isActive('kubelet.service')).toBe(false);
    expect(await node.files.exists('/etc/supervisord.d/kubelet.ini')).toBe(true);
    expect((await readJournal(node.files))?.state).toBe('failed');

    node.supervisord.thaw();
    expect(kubelets(node)).toEqual(['supervisord']);
    const journal = await readJournal(node.files);
    const undone = await rollBack(node.host, journal!, () => undefined);
    expect(undone.ok).toBe(true);
    expect(kubelets(node)).toEqual(['systemd']);
  });

  it('still stopping past stopwaitsecs: its process group is killed, then removed: one kubelet', async () => {
    const node = fakeNode('kubekey-centos7');
    const result = await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 });
    expect(result.ok).toBe(true);
    const program = node.supervisord.groups.get('kubelet')!;
    const pid = program.pid;
    // A kubelet that ignores SIGTERM, and a supervisord whose own SIGKILL did not end it (stuck in D state).
    const host = {
      ...node.host,
      connect: (o: ConnectOptions) => {
        const c = node.host.connect(o);
        return {
          ...c,
          call: async (method: string, params?: readonly RpcValue[], timeoutMs?: number) => {
            if (method !== 'supervisor.stopProcess') return c.call(method, params, timeoutMs);
            (program as { state: string }).state = 'STOPPING';
            throw new Error(`supervisord did not answer supervisor.stopProcess within ${(timeoutMs ?? 0) / 1000} s`);
          },
        };
      },
    };
    const killed: string[][] = [];
    node.systemd.programs.set('kill', (args) => {
      killed.push([...args]);
      node.procs.kill(pid);
      program.state = 'STOPPED';
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    const undone = await rollBack(host, (await readJournal(node.files))!, () => undefined);
    expect(undone.ok).toBe(true);
    expect(killed).toEqual([['-KILL', '--', `-${pid}`]]);
    expect(node.supervisord.groups.has('kubelet')).toBe(false);
    expect(kubelets(node)).toEqual(['systemd']);
  });
});
