// One migration or rollback at a time: the lock file and who holds it.
import { describe, expect, it } from 'vitest';
import { LOCK_PATH, lockHolder, takeLock, withLock } from '../../../src/core/migration/journal/lock.js';
import { fakeNode } from '../../helpers/fake-host/index.js';

describe('the node lock', () => {
  it('is taken, names its holder, refuses a second taker in one line, and is let go', async () => {
    const node = fakeNode('kubekey-centos7');
    const other = node.procs.spawn(['node', '/usr/lib/node_modules/kubesup-tui/bin/kubesup-tui.js', 'migrate']);
    node.files.put(LOCK_PATH, `${other} migrate\n`, 0o600);
    expect(await lockHolder(node.host)).toBe(other);
    await expect(takeLock(node.host, 'migrate')).rejects.toThrow(
      `another kubesup-tui (pid ${other}) is changing this node (${LOCK_PATH}); nothing was changed`,
    );
    node.procs.kill(other);
    const release = await takeLock(node.host, 'migrate');
    expect(node.files.text(LOCK_PATH)).toBe('4242 migrate\n');
    await release();
    expect(await node.files.exists(LOCK_PATH)).toBe(false);
  });

  it('a holder that is a zombie (killed, not yet reaped) holds nothing', async () => {
    const node = fakeNode('kubekey-centos7');
    const zombie = node.procs.spawn([], { comm: 'node' });
    node.files.put(LOCK_PATH, `${zombie} migrate\n`, 0o600);
    expect(await lockHolder(node.host)).toBeNull();
    expect(await withLock(node.host, 'rollback', async () => node.files.text(LOCK_PATH))).toBe('4242 rollback\n');
  });

  it('is let go when what it guards fails', async () => {
    const node = fakeNode('kubekey-centos7');
    await expect(
      withLock(node.host, 'migrate', async () => {
        throw new Error('a step failed');
      }),
    ).rejects.toThrow('a step failed');
    expect(await node.files.exists(LOCK_PATH)).toBe(false);
  });
});
