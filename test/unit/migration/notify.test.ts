// A Type=notify unit moved with kubesup-agent: NOTIFY_SOCKET in its wrapper (WATCHDOG_USEC too when the unit sets
// WatchdogSec=), its READY=1 what verify waits for within TimeoutStartSec=, and what `status` says of it.
import { describe, expect, it } from 'vitest';
import { AGENT_SOURCES } from '../../../src/cli/agent-sources.js';
import { parseCommandLine } from '../../../src/cli/args.js';
import { runStatus } from '../../../src/cli/commands/status.js';
import type { WatchdogChoice } from '../../../src/core/migration/plan/agent.js';
import { planForNode } from '../../../src/core/migration/plan/plan.js';
import { carriedSettings } from '../../../src/core/migration/plan/run-lines.js';
import { beginMigration } from '../../../src/core/migration/session.js';
import type { StatusReport } from '../../../src/core/monitor/status-report.js';
import { DEFAULT_RUN, type RunSettings } from '../../../src/core/systemd/run-settings.js';
import { nodeWithContainerd } from '../../helpers/containerd-node.js';
import type { FakeNode } from '../../helpers/fake-host/index.js';

const UNIT = '/etc/systemd/system/containerd.service';
const WRAPPER = '/etc/kubesup-tui/containerd.sh';

/** The reference node with containerd (Type=notify), its unit given `extra` lines; supervisord run by Python 3. */
function notifyNode(extra = ''): FakeNode {
  const node = nodeWithContainerd();
  node.files.put(UNIT, (node.files.text(UNIT) ?? '').replace('Type=notify', `Type=notify\n${extra}`));
  node.systemd.programs.set('/usr/bin/python3', (args) => ({
    exitCode: 0,
    stdout: args[0] === '--version' ? 'Python 3.11.2\n' : '',
    stderr: '',
  }));
  // The rollback of the last moved unit takes the agent's folder away (rm -rf, rmdir) from the files in memory.
  for (const command of ['rm', 'rmdir'])
    node.systemd.programs.set(command, (args) => {
      const dir = args.at(-1) as string;
      for (const p of [...node.files.entries.keys()]) if (p.startsWith(`${dir}/`)) node.files.entries.delete(p);
      return { exitCode: 0, stdout: '', stderr: '' };
    });
  return node;
}

const plan = (node: FakeNode, watchdog: WatchdogChoice = { kind: 'default' }) =>
  planForNode(node.host, {
    program: 'containerd',
    unit: 'containerd.service',
    tool: 'kubesup-tui test',
    agent: { sources: AGENT_SOURCES, watchdog, textfileDir: null },
  });
type Plan = Awaited<ReturnType<typeof plan>>;
const text = (p: Plan, path: string) => p.files.find((f) => f.path === path)?.content ?? '';

describe('a Type=notify unit in the plan', () => {
  it('containerd: NOTIFY_SOCKET (no watchdog), NotifyAccess=main, the default 90 s, said in the preview', async () => {
    const p = await plan(notifyNode());
    expect(p.agent).toMatchObject({ notify: true, notify_access: 'main', start_timeout_sec: 90, watchdog_sec: null });
    expect(JSON.parse(text(p, '/etc/kubesup-tui/agent.d/containerd.json'))).toEqual(p.agent);
    const wrapper = text(p, WRAPPER);
    expect(wrapper).toContain('\nexport NOTIFY_SOCKET=/run/kubesup-tui/notify/containerd\n');
    expect(wrapper).toContain('[ -S /run/kubesup-tui/notify/containerd ] && break');
    expect(wrapper).not.toContain('WATCHDOG_USEC');
    expect(wrapper.indexOf('NOTIFY_SOCKET')).toBeLessThan(wrapper.lastIndexOf('\nexec '));
    const carried = (p.carried ?? []).join('\n');
    expect(carried).not.toContain('without NOTIFY_SOCKET');
    expect(p.steps.find((s) => s.id === 'verify')?.title).toMatch(/same command line, its READY=1 \(Type=notify\)$/);
    expect(carried).toContain(
      "Type=notify: NOTIFY_SOCKET in the wrapper (kubesup-agent's); its READY=1 marks containerd started: verify " +
        'and status wait for it, within TimeoutStartSec=90s of its start, else it is stopped and started again',
    );
  });

  it("etcd's kind: WatchdogSec= served with WATCHDOG_USEC, NotifyAccess=all, TimeoutStartSec= kept", async () => {
    const p = await plan(notifyNode('NotifyAccess=all\nWatchdogSec=20s\nTimeoutStartSec=5min'));
    expect(p.agent).toMatchObject({ notify: true, notify_access: 'all', start_timeout_sec: 300, watchdog_sec: 20 });
    expect(text(p, WRAPPER)).toContain(
      'export NOTIFY_SOCKET=/run/kubesup-tui/notify/containerd WATCHDOG_USEC=20000000 WATCHDOG_PID=$$',
    );
    expect((p.carried ?? []).join('\n')).toMatch(/watchdog: WatchdogSec=20s \(WATCHDOG_USEC in the wrapper\)/);
    const off = await plan(notifyNode('WatchdogSec=20s'), { kind: 'off' });
    expect(off.agent?.watchdog_sec).toBeNull();
    expect(text(off, WRAPPER)).not.toContain('WATCHDOG_USEC');
    const forever = await plan(notifyNode('TimeoutStartSec=infinity'));
    expect(forever.agent?.start_timeout_sec).toBeNull();
    expect((forever.carried ?? []).join('\n')).toContain('however long it takes (TimeoutStartSec=infinity)');
  });

  it('`detect` says what a migration would do; a plan without the agent says nobody listens', () => {
    const notify: RunSettings = { ...DEFAULT_RUN, notify: true, timeoutStartSec: 90 };
    const last = (agent?: boolean, run = notify) => carriedSettings('containerd.service', run, 0, agent).at(-1);
    expect(last()).toBe(
      'Type=notify: its READY=1 to kubesup-agent (NOTIFY_SOCKET in the wrapper) marks it started, ' +
        'within TimeoutStartSec=90s',
    );
    expect(last(undefined, { ...notify, timeoutStartSec: null })).toMatch(/marks it started, for ever$/);
    expect(last(false)).toBe(
      'Type=notify: no NOTIFY_SOCKET without kubesup-agent; supervisord counts it up after startsecs',
    );
    expect(carriedSettings('containerd.service', notify, 0, true).join('\n')).not.toContain('Type=notify');
  });

  it('a unit without Type=notify gets no NOTIFY_SOCKET and no notify keys', async () => {
    const node = notifyNode();
    node.files.put(UNIT, (node.files.text(UNIT) ?? '').replace('Type=notify\n', ''));
    const p = await plan(node);
    expect(p.agent?.notify).toBeUndefined();
    expect(text(p, WRAPPER)).not.toContain('NOTIFY_SOCKET');
  });
});

