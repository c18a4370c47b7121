// kubesup-agent's agent-state.json read and checked, its reasons in words, and merged over the main log's
// history without an exit listed twice.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withAgentHistory } from '../../../src/core/monitor/agent-history.js';
import {
  AGENT_STATE_PATH,
  parseAgentState,
  readAgentState,
  reasonCounts,
  reasonWords,
  totalRestarts,
} from '../../../src/core/monitor/agent-state.js';
import { endedBy } from '../../../src/core/monitor/exit-history.js';
import type { ExitRecord, ProgramHistory } from '../../../src/core/monitor/restart-history.js';
import { FakeFiles } from '../../helpers/fake-host/index.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/agent-state');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const STATE = parseAgentState(fixture('kubelet-reasons.json'));
const at = (h: number, m: number, s: number, ms = 0) => Date.UTC(2026, 10, 26, h, m, s, ms);

describe('agent-state.json', () => {
  it('is read as the agent writes it: times in ms, oldest first, counts per reason', () => {
    expect(STATE.history).toHaveLength(7);
    expect(STATE.history[1]).toEqual({
      time: at(10, 0, 5, 120),
      program: 'kubelet',
      group: 'kubelet',
      pid: 4101,
      reason: 'crashed',
      detail: 'terminated by SIGSEGV',
      exit: null,
      signal: 'SIGSEGV',
    });
    expect(totalRestarts(STATE, 'kubelet')).toBe(5); // 6 ends, one of them the operator's;
    expect(totalRestarts(STATE, 'etcd')).toBe(0);
    expect(reasonCounts(STATE, 'kubelet')).toEqual({
      exited: 0,
      crashed: 2,
      oom_killed: 1,
      hung_watchdog: 1,
      hung_healthz: 1,
      operator: 1,
    });
    // A reason a newer agent adds is counted and kept, after the known ones.
    const newer = parseAgentState('{"restarts": {"kubelet": {"crashed": 1, "frozen": 2}}, "history": []}');
    expect(Object.entries(reasonCounts(newer, 'kubelet')).at(-1)).toEqual(['frozen', 2]);
    expect(totalRestarts(newer, 'kubelet')).toBe(3);
  });

  it("a fresh agent's file (nothing counted yet) is a source with zero counts", () => {
    const fresh = parseAgentState(fixture('empty-new-agent.json'));
    expect(fresh).toEqual({ restarts: {}, history: [] });
    expect(totalRestarts(fresh, 'kubelet')).toBe(0);
  });

  it.each([
    ['malformed-truncated.txt', 'not JSON'],
    ['malformed-negative-count.json', 'restarts.kubelet.crashed is not a count'],
    ['malformed-history-entry.json', 'history[2].program is not a name'],
  ])('%s is refused, saying why: %s', (name, why) => {
    expect(() => parseAgentState(fixture(name))).toThrow(why);
  });

  it.each([
    ['[]', 'not a JSON object'],
    ['{"restarts": []}', '"restarts" is not an object'],
    ['{"restarts": {"kubelet": 3}}', 'restarts.kubelet is not an object'],
    ['{"history": {}}', '"history" is not a list'],
    ['{"history": [{"time": "noon", "program": "kubelet", "reason": "crashed"}]}', 'history[0].time is not a number'],
    ['{"history": [{"time": 1, "program": "kubelet", "reason": "crashed", "pid": "42"}]}', 'history[0].pid'],
  ])('%s is refused: %s', (text, why) => {
    expect(() => parseAgentState(text)).toThrow(why);
  });

  it('no file: no agent here, and nothing to warn about (an older node)', async () => {
    expect(await readAgentState(new FakeFiles())).toEqual({ state: null, warning: null });
  });

  it('read again with the same bytes: the same read, not parsed again; new bytes: a new one', async () => {
    const files = new FakeFiles();
    files.put(AGENT_STATE_PATH, fixture('kubelet-reasons.json'));
    const first = await readAgentState(files);
    expect(await readAgentState(files, AGENT_STATE_PATH, first)).toBe(first);
    files.put(AGENT_STATE_PATH, fixture('empty-new-agent.json'));
    const second = await readAgentState(files, AGENT_STATE_PATH, first);
    expect(second).not.toBe(first);
    expect(second.state?.history).toEqual([]);
  });

  it('a malformed or unreadable file: one line that says which file and why, never a throw', async () => {
    const files = new FakeFiles();
    files.put(AGENT_STATE_PATH, fixture('malformed-truncated.txt'));
    const bad = await readAgentState(files);
    expect(bad.state).toBeNull();
    expect(bad.warning).toBe(
      "/var/lib/kubesup-tui/agent-state.json (kubesup-agent's restart counts) is unusable (not JSON): " +
        "restart counts from supervisord's main log",
    );
    const locked = new FakeFiles({}, { unreadable: [AGENT_STATE_PATH] });
    locked.put(AGENT_STATE_PATH, fixture('kubelet-reasons.json'));
    const denied = await readAgentState(locked);
    expect(denied.warning).toContain('is unusable (EACCES: permission denied)');
    expect(denied.warning).not.toContain('\n');
  });
});

