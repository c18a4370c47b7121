// After `kubeadm upgrade` rewrote kubelet's flags on a migrated node, the wizard's first screen, `detect` and the
// monitor name the same drift, from one function.
import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../src/cli/app-services.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { runDetect } from '../../src/cli/commands/detect.js';
import { beginMigration } from '../../src/core/migration/session.js';
import { fakeNode, planOn } from '../helpers/fake-host/index.js';

const DRIFT = /^kubelet\.service changed since the migration \(flags --pod-infra-container-image, --network-plugin\)/;

async function upgradedAfterMigration() {
  const node = fakeNode('kubekey-centos7');
  const result = await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 });
  expect(result.ok).toBe(true);
  node.files.put(
    '/var/lib/kubelet/kubeadm-flags.env',
    'KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd --pod-infra-container-image=kubesphere/pause:3.9"\n',
  );
  return node;
}

describe("a migrated kubelet's drift", () => {
  it('is the first warning of the wizard, of detect and of the monitor', async () => {
    const node = await upgradedAfterMigration();
    const services = createAppServices(node.host, parseCommandLine([]));
    const wizard = await services.detect();
    expect(wizard.warnings[0]).toMatch(DRIFT);
    expect(await services.nodeWarning?.()).toBe(wizard.warnings[0]);
    let printed = '';
    await runDetect(node.host, parseCommandLine(['detect', '--json']), (t) => {
      printed += t;
    });
    expect(JSON.parse(printed).warnings[0]).toBe(wizard.warnings[0]);
  });

  it('is not there before any change', async () => {
    const node = fakeNode('kubekey-centos7');
    const result = await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 });
    expect(result.ok).toBe(true);
    const wizard = await createAppServices(node.host, parseCommandLine([])).detect();
    expect(wizard.warnings.join('\n')).not.toMatch(/changed since the migration/);
  });
});
