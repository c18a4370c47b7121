import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServices, KEYS, monitorData, program, renderApp } from '../helpers/render-app.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

function setup(size?: { columns: number; rows: number }) {
  const { services, monitor } = fakeServices();
  const app = renderApp(services, 'monitor', size);
  apps.push(app);
  return { app, monitor };
}

/** supervisord's clock in these tests: 2026-11-26 10:06:05 UTC. */
const NOW_S = Date.UTC(2026, 10, 26, 10, 6, 5) / 1000;

const crash = (minutesAgo: number, ranForMs: number | null = 3 * 3600_000) => ({
  time: (NOW_S - minutesAgo * 60) * 1000,
  status: null,
  signal: 'SIGKILL',
  expected: false,
  respawned: true,
  duringStart: false,
  ranForMs,
});

const KUBELET_CRASHED = program({
  name: 'kubelet',
  pid: 4242,
  start: NOW_S - 65,
  now: NOW_S,
  history: { restarts: 3, spawns: 4, exits: [crash(1)], lastExit: crash(1) },
});

describe('monitor screen', () => {
  it('shows every program with state, pid, uptime, restarts and last exit, and kubelet health', async () => {
    const { app, monitor } = setup();
    monitor.push(
      monitorData([
        KUBELET_CRASHED,
        program({ name: 'node-exporter', state: 'BACKOFF', pid: 0 }),
        program({ name: 'fluentd', state: 'FATAL', pid: 0 }),
      ]),
    );
    const f = await app.waitFor((x) => x.includes('kubelet'), 'the program table');
    expect(f).toMatch(/› kubelet\s+RUNNING\s+4242\s+1m\s+3\s+10:05:05 SIGKILL/);
    expect(f).toMatch(/node-exporter\s+BACKOFF\s+-/);
    expect(f).toMatch(/fluentd\s+FATAL/);
    expect(f).toContain('kubelet healthz ok 1 ms');
    expect(f).toContain('kubelet: 3 restarts since supervisord started');
  });

  it('supervisord unreachable: a banner, and the last data marked stale', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([KUBELET_CRASHED]));
    await app.waitFor((x) => x.includes('4242'), 'the table');
    monitor.push(
      monitorData([KUBELET_CRASHED], {
        connected: false,
        stale: true,
        problem: 'no supervisord socket at /run/supervisor.sock',
      }),
    );
    const f = await app.waitFor((x) => x.includes('unreachable'), 'the banner');
    expect(f).toContain('STALE · supervisord unreachable, reconnecting: no supervisord socket at /run/supervisor.sock');
    expect(f).toContain('4242');
  });

  it('j selects the next program and follows its log; actions ask for y first', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([KUBELET_CRASHED, program({ name: 'node-exporter' })]));
    await app.waitFor((x) => x.includes('› kubelet'), 'kubelet selected');
    expect(monitor.followed.at(-1)).toBe('kubelet');
    app.press('j');
    await app.waitFor((x) => x.includes('› node-exporter'), 'node-exporter selected');
    expect(monitor.followed.at(-1)).toBe('node-exporter');

    app.press('r');
    await app.waitFor((x) => /restart node-exporter\?\s+\[y\/N\]/.test(x), 'the confirmation');
    app.press('n');
    await app.waitFor((x) => !x.includes('[y/N]'), 'the confirmation closed');
    expect(monitor.acted).toEqual([]);

    app.press('r');
    await app.waitFor((x) => x.includes('[y/N]'), 'the confirmation');
    app.press('y');
    await app.waitFor((x) => x.includes('✓ node-exporter: restarted'), 'the outcome');
    expect(monitor.acted).toEqual([['restart', 'node-exporter']]);
  });

  it('a FATAL program is recovered with s', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([program({ name: 'kubelet', state: 'FATAL', pid: 0 })]));
    await app.waitFor((x) => x.includes('FATAL'), 'FATAL');
    app.press('s');
    await app.waitFor((x) => /recover \(start\) FATAL kubelet\?\s+\[y\/N\]/.test(x), 'the recovery question');
    expect(monitor.acted).toEqual([]);
    app.press('y');
    await app.waitFor((x) => x.includes('✓ kubelet: started'), 'the outcome');
    expect(monitor.acted).toEqual([['start', 'kubelet']]);
  });

  it('the log: klog lines, pause, search with n, severity filter', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([KUBELET_CRASHED]));
    monitor.log([
      'I1126 10:00:00.000001    42 kubelet.go:1] "SyncLoop" line=1',
      'W1126 10:00:01.000001    42 reflector.go:2] "watch ended" line=2',
      'E1126 10:00:02.000001    42 pod_workers.go:3] "Error syncing pod" line=3',
      'I1126 10:00:03.000001    42 kubelet.go:4] "SyncLoop" line=4',
    ]);
    monitor.push(monitorData([KUBELET_CRASHED], { logVersion: 1 }));
    let f = await app.waitFor((x) => x.includes('line=4'), 'the log lines');
    expect(f).toContain('kubelet log · following · level ≥ info');

    app.press('f');
    await app.waitFor((x) => x.includes('· paused ·'), 'paused');
    app.press('/');
    await app.waitFor((x) => x.includes('type to search'), 'the search prompt');
    app.press('Sync');
    app.press('Loop');
    await app.waitFor((x) => x.includes('/SyncLoop'), 'the search box');
    app.press(KEYS.enter);
    f = await app.waitFor((x) => x.includes('"SyncLoop" 2 of 2'), 'the match count');
    // Enter lands on the newest match (line=4, the 4th line); n goes on to the next one, wrapping to line=1.
    expect(app.store.getState().log.matchSeq).toBe(4);
    app.press('n');
    await vi.waitFor(() => expect(app.store.getState().log.matchSeq).toBe(1));
    app.press('N');
    await vi.waitFor(() => expect(app.store.getState().log.matchSeq).toBe(4));

    app.press('l');
    f = await app.waitFor((x) => x.includes('level ≥ warning'), 'the warning filter');
    expect(f).not.toContain('line=1');
    expect(f).toContain('line=2');
    expect(f).toContain('line=3');
  });

  it('? lists the keys; esc closes it', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([KUBELET_CRASHED]));
    await app.waitFor((x) => x.includes('4242'), 'the table');
    app.press('?');
    const f = await app.waitFor((x) => x.includes('Keys'), 'help');
    expect(f).toContain('search (n, N: next, previous)');
    app.press(KEYS.escape);
    await app.waitFor((x) => !x.includes('Keys') && x.includes('4242'), 'help closed');
  });

  it('fits 80x24: no line wider than 80, fewer than 24 rows, long names cut rather than wrapped', async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    monitor.push(
      monitorData([
        program({ name: 'a-program-with-a-really-long-name-that-does-not-fit-anywhere', pid: 7, now: NOW_S }),
        KUBELET_CRASHED,
      ]),
    );
    monitor.log(
      Array.from({ length: 100 }, (_, i) => `I1126 10:00:00.000001    42 kubelet.go:1] "line=${i} ${'x'.repeat(150)}"`),
    );
    monitor.push(
      monitorData(
        [
          program({ name: 'a-program-with-a-really-long-name-that-does-not-fit-anywhere', pid: 7, now: NOW_S }),
          KUBELET_CRASHED,
        ],
        { logVersion: 2 },
      ),
    );
    const f = await app.waitFor((x) => x.includes('line=99'), 'the newest line');
    const lines = f.split('\n');
    expect(lines.length).toBeLessThan(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    // The name gives way (to 20 columns here) before LAST EXIT does.
    expect(f).toMatch(/› a-program-with-a-r\S*… RUNNING/);
    expect(f).toMatch(/\? help {2}q quit$/m);
    expect(f).toContain('LAST EXIT');
    expect(f).toMatch(/kubelet\s+RUNNING\s+4242\s+1m\s+3\s+10:05:05 SIGKILL/);
  });

  it(`the log follows the selected program even when the first data held no programs \
(a slow supervisord)`, async () => {
    const { app, monitor } = setup();
    // kubelet's health answered first; supervisord's programs only in a later batch.
    monitor.push(monitorData([], { connected: false }));
    await app.waitFor((x) => x.includes('healthz'), 'the first data');
    monitor.push(monitorData([KUBELET_CRASHED]));
    await vi.waitFor(() => expect(monitor.followed).toEqual(['kubelet']));
    monitor.log(['I1126 10:00:00.000001    42 kubelet.go:1] "SyncLoop" line=1']);
    monitor.push(monitorData([KUBELET_CRASHED], { logVersion: 1 }));
    await app.waitFor((x) => x.includes('line=1'), 'the log line');
  });

  it(`health in the words status --json uses: unreachable when nothing answers, \
failing when it answers not ok`, async () => {
    const { app, monitor } = setup();
    const url = 'http://127.0.0.1:10248/healthz';
    monitor.push(
      monitorData([KUBELET_CRASHED], {
        health: { url, result: { ok: false, latencyMs: 0, error: 'connection refused' }, checkedAt: 1, lastOkAt: null },
      }),
    );
    const u = await app.waitFor((x) => x.includes('UNREACHABLE: connection refused'), 'unreachable');
    // No answer ok yet: not a made-up age.
    expect(u).toContain('UNREACHABLE: connection refused (not ok since the monitor opened)');
    monitor.push(
      monitorData([KUBELET_CRASHED], {
        health: { url, result: { ok: false, status: 500, latencyMs: 1 }, checkedAt: 2, lastOkAt: null },
      }),
    );
    await app.waitFor((x) => x.includes('FAILING: HTTP 500'), 'failing');
  });

  it('/, the query and Enter typed in one go (a paste, a fast typist over SSH) all reach the search box', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([KUBELET_CRASHED]));
    monitor.log([
      'I1126 10:00:00.000001    42 kubelet.go:1] "SyncLoop" line=1',
      'I1126 10:00:01.000001    42 kubelet.go:2] "other" line=2',
    ]);
    monitor.push(monitorData([KUBELET_CRASHED], { logVersion: 1 }));
    await app.waitFor((x) => x.includes('line=2'), 'the log lines');
    // No waiting between the keys: the screen has not drawn the open box when the query arrives.
    app.press('/');
    app.press('Sync');
    app.press(KEYS.enter);
    const f = await app.waitFor((x) => x.includes('"Sync" 1 of 1'), 'the query and its match');
    expect(f).not.toContain('"/Sync"');
    expect(monitor.acted).toEqual([]);
  });

  it('a waiting wrapper: its countdown apart from the pid, no uptime; health age from the real last ok', async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    const url = 'http://127.0.0.1:10248/healthz';
    const waiting = program({ name: 'kubelet', pid: 517, now: NOW_S, waiting: { retryInS: 3, failedStarts: 2 } });
    const okAt = NOW_S * 1000 - 4_300;
    monitor.push(
      monitorData([waiting], {
        health: { url, result: { ok: false, latencyMs: 0, error: 'timeout' }, checkedAt: NOW_S * 1000, lastOkAt: okAt },
      }),
    );
    const f = await app.waitFor((x) => x.includes('WAITING'), 'the waiting row');
    expect(f).toMatch(/› kubelet\s+WAITING 3s\s+517\s+-\s+0/);
    expect(f).toContain('UNREACHABLE: timeout (last ok 4s ago)');
  });

  it('at 80 columns the counts are said to be partial before the address is', async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    monitor.push(monitorData([KUBELET_CRASHED], { historyComplete: false }));
    const f = await app.waitFor((x) => x.includes('4242'), 'the table');
    expect(f).toMatch(/^supervisord RUNNING pid 42 · restart counts partial \(main log rotated\) · unix:/m);
  });
});
