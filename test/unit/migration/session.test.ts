// The journal and what the session makes of it; drift after a migration.
import { describe, expect, it } from 'vitest';
import { computeDrift, describeDrift, driftWarning, driftWarnings } from '../../../src/core/migration/journal/drift.js';
import { JOURNAL_PATH, readJournal, saveJournal, startJournal } from '../../../src/core/migration/journal/journal.js';
import type { ToolSelf } from '../../../src/core/migration/plan/tool-copy.js';
import { beginMigration, openSession } from '../../../src/core/migration/session.js';
import { type FakeNode, fakeNode, planOn, SINGLE_FILE } from '../../helpers/fake-host/index.js';

/** Migrated; with `self`, the wrapper computes kubelet's command line at each start (start-line). */
async function migrated(self?: ToolSelf): Promise<FakeNode> {
  const node = fakeNode('kubekey-centos7');
  for (const f of self?.files ?? []) node.files.put(f.from, 'the tool\n', 0o755);
  const result = await beginMigration(node.host, await planOn(node, self), () => undefined, { verifyTimeoutMs: 5000 });
  expect(result.ok).toBe(true);
  return node;
}

describe('the journal', () => {
  it('is saved as private JSON and read back as it was, with the digest of each source file', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    const journal = await startJournal(node.host, plan);
    expect(await node.files.stat(JOURNAL_PATH)).toMatchObject({ mode: 0o600 });
    const back = await readJournal(node.files);
    expect(back).toEqual(journal);
    expect(Object.keys(back!.sourceDigests)).toEqual(plan.service.sources);
    expect(Object.values(back!.sourceDigests).every((d) => d === null || /^[0-9a-f]{64}$/.test(d))).toBe(true);
  });

  it(`a journal from an older version (its service under \`kubelet\`, healthz by URL) is read, \
and rolls back`, async () => {
    const node = await migrated();
    const current = (await readJournal(node.files))!;
    const { service, ...plan } = current.plan;
    const { health, ...rest } = service;
    const old = { ...current, plan: { ...plan, kubelet: { ...rest, healthzUrl: (health as { url: string }).url } } };
    node.files.put(JOURNAL_PATH, JSON.stringify(old));
    const back = await readJournal(node.files);
    expect(back?.plan.service).toEqual(service);
    expect((await openSession(node.host)).kind).toBe('migrated');
  });

  it('an unreadable journal is one line saying where it is and what to do', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put(JOURNAL_PATH, '{ half a journal');
    await expect(readJournal(node.files)).rejects.toThrow(`${JOURNAL_PATH} is unreadable`);
    await expect(readJournal(node.files)).rejects.toThrow(/move it aside to start over$/);
  });
});

describe('the session: what the journal on the node means', () => {
  it('no journal: fresh', async () => {
    expect(await openSession(fakeNode('kubekey-centos7').host)).toEqual({ kind: 'fresh' });
  });

  it('a finished migration: migrated; then the unit changes: drifted, naming the flags', async () => {
    const node = await migrated();
    expect((await openSession(node.host)).kind).toBe('migrated');
    node.files.put(
      '/var/lib/kubelet/kubeadm-flags.env',
      'KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd --pod-infra-container-image=kubesphere/pause:3.9"\n',
    );
    const session = await openSession(node.host);
    expect(session.kind).toBe('drifted');
    if (session.kind !== 'drifted') return;
    expect(session.drift.changedFiles).toEqual(['/var/lib/kubelet/kubeadm-flags.env']);
    expect(describeDrift(session.drift)).toEqual([
      'changed since the migration: /var/lib/kubelet/kubeadm-flags.env',
      '+ --pod-infra-container-image=kubesphere/pause:3.9',
      '- --network-plugin=cni',
      '- --pod-infra-container-image=kubesphere/pause:3.6',
    ]);
    expect(await driftWarning(node.files, node.host.hostname)).toMatch(
      /^kubelet.service changed since the migration \(flags --pod-infra-container-image, --network-plugin\)/,
    );
  });

  it('a file rewritten with the same flags is drift in files only', async () => {
    const node = await migrated();
    const text = node.files.text('/var/lib/kubelet/kubeadm-flags.env') as string;
    node.files.put('/var/lib/kubelet/kubeadm-flags.env', `# rewritten by kubeadm upgrade\n${text}`);
    const journal = await readJournal(node.files);
    const drift = await computeDrift(node.files, journal!, 'node4');
    expect(drift).toMatchObject({ changedFiles: ['/var/lib/kubelet/kubeadm-flags.env'], flags: [] });
  });

  it(`a binary replaced under the running kubelet is named,\
 with systemctl restart as the way to apply it`, async () => {
    const node = await migrated();
    const exe = { exe: '/usr/local/bin/kubelet (deleted)' };
    expect(await driftWarnings(node.files, 'node4', exe)).toEqual([
      'kubelet runs a binary replaced since it started (/usr/local/bin/kubelet is new): ' +
        'run systemctl restart kubelet.service to start the new one',
    ]);
    const drift = await computeDrift(node.files, (await readJournal(node.files))!, 'node4', exe);
    expect(describeDrift(drift!)).toEqual([
      '/usr/local/bin/kubelet was replaced since the running process started from it',
    ]);
    // Not a reason to regenerate the migration: the files say what they said.
    expect((await openSession(node.host)).kind).toBe('migrated');
    expect(await driftWarnings(node.files, 'node4', { exe: '/usr/local/bin/kubelet' })).toEqual([]);
  });

  it(`with the running process: flags and environment against it; a restart that took them in ends \
the drift`, async () => {
    const node = await migrated(SINGLE_FILE);
    node.files.put('/etc/systemd/system/kubelet.service.d/20-new.conf', '[Service]\nEnvironment=NEW_VAR=1\n');
    const running = {
      argv: node.kubeletArgv,
      environ: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    };
    const [warning] = await driftWarnings(node.files, 'node4', running);
    expect(warning).toMatch(
      new RegExp(
        String.raw`^kubelet\.service changed since the migration \(environment NEW_VAR\): ` +
          String.raw`.*run systemctl restart kubelet\.service to apply it$`,
      ),
    );
    // Started since with the files as they are now: no drift, though the files changed since the migration.
    const restarted = { argv: node.kubeletArgv, environ: { ...running.environ, NEW_VAR: '1' } };
    expect(await driftWarnings(node.files, 'node4', restarted)).toEqual([]);
  });

  it('no drift: no warning', async () => {
    const node = await migrated();
    expect(await driftWarning(node.files, 'node4')).toBeNull();
  });

  it('interrupted: resume; failed with an unfinished rollback: refused with the command that finishes it', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    const journal = await startJournal(node.host, plan);
    expect((await openSession(node.host)).kind).toBe('resume');
    journal.state = 'failed';
    await saveJournal(node.host, journal);
    const refused = await openSession(node.host);
    expect(refused).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('run kubesup-tui rollback --yes'),
    });
  });

  it('a rolled-back journal is archived and the node is fresh again', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    const journal = await startJournal(node.host, plan);
    journal.state = 'rolled-back';
    await saveJournal(node.host, journal);
    expect(await openSession(node.host)).toEqual({ kind: 'fresh' });
    expect(await node.files.exists(JOURNAL_PATH)).toBe(false);
    expect((await node.files.list('/var/lib/kubesup-tui')).some((n) => /^journal-.*-rolled-back\.json$/.test(n))).toBe(
      true,
    );
  });
});
