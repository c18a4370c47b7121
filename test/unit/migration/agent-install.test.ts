// The agent when the migration also installs supervisord: no daemon to ask for its Python yet, so the one of the
// package the node's manager installs (python3 from apt-get and dnf, 2.7 from EL 7's yum), compiled after it.
import { describe, expect, it } from 'vitest';
import { AGENT_SOURCES } from '../../../src/cli/agent-sources.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { fakeNode, withoutSupervisord } from '../../helpers/fake-host/index.js';

async function planWithoutSupervisord(manager: 'apt-get' | 'dnf' | 'yum') {
  const node = await withoutSupervisord(fakeNode('kubeadm-ubuntu'));
  for (const m of ['apt-get', 'dnf', 'yum']) await node.files.remove(`/usr/bin/${m}`);
  node.files.put(`/usr/bin/${manager}`, '');
  const agent = { sources: AGENT_SOURCES, watchdog: { kind: 'default' } as const, textfileDir: null };
  return planForNode(node.host, { program: 'kubelet', unit: 'kubelet.service', tool: 'kubesup-tui test', agent });
}

describe('the agent with a supervisord the migration installs', () => {
  it.each([
    ['apt-get', '/usr/bin/python3'],
    ['dnf', '/usr/bin/python3'],
    ['yum', '/usr/bin/python2'],
  ] as const)("%s: the package's Python, compiled after the install", async (manager, python) => {
    const plan = await planWithoutSupervisord(manager);
    const ids = plan.steps.map((s) => s.id);
    expect(ids[0]).toBe('install');
    expect(ids.indexOf('agent-compile')).toBeGreaterThan(0);
    expect(plan.steps.find((s) => s.id === 'agent-compile')).toMatchObject({
      command: [python, '-m', 'compileall', '-q', '/usr/lib/kubesup-tui/agent'],
    });
    const listener = plan.files.find((f) => /\/kubesup-agent\.(conf|ini)$/.test(f.path));
    expect(listener?.content).toContain(`command=${python} -S`);
    expect(plan.warnings.join('\n')).not.toContain('the resident agent is not installed');
  });
});
