// The monitor engine on a node in memory, its timers stepped by hand: what moves each second (uptimes in the
// first minute, a wrapper's countdown) moves each second; actions from the monitor are history.
import { afterEach, describe, expect, it } from 'vitest';
import { engineOn, row, stopEngines } from '../../helpers/engine-on-node.js';
import { fakeNode } from '../../helpers/fake-host/index.js';

afterEach(stopEngines);

describe('ticking each second', () => {
  it('in its first minute an uptime moves each second, as supervisorctl says it, though the log is quiet', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node, { pollMs: 250, healthMs: 60_000 });
    engine.start();
    // Just past a second's turn: the poll that follows each turn has come.
    await node.clock.advance(1000 - (node.clock.now() % 1000) + 30);
    const uptimes: number[] = [];
    for (let i = 0; i < 8; i++) {
      await node.clock.advance(1000);
      const p = row(engine, 'node-exporter');
      uptimes.push((p?.now ?? 0) - (p?.start ?? 0));
      // Never behind supervisord's own clock by a second or more.
      expect(Math.floor(node.clock.now() / 1000) - (p?.now ?? 0)).toBeLessThan(1);
    }
    expect(new Set(uptimes).size).toBe(8);
  });

  it("a wrapper's countdown to its next try ticks each second, past the first minute too", async () => {
    const node = fakeNode('kubekey-centos7');
    await node.clock.sleep(65_000);
    const engine = engineOn(node, { pollMs: 250, healthMs: 60_000 });
    await engine.pollOnce();
    const pid = row(engine, 'node-exporter')?.pid as number;
    node.files.put('/run/kubesup-tui/node-exporter.pace', `${Math.floor(node.clock.now() / 1000) + 6} 2 ${pid}\n`);
    engine.start();
    await node.clock.advance(1000 - (node.clock.now() % 1000) + 30);
    const seen: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      seen.push(row(engine, 'node-exporter')?.waiting?.retryInS);
      await node.clock.advance(1000);
    }
    expect(seen).toEqual([5, 4, 3, 2]);
  });
});

describe('actions are history', () => {
  it(`a restart from the monitor is an exit said to be the monitor's,\
 and the followed log marks the stop and the start`, async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    engine.followLog('node-exporter');
    await engine.pollOnce();
    await engine.pollOnce();
    const pid = row(engine, 'node-exporter')?.pid;
    await node.clock.sleep(2000);
    await engine.act('restart', 'node-exporter');
    await engine.pollOnce();
    const h = row(engine, 'node-exporter')?.history;
    expect(h?.lastExit).toMatchObject({
      signal: 'SIGTERM',
      expected: true,
      stoppedBy: { who: 'you', action: 'restart' },
    });
    expect(h?.requests).toMatchObject([{ action: 'restart', ok: true }]);
    const marks = engine.log.toArray().filter((l) => l.mark);
    const next = row(engine, 'node-exporter')?.pid;
    expect(next).not.toBe(pid);
    expect(marks.map((l) => l.text.replace(/\d\d:\d\d:\d\d/, 'T'))).toEqual([
      '── T node-exporter ended: restarted by you, SIGTERM (ran 2s) ──',
      `── T node-exporter started: pid ${next} ──`,
    ]);
    // A crash after it: marked too, with how it ended.
    node.supervisord.crash('node-exporter');
    await engine.pollOnce();
    expect(
      engine.log
        .toArray()
        .filter((l) => l.mark)
        .at(-2)?.text,
    ).toMatch(/node-exporter ended: SIGKILL/);
  });
});

describe('rows never older than the marks beside them', () => {
  it('a crash between the poll of the processes and the read of the main log: the rows are read again', async () => {
    const node = fakeNode('kubekey-centos7');
    const engine = engineOn(node);
    engine.followLog('node-exporter');
    await engine.pollOnce();
    await engine.pollOnce();
    const before = row(engine, 'node-exporter')?.pid;
    // The main log is read again after 5 s; the program dies and is started again just before that read.
    await node.clock.sleep(6000);
    const dispatch = node.supervisord.dispatch.bind(node.supervisord);
    let armed = true;
    node.supervisord.dispatch = (method, params) => {
      if (method === 'supervisor.readLog' && armed) {
        armed = false;
        node.supervisord.crash('node-exporter');
      }
      return dispatch(method, params);
    };
    await engine.pollOnce();
    expect(armed).toBe(false);
    const started = engine.log
      .toArray()
      .filter((l) => l.mark)
      .at(-1)?.text;
    const now = row(engine, 'node-exporter')?.pid;
    expect(now).not.toBe(before);
    expect(started).toBe(`── ${started?.slice(3, 11)} node-exporter started: pid ${now} ──`);
  });
});
