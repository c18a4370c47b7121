// The monitor engine and `status` on a node in memory with kubesup-agent's agent-state.json: its counts and
// reasons win, one source for the table, the strip, the exits view and `status --json`; a node without the file
// (an older node) keeps the main log's counts; a malformed file is one warning, never a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/args.js';
import { runStatus } from '../../../src/cli/commands/status.js';
import { AGENT_STATE_PATH } from '../../../src/core/monitor/agent-state.js';
import { endedBy } from '../../../src/core/monitor/exit-history.js';
import type { StatusReport } from '../../../src/core/monitor/status-report.js';
import { engineOn, row, stopEngines, TARGET } from '../../helpers/engine-on-node.js';
import { type FakeNode, fakeNode } from '../../helpers/fake-host/index.js';

afterEach(stopEngines);

const WITH_AGENT = { ...TARGET, agentStatePath: AGENT_STATE_PATH };
const DAY_MS = 86_400_000;

/** What the agent writes after node-exporter's process `pid` was OOM-killed now, a watchdog restart a day ago. */
function writeAgentState(node: FakeNode, pid: number, oomAt = node.clock.now()): void {
  const record = (time: number, p: number, reason: string, detail: string, signal: string) => ({
    time: time / 1000,
    program: 'node-exporter',
    group: 'node-exporter',
    pid: p,
    reason,
    detail,
    exit: null,
    signal,
  });
  const history = [
    record(
      oomAt - DAY_MS,
      77,
      'hung_watchdog',
      'watchdog: no WATCHDOG=1 for 60s (pid 77); then terminated by SIGABRT',
      'SIGABRT',
    ),
    record(oomAt, pid, 'oom_killed', `the kernel: Killed process ${pid} (terminated by SIGKILL)`, 'SIGKILL'),
  ];
  const restarts = { 'node-exporter': { hung_watchdog: 1, oom_killed: 1 } };
  node.files.put(AGENT_STATE_PATH, `${JSON.stringify({ history, restarts })}\n`);
}

/** node-exporter killed once (SIGKILL), as supervisord's log tells it; returns the pid that died. */
async function crashed(node: FakeNode, poll: () => Promise<void>): Promise<number> {
  await poll();
  await node.clock.sleep(5000);
  const pid = node.supervisord.groups.get('node-exporter')?.pid ?? 0;
  expect(pid).toBeGreaterThan(0);
  node.supervisord.crash('node-exporter');
  return pid;
}

async function statusJson(node: FakeNode): Promise<{ code: number; report: StatusReport }> {
  let printed = '';
  const code = await runStatus(node.host, parseCommandLine(['status', '--json']), (t) => {
    printed += t;
  });
  return { code, report: JSON.parse(printed) as StatusReport };
}

describe('the monitor engine with the agent', () => {
  it("the agent's counts and reasons win; its day-old exit joins the list; the log's exit is not doubled", async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node, undefined, WITH_AGENT);
    const pid = await crashed(node, () => engine.pollOnce());
    writeAgentState(node, pid);
    await engine.pollOnce();
    const h = row(engine, 'node-exporter')?.history;
    expect(h).toMatchObject({
      source: 'agent',
      restarts: 2,
      byReason: { oom_killed: 1, hung_watchdog: 1, crashed: 0 },
    });
    expect(h?.exits.map((e) => endedBy(e))).toEqual(['hung (watchdog: no WATCHDOG=1 for 60s)', 'OOM-killed']);
    expect(h?.lastExit).toMatchObject({ pid, reason: 'oom_killed', respawned: true, ranForMs: 5000 });
    expect(engine.current).toMatchObject({ historyComplete: true, agentWarning: null });
  });

  it('the reason is shown when the agent writes it, a moment after the log told the exit', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node, undefined, WITH_AGENT);
    writeAgentState(node, 1, node.clock.now() - 60_000);
    const pid = await crashed(node, () => engine.pollOnce());
    await engine.pollOnce();
    expect(endedBy(row(engine, 'node-exporter')?.history.lastExit ?? ({} as never))).toBe('SIGKILL');
    const shown: string[] = [];
    engine.subscribe((d) => {
      const last = d.programs.find((p) => p.name === 'node-exporter')?.history.lastExit;
      if (last) shown.push(endedBy(last));
    });
    writeAgentState(node, pid);
    await engine.pollOnce();
    expect(shown).toEqual(['OOM-killed']);
  });

  it('no agent-state.json (an older node): the main log counts, as before', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node, undefined, WITH_AGENT);
    await crashed(node, () => engine.pollOnce());
    await engine.pollOnce();
    const h = row(engine, 'node-exporter')?.history;
    expect(h?.source).toBeUndefined();
    expect(h?.byReason).toBeUndefined();
    expect(h?.restarts).toBe(1);
    expect(endedBy(h?.lastExit ?? ({} as never))).toBe('SIGKILL');
    expect(engine.current.agentWarning).toBeNull();
  });

  it('a malformed file: one warning, the main log counts, the monitor goes on', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put(AGENT_STATE_PATH, '{"restarts": {"node-exporter": {"crashed": "two"}}}');
    const engine = engineOn(node, undefined, WITH_AGENT);
    await crashed(node, () => engine.pollOnce());
    await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(1);
    expect(engine.current.agentWarning).toMatch(
      /agent-state.json .* unusable \(restarts.node-exporter.crashed is not a/,
    );
  });

  it('supervisord reached over TCP (maybe another host): this node’s agent file is not read', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    const pid = await crashed(node, () => engine.pollOnce());
    writeAgentState(node, pid);
    await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(1);
  });
});

