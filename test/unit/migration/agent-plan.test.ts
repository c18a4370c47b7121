// The resident agent in the one plan: its files, steps and wrapper lines by kubelet's version and the operator's
// choice; two moved units sharing one listener; rollback keeping it for the other, the last taking it away.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_SOURCES } from '../../../src/cli/agent-sources.js';
import { parseCommandLine } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/core/errors.js';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import { type AgentOptions, parseWatchdogSec, type WatchdogChoice } from '../../../src/core/migration/plan/agent.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { beginMigration, carryOut, rollBack } from '../../../src/core/migration/session.js';
import { FaultCode } from '../../../src/core/supervisor/xmlrpc.js';
import { nodeWithContainerd } from '../../helpers/containerd-node.js';
import type { FakeNode } from '../../helpers/fake-host/index.js';
import { REPO_ROOT } from '../../node/test-node.js';

const LISTENER = '/etc/supervisord.d/kubesup-agent.ini';
const AGENT_DIR = '/usr/lib/kubesup-tui/agent';

/** The reference node, its kubelet at `version`, supervisord run by Python 3 whose commands the node answers. */
function agentNode(version: string, unitExtra = ''): FakeNode {
  const node = nodeWithContainerd();
  node.systemd.programs.set(node.kubeletArgv[0] as string, () => ({
    exitCode: 0,
    stdout: `Kubernetes ${version}\n`,
    stderr: '',
  }));
  if (unitExtra) {
    const unit = '/etc/systemd/system/kubelet.service';
    node.files.put(unit, (node.files.text(unit) ?? '').replace('RestartSec=10', `RestartSec=10\n${unitExtra}`));
  }
  node.systemd.programs.set('/usr/bin/python3', (args) =>
    args[0] === '--version'
      ? { exitCode: 0, stdout: 'Python 3.11.2\n', stderr: '' }
      : { exitCode: 0, stdout: '', stderr: '' },
  );
  // rm -rf and rmdir as the rollback of the last unit runs them, on the files in memory.
  node.systemd.programs.set('rm', (args) => {
    const dir = args.at(-1) as string;
    for (const p of [...node.files.entries.keys()]) if (p.startsWith(`${dir}/`)) node.files.entries.delete(p);
    return { exitCode: 0, stdout: '', stderr: '' };
  });
  // rmdir as the real one: a missing folder is an error, even with --ignore-fail-on-non-empty.
  node.systemd.programs.set('rmdir', (args) => {
    const missing = args.filter((a) => a.startsWith('/') && !node.files.dirs.has(a));
    return missing.length
      ? { exitCode: 1, stdout: '', stderr: `rmdir: failed to remove '${missing[0]}': No such file or directory` }
      : { exitCode: 0, stdout: '', stderr: '' };
  });
  return node;
}

const agent = (watchdog: WatchdogChoice = { kind: 'default' }): AgentOptions => ({
  sources: AGENT_SOURCES,
  watchdog,
  textfileDir: null,
});

const planFor = (node: FakeNode, unit = 'kubelet.service', options = agent()) =>
  planForNode(node.host, {
    program: unit.replace(/\.service$/, ''),
    unit,
    tool: 'kubesup-tui test',
    agent: options,
  });

const fileOf = (plan: Awaited<ReturnType<typeof planFor>>, p: string) => plan.files.find((f) => f.path === p);
const agentSettings = (plan: Awaited<ReturnType<typeof planFor>>, program: string) =>
  JSON.parse(fileOf(plan, `/etc/kubesup-tui/agent.d/${program}.json`)?.content ?? 'null');

describe("the agent's sources", () => {
  it('are every Python file of src/resident, embedded as they are', () => {
    const dir = path.join(REPO_ROOT, 'src/resident');
    const onDisk = [
      'kubesup-agent.py',
      ...fs.readdirSync(path.join(dir, 'kubesup_agent')).map((n) => `kubesup_agent/${n}`),
    ]
      .filter((n) => n.endsWith('.py'))
      .sort();
    expect(Object.keys(AGENT_SOURCES).sort()).toEqual(onDisk);
    for (const n of onDisk) expect(AGENT_SOURCES[n]).toBe(fs.readFileSync(path.join(dir, n), 'utf8'));
  });
});

