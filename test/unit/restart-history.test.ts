import { describe, expect, it } from 'vitest';
import { RestartHistory } from '../../src/core/monitor/restart-history.js';
import { findLatestStart, lastStartOffset, parseMainLogLine } from '../../src/core/supervisor/main-log.js';
import { FakeFiles } from '../helpers/fake-host/index.js';

// Lines as supervisord 4.2.5 writes them (supervisor/process.py, options.py).
const LOG = `2026-11-26 10:00:00,001 INFO supervisord started with pid 100
2026-11-26 10:00:01,002 INFO spawned: 'kubelet' with pid 200
2026-11-26 10:00:04,003 INFO success: kubelet entered RUNNING state, process has stayed up for > than 3 seconds \
(startsecs)
2026-11-26 10:05:00,004 WARN exited: kubelet (terminated by SIGKILL; not expected)
2026-11-26 10:05:00,010 INFO spawned: 'kubelet' with pid 201
2026-11-26 10:05:03,011 INFO success: kubelet entered RUNNING state, process has stayed up for > than 3 seconds \
(startsecs)
2026-11-26 10:06:00,000 WARN exited: kubelet (exit status 2; not expected)
2026-11-26 10:06:00,020 INFO spawned: 'kubelet' with pid 202
2026-11-26 10:07:00,000 INFO exited: kubelet (exit status 0; expected)
2026-11-26 10:07:00,030 INFO spawned: 'kubelet' with pid 203
2026-11-26 10:08:00,000 INFO waiting for kubelet to stop
2026-11-26 10:08:00,100 WARN stopped: kubelet (terminated by SIGTERM)
2026-11-26 10:09:00,000 INFO spawned: 'kubelet' with pid 204
2026-11-26 10:09:00,500 WARN exited: kubelet (exit status 1; not expected)
`;

describe('main log lines', () => {
  it.each([
    ["2026-11-26 10:05:00,010 INFO spawned: 'kube let' with pid 201", { kind: 'spawned', name: 'kube let', pid: 201 }],
    [
      '2026-11-26 10:05:00,004 WARN exited: kubelet (terminated by SIGKILL; not expected)',
      { kind: 'exited', status: null, signal: 'SIGKILL', expected: false },
    ],
    [
      '2026-11-26 10:05:00,004 WARN exited: kubelet (terminated by SIGSEGV (core dumped); not expected)',
      { kind: 'exited', signal: 'SIGSEGV' },
    ],
    [
      '2026-11-26 10:05:00,004 INFO exited: kubelet (exit status 0; expected)',
      { kind: 'exited', status: 0, expected: true },
    ],
    [
      '2026-11-26 10:05:00,004 INFO gave up: kubelet entered FATAL state, too many start retries too quickly',
      { kind: 'gave-up', name: 'kubelet' },
    ],
    ['2026-11-26 10:05:00,004 INFO supervisord started with pid 77', { kind: 'started', pid: 77 }],
    [
      '2026-11-26 10:08:00,100 WARN stopped: kubelet (terminated by SIGTERM)',
      { kind: 'stopped', name: 'kubelet', signal: 'SIGTERM', status: null },
    ],
    ['2026-11-26 10:08:00,100 INFO stopped: kubelet (exit status 0)', { kind: 'stopped', status: 0, signal: null }],
  ])('%s', (line, expected) => {
    expect(parseMainLogLine(line)).toMatchObject(expected);
  });

  it('ignores other lines', () => {
    expect(
      parseMainLogLine('2026-11-26 10:00:00,001 CRIT Server running without any HTTP authentication checking'),
    ).toBeUndefined();
    expect(parseMainLogLine('garbage')).toBeUndefined();
  });
});