async function status(node: FakeNode): Promise<{ json: StatusReport; text: string }> {
  let json = '';
  let text = '';
  await runStatus(node.host, parseCommandLine(['status', '--json']), (t) => (json += t));
  await runStatus(node.host, parseCommandLine(['status']), (t) => (text += t));
  return { json: JSON.parse(json) as StatusReport, text };
}

describe('verify and status wait for READY=1', () => {
  it('containerd said READY=1: verify says so, and status tells when, since its start', async () => {
    const node = notifyNode();
    const verified: string[] = [];
    const result = await beginMigration(
      node.host,
      await plan(node),
      (e) => e.type === 'step-done' && e.step.id === 'verify' && verified.push(String(e.detail)),
      { verifyTimeoutMs: 5000 },
    );
    expect(result).toMatchObject({ ok: true });
    expect(verified.join('')).toMatch(/^containerd RUNNING as pid \d+, READY=1 said, /);
    const pid = node.supervisord.groups.get('containerd')?.pid;
    const { json, text } = await status(node);
    expect(json.programs.find((p) => p.name === 'containerd')).toMatchObject({ pid, ready: true });
    expect(json.programs.find((p) => p.name === 'containerd')?.ready_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(json.programs.find((p) => p.name === 'node-exporter')).toMatchObject({ ready: null, ready_at: null });
    expect(text).toMatch(/^containerd READY=1 at \S+ \(Type=notify: started\)$/m);

    // Its next start has not said it yet (the agent took the file away at STARTING): status says so.
    node.saysReady = false;
    node.files.entries.delete('/run/kubesup-tui/ready/containerd');
    node.supervisord.crash('containerd');
    const again = await status(node);
    const containerd = again.json.programs.find((p) => p.name === 'containerd');
    expect(containerd).toMatchObject({ ready: false, ready_at: null });
    const line = again.text.split('\n').find((l) => l.startsWith('containerd has not said READY=1'));
    expect(line).toMatch(/^containerd has not said READY=1 since its start \(pid \d+\) \(Type=notify: not started as /);
    expect(line).toMatch(/ not started as systemd counts it\)$/);
  });

  it('a containerd that never says READY=1: verify waits out TimeoutStartSec=, fails, is rolled back', async () => {
    const node = notifyNode('TimeoutStartSec=30');
    node.saysReady = false;
    const failed: string[] = [];
    const started = node.clock.now();
    const result = await beginMigration(
      node.host,
      await plan(node),
      (e) => e.type === 'step-failed' && failed.push(`${e.step.id}: ${e.error}`),
      { verifyTimeoutMs: 5000 },
    );
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(failed[0]).toMatch(
      /^verify: containerd \(pid \d+\) has not said READY=1 within TimeoutStartSec=30s of its start: systemd would/,
    );
    // Longer than the 5 s verify would wait for anything else: systemd's bound.
    expect(node.clock.now() - started).toBeGreaterThanOrEqual(30_000);
    expect(node.systemd.isActive('containerd.service')).toBe(true);
  });
});
