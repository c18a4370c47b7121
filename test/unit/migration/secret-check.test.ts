// A value from a file only root can read, copied into a file every user can read: the plan says so, without it.
import { describe, expect, it } from 'vitest';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { fakeNode } from '../../helpers/fake-host/index.js';

const SECRET = 'abcdef.0123456789abcdef';

describe('secrets in the plan', () => {
  it('a 0600 EnvironmentFile= copied into a 0755 wrapper: a warning naming it, not its value', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/default/kubelet', `CLOUD_TOKEN=${SECRET}\n`, 0o600);
    const plan = await planForNode(node.host, { program: 'kubelet', tool: 'test' });
    const wrapper = plan.files.find((f) => f.role === 'wrapper')!;
    // The warning follows the content: a wrapper that reads the file at each start instead copies nothing.
    const warning =
      `CLOUD_TOKEN from /etc/default/kubelet (mode 600, not readable by other users) is copied into ${wrapper.path} ` +
      `(mode ${wrapper.mode.toString(8)}), which every local user can read`;
    if (wrapper.content.includes(SECRET) && wrapper.mode & 0o004) expect(plan.warnings).toContain(warning);
    else expect(plan.warnings).not.toContain(warning);
    expect(plan.warnings.join('\n')).not.toContain(SECRET);
  });

  it('the same file readable by all: no warning', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/default/kubelet', `CLOUD_TOKEN=${SECRET}\n`, 0o644);
    const plan = await planForNode(node.host, { program: 'kubelet', tool: 'test' });
    expect(plan.warnings.join('\n')).not.toContain('CLOUD_TOKEN');
  });
});
