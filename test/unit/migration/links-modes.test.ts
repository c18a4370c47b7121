// Links and modes: supervisord's config written through its link (the link kept), any other link at a planned
// path put back as that link, every file the migration writes root's and never more open than the one it replaces,
// and rollback restoring each as it was.
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import { beginMigration, rollBack } from '../../../src/core/migration/session.js';
import { type FakeNode, fakeNode, planOn } from '../../helpers/fake-host/index.js';

const CONF = '/etc/supervisord.conf';
const WRAPPER = '/etc/kubernetes/kubelet.sh';

async function migrateThenRollBack(node: FakeNode) {
  const result = await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 });
  expect(result.ok, result.error ?? '').toBe(true);
  const migrated = node.files.snapshot('/');
  const undone = await rollBack(node.host, (await readJournal(node.files))!, () => undefined);
  expect(undone.ok).toBe(true);
  return migrated;
}

describe('links and modes', () => {
  it('supervisord.conf a link (configuration management): its target is written, the link stays; rollback restores \
the target byte for byte with its mode', async () => {
    const node = fakeNode('kubekey-centos7');
    // A config without [include], so that the plan adds one: kept in /etc/cm, linked from /etc.
    const original = node.files.text(CONF)!.replace(/\n\[include\][\s\S]*$/, '\n');
    node.files.put('/etc/cm/supervisord.conf', original, 0o640);
    node.files.link(CONF, 'cm/supervisord.conf');
    const before = node.files.snapshot('/etc');
    const migrated = await migrateThenRollBack(node);
    expect(migrated[CONF]).toBe('-> cm/supervisord.conf');
    expect(migrated['/etc/cm/supervisord.conf']).toMatch(/ 640$/);
    expect(migrated['/etc/cm/supervisord.conf']).not.toBe(before['/etc/cm/supervisord.conf']);
    expect(node.files.snapshot('/etc')).toEqual(before);
  });

  it("the wrapper's path a link: replaced by a root file (its target untouched), put back as the link", async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/opt/theirs/kubelet.sh', '#!/bin/sh\nexec true\n', 0o755);
    node.files.link(WRAPPER, '/opt/theirs/kubelet.sh');
    const before = { ...node.files.snapshot('/etc'), ...node.files.snapshot('/opt') };
    const migrated = await migrateThenRollBack(node);
    expect(migrated[WRAPPER]).toMatch(/^[0-9a-f]{64} 700$/);
    expect(migrated['/opt/theirs/kubelet.sh']).toBe(before['/opt/theirs/kubelet.sh']);
    expect({ ...node.files.snapshot('/etc'), ...node.files.snapshot('/opt') }).toEqual(before);
    expect(node.files.links.get(WRAPPER)).toBe('/opt/theirs/kubelet.sh');
  });

  it("a wrapper owned by uid 12, mode 0700: written root's, no more open; rollback gives it back", async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put(WRAPPER, '#!/bin/sh\n', 0o700);
    node.files.entries.get(WRAPPER)!.meta = { mode: 0o700, uid: 12, gid: 12 };
    const result = await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 });
    expect(result.ok, result.error ?? '').toBe(true);
    expect(await node.files.stat(WRAPPER)).toEqual({ mode: 0o700, uid: 0, gid: 0 });
    await rollBack(node.host, (await readJournal(node.files))!, () => undefined);
    expect(await node.files.stat(WRAPPER)).toEqual({ mode: 0o700, uid: 12, gid: 12 });
  });

  it('a folder it writes in that others can change: refused before the first write, nothing changed', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.unsafeFolders.set('/var/log/kubelet', '/var/log/kubelet is writable by others (mode 777)');
    const before = node.files.snapshot('/');
    await expect(beginMigration(node.host, await planOn(node), () => undefined)).rejects.toThrow(
      'will not write in /var/log/kubelet: /var/log/kubelet is writable by others (mode 777); nothing was changed',
    );
    expect(node.files.snapshot('/')).toEqual(before);
  });
});