describe('restart history', () => {
  it(`a stop or restart asked from this monitor is said to be the monitor's; a later one by someone else \
is not`, () => {
    const history = new RestartHistory();
    const at = (t: string, rest: string) => `2026-11-26 ${t},000 INFO ${rest}`;
    history.feedLines([
      at('10:00:00', 'supervisord started with pid 1'),
      at('10:00:01', "spawned: 'kubelet' with pid 2"),
    ]);
    history.asking('kubelet', 'restart');
    history.feedLines([
      at('10:01:00', 'stopped: kubelet (terminated by SIGTERM)'),
      at('10:01:01', "spawned: 'kubelet' with pid 3"),
    ]);
    history.asked('kubelet', { time: Date.UTC(2026, 10, 26, 10, 1, 1), action: 'restart', ok: true });
    history.feedLines([at('10:02:00', 'stopped: kubelet (terminated by SIGTERM)')]);
    const h = history.history('kubelet');
    expect(h.exits.map((e) => e.stoppedBy)).toEqual([{ who: 'you', action: 'restart' }, { who: 'request' }]);
    expect(h.restarts).toBe(0);
    expect(h.requests).toEqual([{ time: Date.UTC(2026, 10, 26, 10, 1, 1), action: 'restart', ok: true }]);
    // Started again by someone else (supervisorctl start): a start on request; a crash's respawn is not one.
    history.feedLines([at('10:03:00', "spawned: 'kubelet' with pid 4")]);
    history.feedLines([at('10:04:00', 'exited: kubelet (terminated by SIGKILL; not expected)')]);
    history.feedLines([at('10:04:01', "spawned: 'kubelet' with pid 5")]);
    expect(history.history('kubelet').requests?.slice(1)).toEqual([
      { time: new Date(2026, 10, 26, 10, 3, 0).getTime(), action: 'start', ok: true, by: 'request' },
    ]);
  });

  it('counts unexpected exits followed by a spawn; not expected exits, stops, or an exit still waiting', () => {
    const history = new RestartHistory();
    history.feedLines(LOG.trim().split('\n'));
    const h = history.history('kubelet');
    expect(h.restarts).toBe(2);
    expect(h.spawns).toBe(5);
    expect(h.exits.map((e) => [e.status, e.signal, e.expected, e.respawned, e.duringStart, e.stoppedBy])).toEqual([
      [null, 'SIGKILL', false, true, false, undefined],
      [2, null, false, true, false, undefined],
      [0, null, true, true, true, undefined],
      // A stop is in the history too, said as one, by whoever asked (not this monitor here).
      [null, 'SIGTERM', true, false, false, { who: 'request' }],
      [1, null, false, false, true, undefined],
    ]);
    expect(h.lastExit).toMatchObject({ status: 1, expected: false, respawned: false });
    expect(history.supervisordPid).toBe(100);
  });

  it('counts from the latest supervisord start', () => {
    const history = new RestartHistory();
    history.feedLines(LOG.trim().split('\n'));
    history.feedLines([
      '2026-11-26 11:00:00,000 INFO supervisord started with pid 300',
      "2026-11-26 11:00:01,000 INFO spawned: 'kubelet' with pid 400",
    ]);
    expect(history.history('kubelet')).toMatchObject({ restarts: 0, spawns: 1, exits: [] });
    expect(history.supervisordPid).toBe(300);
  });

  it('fed in pieces, counts the same as fed at once', () => {
    const lines = LOG.trim().split('\n');
    const a = new RestartHistory();
    a.feedLines(lines);
    const b = new RestartHistory();
    for (const l of lines) b.feedLines([l]);
    expect(b.history('kubelet')).toEqual(a.history('kubelet'));
  });
});

describe('where the latest supervisord start is', () => {
  const log = Buffer.from(
    `a\n2026-11-26 10:00:00,001 INFO supervisord started with pid 1\nb\n` +
      `2026-11-26 11:00:00,001 INFO supervisord started with pid 2\nc\n`,
  );
  it('finds the last start line in a tail, as a byte offset in the file', () => {
    const second = log.indexOf('2026-11-26 11');
    expect(lastStartOffset(log, 0)).toBe(second);
    expect(lastStartOffset(log.subarray(10), 10)).toBe(second);
  });
  it('none in the tail, or only a line cut at its first byte: undefined (read a larger tail)', () => {
    expect(lastStartOffset(Buffer.from('x\ny\n'), 0)).toBeUndefined();
    const cut = log.subarray(log.indexOf('INFO supervisord started with pid 2'));
    expect(lastStartOffset(cut, 100)).toBeUndefined();
  });
});

describe('the latest start in a main log file, read backwards', () => {
  it('reads a growing window from the end until it holds a start line', async () => {
    const filler = 'x'.repeat(300_000);
    const text =
      `2026-11-26 10:00:00,001 INFO supervisord started with pid 1\n${filler}\n` +
      `2026-11-26 11:00:00,001 INFO supervisord started with pid 2\n${filler}\n`;
    const files = new FakeFiles({ '/var/log/supervisor/supervisord.log': text });
    expect(await findLatestStart(files, '/var/log/supervisor/supervisord.log')).toBe(text.indexOf('2026-11-26 11'));
  });

  it('no start line at all, or no file: undefined', async () => {
    const files = new FakeFiles({ '/log': 'nothing here\n' });
    expect(await findLatestStart(files, '/log')).toBeUndefined();
    expect(await findLatestStart(files, '/missing')).toBeUndefined();
  });
});
