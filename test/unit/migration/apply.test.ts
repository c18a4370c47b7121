// apply and rollback on a node in memory: every step, a failure at each step rolled back byte for byte,
// and a run killed between any two steps resumed to the same end.
import { describe, expect, it } from 'vitest';
import type { MigrationEvent } from '../../../src/core/migration/apply/apply.js';
import { JOURNAL_PATH, readJournal } from '../../../src/core/migration/journal/journal.js';
import type { Plan } from '../../../src/core/migration/plan/plan.js';
import { beginMigration, carryOut, rollBack } from '../../../src/core/migration/session.js';
import { FaultCode } from '../../../src/core/supervisor/xmlrpc.js';
import { type FakeLayout, type FakeNode, fakeNode, planOn } from '../../helpers/fake-host/index.js';

/** What a person checks on the node: its files and links under /etc, /usr and /lib. */
const systemFiles = (node: FakeNode) => ({
  ...node.files.snapshot('/etc'),
  ...node.files.snapshot('/usr'),
  ...node.files.snapshot('/lib'),
});

/** The kubelets running, and who runs them. */
function kubelets(node: FakeNode): string[] {
  return node.procs
    .named('kubelet')
    .map((pid) => (node.procs.table.get(pid)?.ppid === node.supervisord.pid ? 'supervisord' : 'systemd'));
}

async function migrate(node: FakeNode, onEvent: (e: MigrationEvent) => void = () => undefined) {
  return beginMigration(node.host, await planOn(node), onEvent, { verifyTimeoutMs: 5000 });
}

describe.each<FakeLayout>(['kubekey-centos7', 'kubeadm-ubuntu'])('migration on %s', (layout) => {
  it('ends with one kubelet, run by supervisord with the same command line, and the unit as its face', async () => {
    const node = fakeNode(layout);
    const events: MigrationEvent[] = [];
    const result = await migrate(node, (e) => events.push(e));
    expect(result).toMatchObject({ ok: true, error: null, rolledBack: false });
    expect(kubelets(node)).toEqual(['supervisord']);
    expect(node.procs.table.get(node.supervisord.groups.get('kubelet')?.pid ?? 0)?.argv).toEqual(node.kubeletArgv);
    // kubelet.service stays enabled and active, running only its face (the supervised kubelet's log forwarder).
    expect(node.systemd.enabled('kubelet.service')).toBe('enabled');
    expect(node.systemd.isActive('kubelet.service')).toBe(true);
    expect(await node.files.exists('/etc/systemd/system/kubelet.service.d/zz-kubesup-tui-face.conf')).toBe(true);
    expect((await readJournal(node.files))?.state).toBe('migrated');
    expect(events.filter((e) => e.type === 'step-done').length).toBe(
      (await readJournal(node.files))?.plan.steps.length,
    );
    // Other programs keep their process: supervisord itself was never restarted.
    expect(node.supervisord.calls).not.toContain('supervisor.restart');
  });

  it('systemctl start and restart kubelet afterwards start no second kubelet (the face)', async () => {
    const node = fakeNode(layout);
    await migrate(node);
    for (const verb of ['start', 'restart'])
      expect((await node.systemd.runner.run('systemctl', [verb, 'kubelet.service'])).exitCode).toBe(0);
    expect(kubelets(node)).toEqual(['supervisord']);
  });

  it('rollback restores every file and link byte for byte, and kubelet runs under systemd again', async () => {
    const node = fakeNode(layout);
    const before = systemFiles(node);
    await migrate(node);
    const journal = await readJournal(node.files);
    const undone = await rollBack(node.host, journal!, () => undefined);
    expect(undone.ok).toBe(true);
    expect(undone.archived).toMatch(/^\/var\/lib\/kubesup-tui\/journal-.*-rolled-back\.json$/);
    expect(systemFiles(node)).toEqual(before);
    expect(kubelets(node)).toEqual(['systemd']);
    expect(node.systemd.enabled('kubelet.service')).toBe('enabled');
    expect(await node.files.exists(JOURNAL_PATH)).toBe(false);
  });
});