describe('status --json with the agent', () => {
  it('restarts in total and by reason, the exits with their reasons, and which source said so', async () => {
    const node = fakeNode('kubekey-centos7');
    const pid = await crashed(node, async () => undefined);
    writeAgentState(node, pid);
    const { report } = await statusJson(node);
    const p = report.programs.find((x) => x.name === 'node-exporter');
    expect(p).toMatchObject({
      restarts: 2,
      restarts_by_reason: { exited: 0, crashed: 0, oom_killed: 1, hung_watchdog: 1, hung_healthz: 0, operator: 0 },
      history_source: 'kubesup-agent',
      last_exit: { signal: 'SIGKILL', expected: false, reason: 'oom_killed', words: 'OOM-killed' },
    });
    expect(p?.last_exit?.detail).toBe(`the kernel: Killed process ${pid} (terminated by SIGKILL)`);
    expect(p?.exits.map((e) => [e.reason, e.words])).toEqual([
      ['oom_killed', 'OOM-killed'],
      ['hung_watchdog', 'hung (watchdog: no WATCHDOG=1 for 60s)'],
    ]);
    expect(report.warnings).toEqual([]);

    let text = '';
    await runStatus(node.host, parseCommandLine(['status']), (t) => {
      text += t;
    });
    expect(text).toMatch(/node-exporter\s+RUNNING\s+\d+\s+\S+\s+2\s+OOM-killed/);
    expect(text).toContain('RESTARTS as kubesup-agent counts them: every end since it began');
  });

  it('without the file: the same fields, from the main log, said so', async () => {
    const node = fakeNode('kubekey-centos7');
    await crashed(node, async () => undefined);
    const { report } = await statusJson(node);
    const p = report.programs.find((x) => x.name === 'node-exporter');
    expect(p).toMatchObject({
      restarts: 1,
      restarts_by_reason: null,
      history_source: 'supervisord-main-log',
      last_exit: { signal: 'SIGKILL', reason: null, detail: null, words: 'SIGKILL' },
    });
    expect(p?.exits).toHaveLength(1);
    let text = '';
    await runStatus(node.host, parseCommandLine(['status']), (t) => {
      text += t;
    });
    expect(text).not.toContain('kubesup-agent');
  });

  it('a malformed file: a warning line in the report, and the exit code it would have had', async () => {
    const node = fakeNode('kubekey-centos7');
    await crashed(node, async () => undefined);
    const before = await statusJson(node);
    node.files.put(AGENT_STATE_PATH, '{"history": [');
    const after = await statusJson(node);
    expect(after.code).toBe(before.code);
    expect(after.report.programs.find((x) => x.name === 'node-exporter')?.restarts).toBe(1);
    expect(after.report.warnings).toContain(
      "/var/lib/kubesup-tui/agent-state.json (kubesup-agent's restart counts) is unusable (not JSON): " +
        "restart counts from supervisord's main log",
    );
  });
});
