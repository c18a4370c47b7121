// The monitor engine on a node in memory, its timers stepped by hand: restart counts, log follow,
// supervisord going away and coming back, redraws only on change, actions.
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorData } from '../../../src/core/monitor/monitor-data.js';
import { engineOn, row, stopEngines, TARGET } from '../../helpers/engine-on-node.js';
import { fakeNode } from '../../helpers/fake-host/index.js';

afterEach(stopEngines);

describe('restart counts', () => {
  it('counts a crash from before the monitor started and two between one poll and the next', async () => {
    const node = fakeNode('kubekey-centos7');
    node.supervisord.crash('node-exporter');
    const engine = engineOn(node);
    await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(1);
    node.supervisord.crash('node-exporter', { status: 2 });
    node.supervisord.crash('node-exporter');
    await engine.pollOnce();
    const history = row(engine, 'node-exporter')?.history;
    expect(history?.restarts).toBe(3);
    expect(history?.lastExit).toMatchObject({ signal: 'SIGKILL', expected: false });
    expect(history?.exits.map((x) => x.status)).toEqual([null, 2, null]);
    expect(engine.current.historyComplete).toBe(true);
  });

  it('polled again without news, counts nothing twice', async () => {
    const node = fakeNode('kubekey-centos7');
    node.supervisord.crash('node-exporter');
    const engine = engineOn(node);
    for (let i = 0; i < 5; i++) await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(1);
  });
});

describe('log follow', () => {
  it("shows the followed program's lines once each, with klog severities", async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    await engine.pollOnce();
    engine.followLog('node-exporter');
    node.supervisord.write(
      'node-exporter',
      'I1127 03:00:00.000001    1 server.go:1] up\nE1127 03:00:01.000001    1 server.go:2] broke\n',
    );
    await engine.pollOnce();
    await engine.pollOnce();
    node.supervisord.write('node-exporter', 'W1127 03:00:02.000001    1 server.go:3] hm\n');
    await engine.pollOnce();
    expect(engine.log.toArray().map((l) => [l.severity, l.text.split('] ')[1]])).toEqual([
      ['info', 'up'],
      ['error', 'broke'],
      ['warning', 'hm'],
    ]);
  });
});

describe('supervisord going away', () => {
  it(`keeps the last data marked stale, says why, reconnects by itself with backoff, \
and counts nothing twice`, async () => {
    const node = fakeNode('kubekey-centos7');
    node.supervisord.crash('node-exporter');
    const engine = engineOn(node);
    engine.start();
    await node.clock.advance(300);
    expect(engine.current.connected).toBe(true);
    const pidBefore = engine.current.supervisordPid;
    node.supervisord.stop();
    await node.clock.advance(250);
    expect(engine.current).toMatchObject({ connected: false, stale: true });
    expect(engine.current.problem).toMatch(/no supervisord socket at \/var\/run\/supervisor\/supervisor.sock/);
    expect(row(engine, 'node-exporter')).toBeDefined();
    node.supervisord.start();
    await node.clock.advance(6000);
    expect(engine.current).toMatchObject({
      connected: true,
      stale: false,
      problem: null,
      logNotice: 'supervisord restarted',
    });
    expect(engine.current.supervisordPid).not.toBe(pidBefore);
    // Counts are "since supervisord started": the new supervisord has restarted nothing.
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(0);
  });
});

describe('redraws', () => {
  /** The engine started on the node, and every notification it makes from then on. */
  async function watchRedraws(node: ReturnType<typeof fakeNode>): Promise<MonitorData[]> {
    const engine = engineOn(node);
    const seen: MonitorData[] = [];
    engine.subscribe((d) => seen.push(d));
    engine.start();
    await node.clock.advance(100);
    return seen;
  }

  it('a quiet node notifies once a second at most; a change at once', async () => {
    const node = fakeNode('kubekey-centos7');
    const seen = await watchRedraws(node);
    const first = seen.length;
    await node.clock.advance(750);
    expect(seen.length).toBe(first);
    await node.clock.advance(500);
    expect(seen.length).toBe(first + 1);
    node.supervisord.crash('node-exporter');
    await node.clock.advance(250);
    expect(seen.length).toBe(first + 2);
  });

  it('a quiet node is redrawn when an uptime word changes: once a minute after the first, not every poll', async () => {
    const node = fakeNode('kubekey-centos7');
    // Every program has run a minute and a bit: its uptime reads "1m" until it reads "2m".
    await node.clock.sleep(65_000);
    const seen = await watchRedraws(node);
    const first = seen.length;
    expect(first).toBeGreaterThan(0);
    await node.clock.advance(40_000);
    expect(seen.length).toBe(first);
    await node.clock.advance(20_000);
    expect(seen.length).toBe(first + 1);
  });
});

describe('health', () => {
  it('says when healthz last answered, and what it answers now', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    await engine.checkHealth();
    const okAt = engine.current.health.lastOkAt;
    expect(engine.current.health.result?.ok).toBe(true);
    node.healthy = () => false;
    await node.clock.sleep(5000);
    await engine.checkHealth();
    expect(engine.current.health).toMatchObject({ result: { ok: false, error: 'connection refused' }, lastOkAt: okAt });
  });
});

