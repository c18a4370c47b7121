// kubesup-agent tells an OOM kill from an operator's kill -9 on the stand-in node, as the migration installs it:
// kubelet in a bounded memory cgroup, the kernel's OOM killer kills it (memory-pressure.ts, the cgroup's own
// count proves it): oom_killed in the agent's state and in status --json; a kill -9 in the same node: crashed.
import { afterAll, describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { cannotRun, requirePackage, skipTestNode, withTestNode } from '../helpers/with-test-node.js';
import { MemoryPressure, missingMemoryCgroup } from './memory-pressure.js';
import type { TestNode } from './test-node.js';

const CTL = 'supervisorctl -c /etc/supervisor/supervisord.conf';
const STATE = '/var/lib/kubesup-tui/agent-state.json';
const kubeletPid = async (node: TestNode) => Number((await node.sh('pgrep -x kubelet')).trim());
/** The kubelet's counts by reason in the agent's state, as a shell condition. */
const counted = (counts: Record<string, number>) =>
  `python3 -c 'import json,sys; s=json.load(open("${STATE}")); ` +
  `sys.exit(0 if s["restarts"]["kubelet"] == ${JSON.stringify(counts)} else 1)'`;

interface Exit {
  reason: string | null;
  detail: string | null;
  words: string;
  signal: string | null;
}
/** What status --json says of kubelet: its counts by reason and its last exit. */
async function statusOfKubelet(node: TestNode) {
  const { exitCode, json } = await kubesupJson(node, ['status']);
  expect(exitCode).toBe(0);
  const kubelet = json.programs.find((p: { name: string }) => p.name === 'kubelet');
  return kubelet as { restarts_by_reason: Record<string, number>; last_exit: Exit; history_source: string };
}

const SKIP = skipTestNode('debian') ?? requirePackage(missingMemoryCgroup());

describe.skipIf(cannotRun('the OOM kill on the stand-in node', SKIP))('an OOM kill on the stand-in node', () => {
  let pressure: MemoryPressure;
  const node = withTestNode('kubeadm-ubuntu', async (node) => {
    await node.waitFor('test -S /var/run/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    pressure = await MemoryPressure.prepare(node);
    // supervisord in its memory cgroup before the migration: kubelet is born there, as under supervisord.service.
    await pressure.confine();
  });
  afterAll(async () => {
    await pressure?.release();
  });

  it('migrate: kubelet under supervisord, in the bounded cgroup, beside the agent', async () => {
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    await node.waitFor(`${CTL} status kubesup-agent | grep -q RUNNING`);
    await node.waitFor(`${CTL} status kubelet | grep -q RUNNING`);
    const cgroup = pressure.cgroup.replace(/^\/sys\/fs\/cgroup(\/memory)?/, '');
    expect(await node.sh(`cat /proc/${await kubeletPid(node)}/cgroup`)).toMatch(
      new RegExp(`^\\d+:(memory)?:${cgroup}$`, 'm'),
    );
  });

  it("the kernel's OOM killer kills kubelet: oom_killed, in the agent's state and in status --json", async () => {
    await pressure.growKubelet();
    const pid = await kubeletPid(node);
    await pressure.startHog();
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ]`, 30_000);
    expect(pressure.oomKills()).toBe(1);
    await node.waitFor(counted({ oom_killed: 1 }));
    await node.waitFor(`${CTL} status kubelet | grep -q RUNNING`);
    const kubelet = await statusOfKubelet(node);
    expect(kubelet.history_source).toBe('kubesup-agent');
    expect(kubelet.restarts_by_reason).toMatchObject({ oom_killed: 1, crashed: 0, exited: 0 });
    expect(kubelet.last_exit).toMatchObject({ reason: 'oom_killed', words: 'OOM-killed', signal: 'SIGKILL' });
    // The kernel's own record says so: the cgroup's oom_kill count, or its `Killed process N` line.
    expect(kubelet.last_exit.detail).toMatch(/oom_kill count of .* went up|the kernel: Killed process \d+/);
  });

  it('a kill -9 in the same node (the hog still holding its memory) is a crash, not an OOM kill', async () => {
    const pid = await kubeletPid(node);
    await node.sh(`kill -9 ${pid}`);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ]`);
    await node.waitFor(counted({ oom_killed: 1, crashed: 1 }));
    await node.waitFor(`${CTL} status kubelet | grep -q RUNNING`);
    expect(pressure.oomKills()).toBe(1);
    const kubelet = await statusOfKubelet(node);
    expect(kubelet.restarts_by_reason).toMatchObject({ oom_killed: 1, crashed: 1, exited: 0 });
    expect(kubelet.last_exit).toMatchObject({ reason: 'crashed', words: 'crashed (SIGKILL)', signal: 'SIGKILL' });
  });
});
