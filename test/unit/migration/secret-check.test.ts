// A value from a file only root can read, copied into a file every user can read: the plan says so, without it.
import { describe, expect, it } from 'vitest';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { exposedSecrets } from '../../../src/core/migration/plan/secret-check.js';
import { fakeNode } from '../../helpers/fake-host/index.js';

const SECRET = 'abcdef.0123456789abcdef';

describe('secrets in the plan', () => {
  it("a 0600 EnvironmentFile= value in the wrapper: the wrapper is root's alone (0700), so no warning", async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/default/kubelet', `CLOUD_TOKEN=${SECRET}\n`, 0o600);
    const plan = await planForNode(node.host, { program: 'kubelet', tool: 'test' });
    const wrapper = plan.files.find((f) => f.role === 'wrapper')!;
    expect(wrapper.content).toContain(SECRET); // migration day's line, the last resort
    expect(wrapper.mode).toBe(0o700);
    expect(plan.warnings.join('\n')).not.toContain('CLOUD_TOKEN');
  });

  it('a value from a 0600 file copied into a file others can read: a warning naming it, never the value', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/default/kubelet', `CLOUD_TOKEN=${SECRET}\n`, 0o600);
    const plan = await planForNode(node.host, { program: 'kubelet', tool: 'test' });
    const wrapper = plan.files.find((f) => f.role === 'wrapper')!;
    const opened = { ...plan, files: plan.files.map((f) => (f === wrapper ? { ...f, mode: 0o755 } : f)) };
    expect(await exposedSecrets(node.host, opened)).toEqual([
      `CLOUD_TOKEN from /etc/default/kubelet (mode 600, not readable by other users) is copied into ${wrapper.path} ` +
        '(mode 755), which every local user can read',
    ]);
  });

  it('the same file readable by all: no warning', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/default/kubelet', `CLOUD_TOKEN=${SECRET}\n`, 0o644);
    const plan = await planForNode(node.host, { program: 'kubelet', tool: 'test' });
    expect(plan.warnings.join('\n')).not.toContain('CLOUD_TOKEN');
  });
});