describe('actions', () => {
  it('restart gives the program a new pid; stopping a stopped program says so in one line', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    await engine.pollOnce();
    const pid = row(engine, 'node-exporter')?.pid;
    expect(await engine.act('restart', 'node-exporter')).toEqual({ ok: true, message: 'node-exporter: restarted' });
    await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.pid).not.toBe(pid);
    expect(await engine.act('stop', 'node-exporter')).toEqual({ ok: true, message: 'node-exporter: stopped' });
    expect(await engine.act('stop', 'node-exporter')).toEqual({
      ok: false,
      message: 'node-exporter: stop failed: not running',
    });
    expect(await engine.act('start', 'nope')).toEqual({
      ok: false,
      message: 'nope: start failed: no such program in supervisord',
    });
  });
});

describe('a program waiting to retry', () => {
  it(`RUNNING to supervisord but its process still the sleeping wrapper: waiting, \
with the retry and the count`, async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    const nowS = Math.floor(node.clock.now() / 1000);
    await engine.pollOnce();
    const pid = row(engine, 'node-exporter')?.pid as number;
    // A pace file left by another process (an earlier wrapper): supervisord's word stands.
    node.files.put('/run/kubesup-tui/node-exporter.pace', `${nowS + 8} 3 ${pid + 1}\n`);
    await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.waiting).toBeNull();
    // The wrapper at the program's pid wrote it: it sleeps until its next start, no kubelet runs.
    node.files.put('/run/kubesup-tui/node-exporter.pace', `${nowS + 8} 3 ${pid}\n`);
    await engine.pollOnce();
    expect(row(engine, 'node-exporter')?.waiting).toEqual({ retryInS: 8, failedStarts: 3 });
    await node.clock.sleep(9000);
    await engine.pollOnce();
    // Past its next start, the wrapper is starting (ExecStartPre steps), not waiting.
    expect(row(engine, 'node-exporter')?.waiting).toBeNull();
  });
});

describe('waking up on a watched log', () => {
  it(`at rest polls every 5 s; a change of the main log (a crash) brings a poll at once, \
250 ms after the last at most`, async () => {
    const node = fakeNode('kubekey-centos7');
    // Past their first minute, the uptimes move once a minute: nothing asks for a poll each second.
    await node.clock.sleep(65_000);
    const engine = engineOn(node, { pollMs: 250, healthMs: 60_000 });
    const polls = () => node.supervisord.calls.filter((c) => c === 'system.multicall').length;
    engine.start();
    await node.clock.advance(10);
    const first = polls();
    await node.clock.advance(4900);
    expect(polls()).toBe(first);
    await node.clock.advance(200);
    expect(polls()).toBe(first + 1);
    node.supervisord.crash('node-exporter');
    node.files.touch(TARGET.mainLogPath as string);
    // Not 5 s later: at most 250 ms after the last poll.
    await node.clock.advance(250);
    expect(polls()).toBe(first + 2);
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(1);
    // A flood of changes: still one poll per 250 ms at most.
    for (let i = 0; i < 50; i++) {
      node.files.touch(TARGET.mainLogPath as string);
      await node.clock.advance(10);
    }
    expect(polls() - (first + 2)).toBeLessThanOrEqual(2);
  });

  it(`woken by the followed log alone (kubelet writing), reads just its new lines: no process table until \
a whole poll is due`, async () => {
    const node = fakeNode('kubekey-centos7');
    await node.clock.sleep(65_000);
    const engine = engineOn(node, { pollMs: 250, healthMs: 60_000 });
    const calls = (method: string) => node.supervisord.calls.filter((c) => c === method).length;
    engine.start();
    engine.followLog('node-exporter');
    await node.clock.advance(300);
    const logfile = row(engine, 'node-exporter')?.stdoutLogfile as string;
    const whole = calls('system.multicall');
    const reads = calls('supervisor.readProcessStdoutLog');
    for (const n of [1, 2]) {
      node.supervisord.write('node-exporter', `I1127 03:00:0${n}.000001    1 server.go:1] line ${n}\n`);
      node.files.touch(logfile);
      await node.clock.advance(300);
    }
    expect(engine.log.toArray().map((l) => l.text.split('] ')[1])).toEqual(['line 1', 'line 2']);
    expect(calls('system.multicall')).toBe(whole);
    expect(calls('supervisor.readProcessStdoutLog')).toBeGreaterThan(reads);
    // A crash writes the main log: a whole poll at once, whatever the followed log did.
    node.supervisord.crash('node-exporter');
    node.files.touch(TARGET.mainLogPath as string);
    // At once (the next one comes as the restarted program's uptime turns its first second).
    await node.clock.advance(100);
    expect(calls('system.multicall')).toBe(whole + 1);
    expect(row(engine, 'node-exporter')?.history.restarts).toBe(1);
  });
});