describe('reasons in words', () => {
  it('each reason as the issue names it', () => {
    const words = STATE.history.map((e) => `${e.program}: ${reasonWords(e)}`);
    expect(words).toEqual([
      'containerd: exited 2',
      'kubelet: crashed (SIGSEGV)',
      'kubelet: OOM-killed',
      'kubelet: hung (watchdog: no WATCHDOG=1 for 60s)',
      'kubelet: hung (healthz: last answer HTTP/1.1 500 Internal Server Error)',
      'kubelet: stopped by the operator',
      'kubelet: crashed (SIGKILL)',
    ]);
    const operator = STATE.history[5] as (typeof STATE.history)[number];
    expect(reasonWords(operator, true)).toBe('restarted by the operator');
    const healthz = {
      reason: 'hung_healthz',
      detail: 'healthz: 6 failures in a row, last: no answer (refused or timed out)',
    };
    expect(reasonWords({ ...healthz, exit: null, signal: 'SIGTERM' })).toBe(
      'hung (healthz: last answer no answer (refused or timed out))',
    );
    expect(reasonWords({ reason: 'frozen_solid', detail: '', exit: null, signal: null })).toBe('frozen solid');
  });
});

const logExit = (over: Partial<ExitRecord>): ExitRecord => ({
  time: 0,
  status: null,
  signal: 'SIGKILL',
  expected: false,
  respawned: true,
  duringStart: false,
  ranForMs: 60_000,
  ...over,
});

function logHistory(exits: ExitRecord[], restarts = exits.length): ProgramHistory {
  return { restarts, spawns: restarts + 1, exits, lastExit: exits.at(-1) ?? null, requests: [] };
}

describe('the agent over the main log', () => {
  it("the agent's counts win; the log's exits get its reasons, matched by pid, else by time", () => {
    const exits = [
      logExit({ time: at(10, 2, 30, 240), signal: 'SIGABRT', pid: 4103 }),
      // No pid known (its spawn line was not read): matched by time, within a few seconds.
      logExit({ time: at(10, 3, 41, 0), signal: 'SIGTERM' }),
      logExit({
        time: at(10, 4, 50, 890),
        signal: 'SIGTERM',
        expected: true,
        pid: 4105,
        stoppedBy: { who: 'request' },
      }),
      logExit({ time: at(10, 5, 5, 300), pid: 4106 }),
    ];
    const h = withAgentHistory('kubelet', logHistory(exits, 2), STATE, at(10, 2, 0));
    expect(h.source).toBe('agent');
    expect(h.restarts).toBe(5);
    expect(h.byReason?.oom_killed).toBe(1);
    // The log covers from 10:02: the agent's two older exits join, the four the log holds are not doubled.
    expect(h.exits.map((e) => endedBy(e))).toEqual([
      'crashed (SIGSEGV)',
      'OOM-killed',
      'hung (watchdog: no WATCHDOG=1 for 60s)',
      'hung (healthz: last answer HTTP/1.1 500 Internal Server Error)',
      'restarted by the operator',
      'crashed (SIGKILL)',
    ]);
    // The log's figures stay (how long it ran); the agent's add the reason and its words.
    expect(h.exits.at(-1)).toMatchObject({ ranForMs: 60_000, reason: 'crashed', detail: 'terminated by SIGKILL' });
    expect(h.lastExit).toBe(h.exits.at(-1));
  });

  it("an agent's record inside what the log covers, matched to no exit, is not listed a second time", () => {
    // The log's exit has another pid than the agent's record at the same moment: not the same end.
    const exits = [logExit({ time: at(10, 5, 5, 300), pid: 9999 })];
    const h = withAgentHistory('kubelet', logHistory(exits), STATE, at(10, 4, 0));
    expect(h.exits.map((e) => e.reason ?? 'log only')).toEqual([
      'crashed',
      'oom_killed',
      'hung_watchdog',
      'hung_healthz',
      'log only',
    ]);
  });

  it('the same pid a boot later (kubelet often has the same pid at each boot) is another exit', () => {
    // The agent has not written this exit yet; its record of pid 4106 is from a day ago.
    const tomorrow = logExit({ time: at(10, 5, 5, 300) + 86_400_000, pid: 4106 });
    const h = withAgentHistory('kubelet', logHistory([tomorrow]), STATE, at(10, 5, 0) + 86_400_000);
    expect(h.lastExit?.reason).toBeUndefined();
    expect(h.exits.filter((e) => e.pid === 4106)).toHaveLength(2);
  });

  it("a monitor's own restart keeps its words; without a log every agent's exit is listed", () => {
    const mine = logExit({
      time: at(10, 4, 51),
      expected: true,
      pid: 4105,
      stoppedBy: { who: 'you', action: 'restart' },
    });
    const h = withAgentHistory('kubelet', logHistory([mine]), STATE, at(10, 4, 0));
    expect(endedBy(h.lastExit as ExitRecord)).toBe('restarted by you');
    expect(h.lastExit?.reason).toBe('operator');
    const noLog = withAgentHistory('kubelet', logHistory([]), STATE, null);
    expect(noLog.exits).toHaveLength(6);
    expect(noLog.exits.at(-1)).toMatchObject({ expected: false, pid: 4106, ranForMs: null });
    expect(noLog.exits.find((e) => e.reason === 'operator')?.expected).toBe(true);
  });

  it("kubesup-agent's own row keeps the log's history: the listener does not count itself", () => {
    const own = logHistory([logExit({ time: at(10, 0, 0) })]);
    expect(withAgentHistory('kubesup-agent', own, STATE, null)).toBe(own);
  });
});