/** A way to make each step fail once, as the node would. */
const FAILURES: Record<string, (node: FakeNode, plan: Plan) => void> = {
  'write:/etc/kubernetes/kubelet.sh': (node) => node.files.failWrites.add('/etc/kubernetes/kubelet.sh'),
  'write:/etc/supervisord.d/kubelet.ini': (node) => node.files.failWrites.add('/etc/supervisord.d/kubelet.ini'),
  'daemon-reload': (node) =>
    node.systemd.failures.set('systemctl daemon-reload', {
      exitCode: 1,
      stdout: '',
      stderr: 'Failed to reload daemon: Access denied',
    }),
  reread: (node) => node.supervisord.faults.set('supervisor.reloadConfig', FaultCode.CANT_REREAD),
  'stop-kubelet': (node) =>
    node.systemd.failures.set('systemctl stop kubelet.service', {
      exitCode: 1,
      stdout: '',
      stderr: 'Job for kubelet.service canceled.',
    }),
  add: (node) => node.supervisord.faults.set('supervisor.addProcessGroup', FaultCode.SPAWN_ERROR),
  'start-face': (node) =>
    node.systemd.failures.set('systemctl start kubelet.service', {
      exitCode: 1,
      stdout: '',
      stderr: 'Job for kubelet.service failed because the control process exited with error code.',
    }),
  verify: (node) => (node.supervisord.spawnArgv = () => ['/usr/local/bin/kubelet', '--some-other-flag']),
};

describe('a failure at any step rolls back by itself (reference node)', () => {
  it.each(Object.keys(FAILURES))('fails at %s: the step says why, and the node is as it was', async (stepId) => {
    const node = fakeNode('kubekey-centos7');
    const before = systemFiles(node);
    const plan = await planOn(node);
    FAILURES[stepId]!(node, plan);
    const events: MigrationEvent[] = [];
    const result = await beginMigration(node.host, plan, (e) => events.push(e), { verifyTimeoutMs: 3000 });
    expect(result.ok).toBe(false);
    expect(result.rolledBack).toBe(true);
    expect(events.find((e) => e.type === 'step-failed')).toMatchObject({ step: { id: stepId } });
    expect(events.at(-1)).toEqual({ type: 'rollback-done', ok: true });
    expect(systemFiles(node)).toEqual(before);
    expect(kubelets(node)).toEqual(['systemd']);
    expect([...node.supervisord.groups.keys()]).toEqual(['node-exporter']);
    // The failed journal is archived once the node is as it was: the next migrate starts afresh.
    expect(await node.files.exists(JOURNAL_PATH)).toBe(false);
  });

  it("fails at verify when the supervised kubelet lacks the unit's environment, naming the variable", async () => {
    const node = fakeNode('kubekey-centos7');
    node.supervisord.spawnEnv = () => ({});
    const events: MigrationEvent[] = [];
    const result = await beginMigration(node.host, await planOn(node), (e) => events.push(e), {
      verifyTimeoutMs: 3000,
    });
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(events.find((e) => e.type === 'step-failed')).toMatchObject({
      step: { id: 'verify' },
      error: expect.stringMatching(/does not run as systemd ran it: KUBELET_\w+ is unset, the unit sets "/),
    });
  });
});

describe('a kubelet that fails at once under supervisord (reference node)', () => {
  /**
   * Each second a new wrapper of a start that ended at once: a new pid for the program and its pace line with
   * one more failed start, counted from `carried` (quick exits from before this migration, as after a rollback).
   */
  function failEverySecond(node: FakeNode, carried: number): void {
    let failed = carried;
    let slept = 0;
    const sleep = node.clock.sleep.bind(node.clock);
    node.clock.sleep = async (ms: number) => {
      slept += ms;
      const program = node.supervisord.groups.get('kubelet');
      if (program && slept >= 1000) {
        slept = 0;
        program.pid = node.procs.spawn(['/bin/bash', '/etc/kubernetes/kubelet.sh'], { ppid: node.supervisord.pid });
        failed++;
      }
      if (program) node.files.put('/run/kubesup-tui/kubelet.pace', `0 ${failed} ${program.pid}\n`);
      return sleep(ms);
    };
  }

  it.each([0, 4])(
    'is given up at verify after three quick starts seen there (%i carried from before), not after the timeout',
    async (carried) => {
      const node = fakeNode('kubekey-centos7');
      const plan = await planOn(node);
      node.supervisord.spawnArgv = () => ['/bin/bash', '/etc/kubernetes/kubelet.sh'];
      failEverySecond(node, carried);
      const started = node.clock.now();
      const events: MigrationEvent[] = [];
      const result = await beginMigration(node.host, plan, (e) => events.push(e), { verifyTimeoutMs: 60_000 });
      expect(result).toMatchObject({ ok: false, rolledBack: true });
      expect(events.find((e) => e.type === 'step-failed')).toMatchObject({
        step: { id: 'verify' },
        error: 'kubelet fails at start under supervisord (3 starts in a row ended at once): its log says why',
      });
      expect(node.clock.now() - started).toBeLessThan(10_000);
      expect(kubelets(node)).toEqual(['systemd']);
    },
  );

  it('a pace file left by an earlier wrapper (another pid) is not read as this one failing', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/run/kubesup-tui/kubelet.pace', '1 5 4242\n');
    const result = await migrate(node);
    expect(result.ok, result.error ?? '').toBe(true);
  });
});