describe('the agent in the plan', () => {
  it("metrics go to the running node_exporter's textfile folder, else the distribution's, else nowhere", async () => {
    const config = (plan: Awaited<ReturnType<typeof planFor>>) =>
      JSON.parse(fileOf(plan, '/etc/kubesup-tui/agent.json')?.content ?? 'null');
    const node = agentNode('v1.35.0');
    node.files.put('/etc/os-release', 'ID=centos\nID_LIKE="rhel fedora"\n');
    expect(config(await planFor(node)).textfile_dir).toBe('/var/lib/node_exporter/textfile_collector');
    const exporter = node.procs.spawn(['/usr/local/bin/node_exporter', '--collector.textfile.directory=/srv/prom']);
    const found = await planFor(node);
    expect(config(found).textfile_dir).toBe('/srv/prom');
    expect(found.carried).toContain(
      `metrics: /srv/prom/kubesup.prom, for node_exporter's textfile collector ` +
        `(node_exporter pid ${exporter}'s --collector.textfile.directory)`,
    );
    const given = await planFor(node, 'kubelet.service', { ...agent(), textfileDir: '/var/lib/x' });
    expect(config(given).textfile_dir).toBe('/var/lib/x');
    node.procs.kill(exporter);
    node.files.put('/etc/os-release', 'ID=alpine\n');
    const none = await planFor(node);
    expect(config(none).textfile_dir).toBeNull();
    expect((none.carried ?? []).join('\n')).toContain('metrics: none');
  });

  it('kubelet 1.35: watchdog of 60 s, listener, config, compile and start, all shown', async () => {
    const plan = await planFor(agentNode('v1.35.0'));
    expect(plan.agent).toMatchObject({ watchdog_sec: 60, healthz: null, alive_fifo: true });
    expect(agentSettings(plan, 'kubelet')).toEqual(plan.agent);
    for (const rel of Object.keys(AGENT_SOURCES))
      expect(fileOf(plan, `${AGENT_DIR}/${rel}`)?.role).toBe('agent-source');
    expect(fileOf(plan, LISTENER)?.content).toContain(
      'command=/usr/bin/python3 -S -I /usr/lib/kubesup-tui/agent/kubesup-agent.py --config /etc/kubesup-tui/agent.json',
    );
    expect(JSON.parse(fileOf(plan, '/etc/kubesup-tui/agent.json')?.content ?? '')).toMatchObject({
      programs_dir: '/etc/kubesup-tui/agent.d',
      textfile_dir: null,
      state_dir: '/var/lib/kubesup-tui',
    });
    const wrapper = fileOf(plan, '/etc/kubernetes/kubelet.sh')?.content ?? '';
    expect(wrapper).toContain('[ -p /run/kubesup-tui/alive/kubelet ] && exec 9<>/run/kubesup-tui/alive/kubelet');
    expect(wrapper).toContain(
      'export NOTIFY_SOCKET=/run/kubesup-tui/notify/kubelet WATCHDOG_USEC=60000000 WATCHDOG_PID=$$',
    );
    // Before the exec, after everything else.
    expect(wrapper.indexOf('WATCHDOG_USEC')).toBeLessThan(wrapper.lastIndexOf('exec '));
    const ids = plan.steps.map((s) => s.id);
    // The agent's eleven files in one step, then compiled.
    expect(ids.filter((id) => id.startsWith('write:/usr/lib/kubesup-tui') || id === `write:${LISTENER}`)).toEqual([]);
    expect(plan.steps.find((s) => s.id === 'write-agent')).toMatchObject({ kind: 'write-files' });
    expect(ids.indexOf('agent-compile')).toBe(ids.indexOf('write-agent') + 1);
    // After supervisord reads the listener, before kubelet's stop: the agent's start is not part of the gap.
    expect(ids.indexOf('agent-start')).toBe(ids.indexOf('reread') + 1);
    expect(ids.indexOf('agent-start')).toBeLessThan(ids.indexOf('stop-kubelet'));
    expect(plan.steps.find((s) => s.id === 'agent-compile')).toMatchObject({
      command: ['/usr/bin/python3', '-m', 'compileall', '-q', AGENT_DIR],
    });
    expect(plan.carried?.join('\n')).toMatch(/watchdog: 60 s .*SIGABRT/);
  });

  it("kubelet 1.35 with WatchdogSec= in its unit: the unit's timeout", async () => {
    const plan = await planFor(agentNode('v1.35.0', 'WatchdogSec=45s'));
    expect(plan.agent?.watchdog_sec).toBe(45);
    expect(fileOf(plan, '/etc/kubernetes/kubelet.sh')?.content).toContain('WATCHDOG_USEC=45000000');
  });

  it('kubelet 1.28: no watchdog, the liveness probe on its healthz', async () => {
    const plan = await planFor(agentNode('v1.28.4'));
    expect(plan.agent).toMatchObject({
      watchdog_sec: null,
      healthz: { url: 'http://127.0.0.1:10248/healthz', interval: 10, timeout: 10, failures: 6, grace: 120 },
    });
    expect(fileOf(plan, '/etc/kubernetes/kubelet.sh')?.content).not.toContain('NOTIFY_SOCKET');
    expect(plan.carried?.join('\n')).toContain('liveness probe: http://127.0.0.1:10248/healthz every 10 s');
  });

  it('--no-watchdog on 1.35: the probe instead; --watchdog-sec 1 refused with a reason, exit 2', async () => {
    const plan = await planFor(agentNode('v1.35.0'), 'kubelet.service', agent({ kind: 'off' }));
    expect(plan.agent).toMatchObject({ watchdog_sec: null, healthz: { url: 'http://127.0.0.1:10248/healthz' } });
    expect(() => parseWatchdogSec('1')).toThrow(UsageError);
    expect(() => parseCommandLine(['migrate', '--watchdog-sec', '1'])).toThrow(
      /--watchdog-sec: 1 s is too short \(kubelet refuses 1 s or less\)/,
    );
    expect(() => parseCommandLine(['migrate', '--watchdog-sec', 'abc'])).toThrow(/expected whole seconds/);
    expect(() => parseCommandLine(['migrate', '--watchdog-sec', '5', '--no-watchdog'])).toThrow(/one or the other/);
    expect(() => parseCommandLine(['status', '--no-watchdog'])).toThrow(/go with migrate and plan/);
    expect(parseCommandLine(['migrate', '--watchdog-sec', '30']).watchdog).toEqual({ kind: 'sec', sec: 30 });
    const thirty = await planFor(agentNode('v1.35.0'), 'kubelet.service', agent({ kind: 'sec', sec: 30 }));
    expect(thirty.agent?.watchdog_sec).toBe(30);
  });

  it('--probe sets the liveness probe, shown in the preview; ignored with a warning beside the watchdog', async () => {
    const times = parseCommandLine(['migrate', '--probe', 'interval=2,failures=3,grace=10']).probe;
    expect(times).toEqual({ interval: 2, failures: 3, grace: 10 });
    const plan = await planFor(agentNode('v1.28.4'), 'kubelet.service', { ...agent(), probe: times });
    const healthz = { url: 'http://127.0.0.1:10248/healthz', interval: 2, timeout: 10, failures: 3, grace: 10 };
    expect(agentSettings(plan, 'kubelet').healthz).toEqual(healthz);
    expect(plan.carried?.join('\n')).toContain(
      'every 2 s, timeout 10 s, restarted after 3 failures in a row, never in the first 10 s',
    );
    const watched = await planFor(agentNode('v1.35.0'), 'kubelet.service', { ...agent(), probe: times });
    expect(watched.agent?.healthz).toBeNull();
    expect(watched.warnings.join('\n')).toContain('--probe ignored: kubelet has its watchdog');
    expect(() => parseCommandLine(['migrate', '--probe', 'interval=0'])).toThrow(/interval wants whole seconds/);
    expect(() => parseCommandLine(['migrate', '--probe', 'every=5'])).toThrow(/expected interval=/);
    expect(() => parseCommandLine(['status', '--probe', 'grace=5'])).toThrow(/go with migrate and plan/);
  });

  it('containerd: no alive FIFO (its shims outlive it), no watchdog, no probe, its READY=1; one listener', async () => {
    const node = agentNode('v1.35.0');
    const [kubelet, containerd] = [await planFor(node), await planFor(node, 'containerd.service')];
    expect(containerd.agent).toEqual({
      unit: 'containerd.service',
      alive_fifo: false,
      watchdog_sec: null,
      kill_grace: 10,
      healthz: null,
      notify: true,
      notify_access: 'main',
      start_timeout_sec: 90,
    });
    expect(fileOf(containerd, '/etc/kubesup-tui/containerd.sh')?.content).not.toContain('/run/kubesup-tui/alive');
    for (const p of [LISTENER, '/etc/kubesup-tui/agent.json', `${AGENT_DIR}/kubesup-agent.py`])
      expect(fileOf(containerd, p)?.content).toBe(fileOf(kubelet, p)?.content);
  });
});

