// Checked before the first write: a config that is not supervisord's, credentials supervisord refuses, a
// supervisord that does not answer. Each is one line, and the node is left exactly as it was: no file, no journal.
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/core/detect/detect.js';
import { JOURNAL_PATH } from '../../../src/core/migration/journal/journal.js';
import { planMigration } from '../../../src/core/migration/plan/plan.js';
import { beginMigration, openSession } from '../../../src/core/migration/session.js';
import { type FakeNode, fakeNode, planOn } from '../../helpers/fake-host/index.js';

async function planWithConfig(node: FakeNode, configPath: string) {
  const detection = await detect(node.host, { program: 'kubelet', supervisor: { configPath } });
  return planMigration(detection, node.host.files, {
    program: 'kubelet',
    now: new Date(node.clock.now()),
    tool: 'kubesup-tui test',
  });
}

async function expectRefusedUnchanged(
  node: FakeNode,
  run: (onEvent: (e: unknown) => void) => Promise<unknown>,
  line: RegExp,
) {
  const before = node.files.snapshot('/');
  const kubelet = node.procs.named('kubelet');
  const events: unknown[] = [];
  await expect(run((e) => events.push(e))).rejects.toThrow(line);
  expect(node.files.snapshot('/')).toEqual(before);
  expect(await node.files.exists(JOURNAL_PATH)).toBe(false);
  expect(node.procs.named('kubelet')).toEqual(kubelet);
  expect(events).toEqual([]);
  expect((await openSession(node.host)).kind).toBe('fresh');
}

describe('checks before the first write', () => {
  it('--supervisor-conf /etc/passwd: not a supervisord config (no [supervisord]); /etc/passwd untouched', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/sbin/nologin\n');
    const plan = await planWithConfig(node, '/etc/passwd');
    expect(plan.supervisor.config).toBe('/etc/passwd');
    await expectRefusedUnchanged(
      node,
      (onEvent) => beginMigration(node.host, plan, onEvent),
      /^\/etc\/passwd is not a supervisord config \(it has no \[supervisord\] section\); nothing was changed$/,
    );
  });

  it('credentials supervisord refuses: one line naming HTTP 401, nothing written', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    node.supervisord.credentials = { username: 'admin', password: 'the right one' };
    await expectRefusedUnchanged(
      node,
      (onEvent) => beginMigration(node.host, plan, onEvent),
      /^supervisord cannot be used: supervisord at .* refused the credentials \(HTTP 401\); nothing was changed$/,
    );
  });

  it('a supervisord that does not answer: refused within the check bound, nothing written', async () => {
    const node = fakeNode('kubekey-centos7');
    const plan = await planOn(node);
    node.supervisord.frozen = true;
    const started = node.clock.now();
    await expectRefusedUnchanged(
      node,
      (onEvent) => beginMigration(node.host, plan, onEvent),
      /^supervisord cannot be used: supervisord at .* did not answer supervisor\.getState within 5 s; nothing/,
    );
    expect(node.clock.now() - started).toBeLessThanOrEqual(5000);
  });
});