describe('a run killed between two steps resumes to the same end', () => {
  it.each([1, 3, 5, 7, 8, 9, 10])('killed after step %i, then migrate again', async (after) => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    const killed = new Error('SIGKILL');
    let done = 0;
    // The kill lands as the next step begins: everything up to it is done and journaled.
    await expect(
      beginMigration(node.host, plan, (e) => {
        if (e.type === 'step-done') done++;
        if (e.type === 'step-start' && done === after) throw killed;
      }),
    ).rejects.toBe(killed);
    const journal = await readJournal(node.files);
    expect(journal?.state).toBe('in-progress');
    const events: MigrationEvent[] = [];
    const result = await carryOut(node.host, journal!, (e) => events.push(e), { verifyTimeoutMs: 5000 });
    expect(result.ok).toBe(true);
    expect(events.filter((e) => e.type === 'step-done' && e.skipped).length).toBeGreaterThanOrEqual(after - 1);
    expect(kubelets(node)).toEqual(['supervisord']);
  });

  it('a step left "running" by the kill is run again, and is safe to run twice', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    const first = await migrate(node);
    expect(first.ok).toBe(true);
    const journal = (await readJournal(node.files))!;
    journal.state = 'in-progress';
    journal.steps.add = { status: 'running', at: journal.updatedAt };
    journal.steps.verify = { status: 'running', at: journal.updatedAt };
    const result = await carryOut(node.host, journal, () => undefined, { verifyTimeoutMs: 5000 });
    expect(result.ok).toBe(true);
    expect(plan.steps.length).toBe(journal.plan.steps.length);
    expect(kubelets(node)).toEqual(['supervisord']);
  });
});

describe("the operator's stop", () => {
  it('ends apply before its next step (the one under way finishes), then rolls back byte for byte', async () => {
    const node = fakeNode('kubekey-centos7');
    const before = systemFiles(node);
    const controller = new AbortController();
    const events: MigrationEvent[] = [];
    const result = await beginMigration(
      node.host,
      await planOn(node),
      (e) => {
        events.push(e);
        if (e.type === 'step-done' && e.step.id === 'reread') controller.abort();
      },
      { signal: controller.signal, verifyTimeoutMs: 5000 },
    );
    expect(result).toMatchObject({
      ok: false,
      rolledBack: true,
      error: 'stop the systemd kubelet: stopped by the operator before this step',
    });
    expect(events.filter((e) => e.type === 'step-done').map((e) => (e as { step: { id: string } }).step.id)).toContain(
      'reread',
    );
    expect(systemFiles(node)).toEqual(before);
    expect(kubelets(node)).toEqual(['systemd']);
  });
});