describe('two units share one listener', () => {
  const migrate = async (node: FakeNode, unit: string) => {
    const result = await beginMigration(node.host, await planFor(node, unit), () => undefined, {
      verifyTimeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true });
  };
  const rollback = async (node: FakeNode, unit: string) => {
    const journal = await readJournal(node.files, unit);
    expect((await rollBack(node.host, journal!, () => undefined)).ok).toBe(true);
  };

  it('rolling back one keeps the listener for the other; the last takes every agent file away', async () => {
    const node = agentNode('v1.35.0');
    const before = { ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') };
    await migrate(node, 'kubelet.service');
    expect(node.supervisord.groups.has('kubesup-agent')).toBe(true);
    expect(node.systemd.calls).toContain(`/usr/bin/python3 -m compileall -q ${AGENT_DIR}`);
    await migrate(node, 'containerd.service');
    expect(node.files.text('/etc/kubesup-tui/agent.d/containerd.json')).toBeDefined();

    await rollback(node, 'kubelet.service');
    expect(node.files.text('/etc/kubesup-tui/agent.d/kubelet.json')).toBeUndefined();
    expect(node.files.text(LISTENER)).toBeDefined();
    expect(node.files.text(`${AGENT_DIR}/kubesup_agent/agent.py`)).toBeDefined();
    expect(node.supervisord.groups.has('kubesup-agent')).toBe(true);

    await rollback(node, 'containerd.service');
    expect(node.supervisord.groups.has('kubesup-agent')).toBe(false);
    expect({ ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') }).toEqual(before);
  });
});

describe("the agent's steps fail, or run twice", () => {
  const files = (node: FakeNode) => ({ ...node.files.snapshot('/etc'), ...node.files.snapshot('/usr') });
  it.each([
    [
      'agent-compile',
      (node: FakeNode) =>
        node.systemd.failures.set(`/usr/bin/python3 -m compileall -q ${AGENT_DIR}`, {
          exitCode: 1,
          stdout: '',
          stderr: 'SyntaxError: invalid syntax',
        }),
    ],
    ['agent-start', (node: FakeNode) => node.supervisord.faults.set('supervisor.addProcessGroup', FaultCode.BAD_NAME)],
  ])('fails at %s: rolled back, no agent file left', async (stepId, fail) => {
    const node = agentNode('v1.35.0');
    const before = files(node);
    const plan = await planFor(node);
    fail(node);
    const failed: string[] = [];
    const result = await beginMigration(
      node.host,
      plan,
      (e) => e.type === 'step-failed' && failed.push(`${e.step.id}: ${e.error}`),
      { verifyTimeoutMs: 3000 },
    );
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(failed[0]).toMatch(new RegExp(`^${stepId}: `));
    expect(files(node)).toEqual(before);
    expect(node.supervisord.groups.has('kubesup-agent')).toBe(false);
  });

  it('a compile and a start left "running" by a kill run again: one listener, kubelet supervised', async () => {
    const node = agentNode('v1.35.0');
    expect((await beginMigration(node.host, await planFor(node), () => undefined, { verifyTimeoutMs: 5000 })).ok).toBe(
      true,
    );
    const journal = (await readJournal(node.files))!;
    journal.state = 'in-progress';
    for (const id of ['agent-compile', 'agent-start', 'verify'])
      journal.steps[id] = { status: 'running', at: journal.updatedAt };
    const result = await carryOut(node.host, journal, () => undefined, { verifyTimeoutMs: 5000 });
    expect(result.ok).toBe(true);
    expect([...node.supervisord.groups.keys()].filter((g) => g === 'kubesup-agent')).toHaveLength(1);
    expect(node.supervisord.groups.get('kubelet')?.state).toBe('RUNNING');
  });
});
