// The monitor on a node with kubesup-agent: each exit's reason in LAST EXIT, the strip's caption and the exits
// view (h), from the agent's own file merged over the main log's history, at 80x24 and wider; a malformed file
// said on the supervisord line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { withAgentHistory } from '../../src/core/monitor/agent-history.js';
import { parseAgentState } from '../../src/core/monitor/agent-state.js';
import type { ExitRecord } from '../../src/core/monitor/restart-history.js';
import { fakeServices, monitorData, program, renderApp } from '../helpers/render-app.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

const FIXTURE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/agent-state/kubelet-reasons.json',
);
const STATE = parseAgentState(fs.readFileSync(FIXTURE, 'utf8'));
/** supervisord's clock: 2026-11-26 10:06:05 UTC, a minute after the fixture's last kubelet exit. */
const NOW_S = Date.UTC(2026, 10, 26, 10, 6, 5) / 1000;

/** The main log since supervisord started at 10:05:00 holds one exit, the agent's last (pid 4106). */
const LOG_EXIT: ExitRecord = {
  time: Date.UTC(2026, 10, 26, 10, 5, 5, 310),
  status: null,
  signal: 'SIGKILL',
  expected: false,
  respawned: true,
  duringStart: false,
  ranForMs: 4_000,
  pid: 4106,
};

function kubelet() {
  const fromLog = { restarts: 1, spawns: 2, exits: [LOG_EXIT], lastExit: LOG_EXIT, requests: [] };
  const history = withAgentHistory('kubelet', fromLog, STATE, Date.UTC(2026, 10, 26, 10, 5, 0));
  return program({ name: 'kubelet', pid: 4242, start: NOW_S - 60, now: NOW_S, history });
}

function setup(size?: { columns: number; rows: number }) {
  const { services, monitor } = fakeServices();
  const app = renderApp(services, 'monitor', size);
  apps.push(app);
  return { app, monitor };
}

describe('the monitor with kubesup-agent', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`${columns}x${rows}: LAST EXIT, the count and the exits view (h) say the agent's reasons`, async () => {
      const { app, monitor } = setup({ columns, rows });
      monitor.push(monitorData([kubelet()]));
      const f = await app.waitFor((x) => x.includes('last hour'), 'the monitor');
      // The agent's count (every end it counted but the operator's), not the main log's 1.
      expect(f).toMatch(/› kubelet\s+RUNNING\s+4242\s+1m\s+5\s+10:05:05 crashed \(SIGKILL\)/);
      expect(f).toContain('kubelet: 5 restarts');
      // The strip: crashes; and, where its slots are a minute each, the operator's stop as a stop.
      const strip = /last hour ([·oX]+)/.exec(f)?.[1] ?? '';
      expect(strip).toContain('X');
      if (columns >= 120) expect(strip.at(-2)).toBe('o');
      app.press('h');
      const h = await app.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
      const lines = h.split('\n');
      const at = (s: string) => lines.findIndex((l) => l.includes(s));
      expect(at('10:05:05  ran 4s, then crashed (SIGKILL)')).toBeGreaterThan(0);
      expect(at('10:04:50  stopped by the operator')).toBeGreaterThan(at('10:05:05'));
      expect(at('10:03:40  hung (healthz: last answer HTTP/1.1 ')).toBeGreaterThan(at('10:04:50'));
      expect(at('10:02:30  hung (watchdog: no WATCHDOG=1 for 60s)')).toBeGreaterThan(at('10:03:40'));
      expect(at('10:01:10  OOM-killed')).toBeGreaterThan(at('10:02:30'));
      expect(at('10:00:05  crashed (SIGSEGV)')).toBeGreaterThan(at('10:01:10'));
      // containerd's exit is containerd's: not in kubelet's list.
      expect(h).not.toContain('exited 2');
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const l of [...f.split('\n'), ...lines]) expect([...l].length).toBeLessThanOrEqual(columns);
    });
  }

  it('at 120 columns the count says whose it is', async () => {
    const { app, monitor } = setup({ columns: 120, rows: 40 });
    monitor.push(monitorData([kubelet()]));
    const f = await app.waitFor((x) => x.includes('last hour'), 'the monitor');
    expect(f).toContain('kubelet: 5 restarts counted by kubesup-agent · last hour');
  });

  it('a fresh agent, nothing recorded: no exits, said without "since supervisord started"', async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    const fresh = parseAgentState('{"restarts": {}, "history": []}');
    const empty = { restarts: 0, spawns: 1, exits: [], lastExit: null, requests: [] };
    const history = withAgentHistory('kubelet', empty, fresh, Date.UTC(2026, 10, 26, 10, 5, 0));
    monitor.push(monitorData([program({ name: 'kubelet', pid: 4242, now: NOW_S, start: NOW_S - 60, history })]));
    await app.waitFor((x) => x.includes('last hour'), 'the monitor');
    app.press('h');
    const h = await app.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
    expect(h).toContain('no exits recorded');
  });

  it("a malformed agent-state.json: said on supervisord's line at 80 columns", async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    const k = program({ name: 'kubelet', pid: 4242, now: NOW_S, start: NOW_S - 60 });
    monitor.push(monitorData([k], { agentWarning: 'agent-state.json is unusable (not JSON)' }));
    const f = await app.waitFor((x) => x.includes('4242'), 'the table');
    expect(f).toMatch(/^supervisord RUNNING pid 42 · agent-state.json unusable · unix:/m);
  });
});
