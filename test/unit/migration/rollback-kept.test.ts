// A rollback undoes only what the migration changed: a file it replaced and someone changed since (a package
// upgrade, kubeadm, an operator) stays as it is now, and the rollback says so; unchanged ones come back byte
// for byte.
import { describe, expect, it } from 'vitest';
import type { MigrationEvent } from '../../../src/core/migration/apply/apply.js';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import { beginMigration, rollBack } from '../../../src/core/migration/session.js';
import { type FakeNode, fakeNode, planOn } from '../../helpers/fake-host/index.js';

const CONFIG = '/etc/supervisord.conf';

/** The reference node with supervisord.conf lacking [include]: the migration adds one (a file it replaces). */
async function migratedWithoutInclude(): Promise<{ node: FakeNode; original: string }> {
  const node = fakeNode('kubekey-centos7');
  const original = node.files.text(CONFIG)!.replace(/\n\[include\]\nfiles = supervisord\.d\/\*\.ini\n?$/, '\n');
  node.files.put(CONFIG, original);
  const plan = await planOn(node);
  expect(plan.files.map((f) => f.role)).toContain('supervisor-config');
  expect((await beginMigration(node.host, plan, () => undefined, { verifyTimeoutMs: 5000 })).ok).toBe(true);
  expect(node.files.text(CONFIG)).not.toBe(original);
  return { node, original };
}

async function rollbackEvents(node: FakeNode): Promise<MigrationEvent[]> {
  const events: MigrationEvent[] = [];
  const undone = await rollBack(node.host, (await readJournal(node.files))!, (e) => events.push(e));
  expect(undone.ok).toBe(true);
  return events;
}

describe('rollback keeps what changed since the migration', () => {
  it('a replaced file changed since stays as it is now, named with the reason', async () => {
    const { node } = await migratedWithoutInclude();
    const changed = `${node.files.text(CONFIG)}\n; added by a package upgrade\n`;
    node.files.put(CONFIG, changed);
    const events = await rollbackEvents(node);
    expect(node.files.text(CONFIG)).toBe(changed);
    expect(events).toContainEqual({
      type: 'rollback-step',
      title: `keep ${CONFIG}`,
      ok: true,
      detail: 'left as it is now: changed since the migration wrote it',
    });
  });

  it('an unchanged one is restored byte for byte', async () => {
    const { node, original } = await migratedWithoutInclude();
    const events = await rollbackEvents(node);
    expect(node.files.text(CONFIG)).toBe(original);
    expect(events.some((e) => e.type === 'rollback-step' && e.title === `restore ${CONFIG}`)).toBe(true);
  });
});
