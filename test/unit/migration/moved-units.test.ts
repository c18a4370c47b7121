// The order moved units go back in: newest first, and a rollback that would take away another unit's [include]
// waits for it.
import { describe, expect, it } from 'vitest';
import { journalPath } from '../../../src/core/migration/journal/journal.js';
import { movedJournals, mustWaitFor } from '../../../src/core/migration/journal/moved-units.js';
import { nodeJournals } from '../../../src/core/migration/journal/node-journals.js';
import { memoryFiles } from '../../helpers/fake-host/index.js';

const journal = (unit: string, createdAt: string, addsInclude: boolean, state = 'migrated') => ({
  version: 1,
  state,
  plan: {
    createdAt,
    program: unit.replace(/\.service$/, ''),
    files: addsInclude ? [{ path: '/etc/supervisord.conf', role: 'supervisor-config' }] : [],
    steps: [],
    supervisor: { config: '/etc/supervisord.conf' },
    service: { unit, health: { kind: 'alive', seconds: 10 } },
  },
  steps: {},
  backups: {},
});

function node(...js: ReturnType<typeof journal>[]) {
  return memoryFiles(Object.fromEntries(js.map((j) => [journalPath(j.plan.service.unit), JSON.stringify(j)])));
}

describe('moved units', () => {
  it('newest migration first; rolled-back ones are not counted', async () => {
    const files = node(
      journal('containerd.service', '2026-11-27T10:00:00.000Z', true),
      journal('kubelet.service', '2026-11-27T10:05:00.000Z', true),
      journal('etcd.service', '2026-11-27T09:00:00.000Z', false, 'rolled-back'),
    );
    expect((await movedJournals(files)).map((j) => j.plan.service.unit)).toEqual([
      'kubelet.service',
      'containerd.service',
    ]);
  });

  it('the older migration that added the [include] waits for the newer one; the newer goes at once', async () => {
    const files = node(
      journal('containerd.service', '2026-11-27T10:00:00.000Z', true),
      journal('kubelet.service', '2026-11-27T10:05:00.000Z', true),
    );
    const [kubelet, containerd] = await movedJournals(files);
    expect(await mustWaitFor(files, kubelet!)).toBeNull();
    expect(await mustWaitFor(files, containerd!)).toBe(
      'kubelet.service was moved after containerd.service and needs the [include] its migration added to ' +
        '/etc/supervisord.conf: roll it back first, or all at once with kubesup-tui rollback --all --yes',
    );
  });

  it('the order is when each migration ran, not when its plan was made (the wizard plans all first)', async () => {
    const containerd = journal('containerd.service', '2026-11-27T10:00:02.000Z', true);
    const kubelet = journal('kubelet.service', '2026-11-27T10:00:01.000Z', true);
    (containerd.steps as Record<string, { at: string }>)['write:/etc/supervisord.conf'] = {
      at: '2026-11-27T10:01:00.000Z',
    };
    (kubelet.steps as Record<string, { at: string }>)['write:/etc/supervisord.conf'] = {
      at: '2026-11-27T10:02:00.000Z',
    };
    const files = node(containerd, kubelet);
    expect((await movedJournals(files)).map((j) => j.plan.service.unit)).toEqual([
      'kubelet.service',
      'containerd.service',
    ]);
  });

  it('a migration that did not touch supervisord.conf never waits', async () => {
    const files = node(
      journal('containerd.service', '2026-11-27T10:00:00.000Z', false),
      journal('kubelet.service', '2026-11-27T10:05:00.000Z', false),
    );
    const [, containerd] = await movedJournals(files);
    expect(await mustWaitFor(files, containerd!)).toBeNull();
  });

  it(`the node's journals, read in one place: kubelet's first, then the others by name; \
an unreadable one left out`, async () => {
    const js = [
      journal('etcd.service', '2026-11-27T09:00:00.000Z', false, 'rolled-back'),
      journal('containerd.service', '2026-11-27T10:00:00.000Z', true, 'in-progress'),
      journal('kubelet.service', '2026-11-27T10:05:00.000Z', true),
    ];
    const files = memoryFiles({
      ...Object.fromEntries(js.map((j) => [journalPath(j.plan.service.unit), JSON.stringify(j)])),
      [journalPath('docker.service')]: '{ half a journal',
    });
    expect((await nodeJournals(files)).map((j) => [j.plan.service.unit, j.state])).toEqual([
      ['kubelet.service', 'migrated'],
      ['containerd.service', 'in-progress'],
      ['etcd.service', 'rolled-back'],
    ]);
  });
});
