import { describe, expect, it } from 'vitest';
import { exitLines, exitStrip, isFlapping, stripText } from '../../../src/core/monitor/exit-history.js';
import { RestartHistory } from '../../../src/core/monitor/restart-history.js';
import { compactDuration, formatClock, plural, uptimeWord } from '../../../src/core/monitor/words.js';
import { truncate } from '../../../src/core/text.js';

const NOW = Date.UTC(2026, 10, 26, 10, 30, 0);
const exit = (minutesAgo: number, expected = false) => ({
  time: NOW - minutesAgo * 60_000,
  status: expected ? 0 : null,
  signal: expected ? null : 'SIGKILL',
  expected,
  respawned: true,
  duringStart: false,
  ranForMs: 60_000,
});

describe('exit history', () => {
  it('a strip of the last hour: X a crash, o a stop, · quiet; older exits fall off', () => {
    const strip = exitStrip([exit(90), exit(59.5), exit(30, true), exit(0.5)], NOW, 60);
    expect(stripText(strip)).toBe(`X${'·'.repeat(28)}o${'·'.repeat(29)}X`);
  });

  it('flapping: three unexpected exits within five minutes; stops do not count', () => {
    expect(isFlapping([exit(4), exit(2), exit(1)], NOW)).toBe(true);
    expect(isFlapping([exit(7), exit(2), exit(1)], NOW)).toBe(false);
    expect(isFlapping([exit(3, true), exit(2), exit(1)], NOW)).toBe(false);
  });

  it('how long each run lasted comes from its spawn line in the main log', () => {
    const h = new RestartHistory();
    h.feedLines([
      '2026-11-26 07:00:00,000 INFO supervisord started with pid 1',
      "2026-11-26 07:00:01,000 INFO spawned: 'kubelet' with pid 10",
      '2026-11-26 07:00:02,000 INFO success: kubelet entered RUNNING state, process has stayed up for > than 1 ' +
        'seconds (startsecs)',
      '2026-11-26 10:02:01,000 WARN exited: kubelet (terminated by SIGKILL; not expected)',
    ]);
    const [e] = h.history('kubelet').exits;
    expect(e?.ranForMs).toBe((3 * 3600 + 2 * 60) * 1000);
    expect(exitLines(h.history('kubelet').exits, Date.UTC(2026, 10, 26, 12), 5).map((l) => l.text)).toEqual([
      '10:02:01  ran 3h 02m, then SIGKILL',
    ]);
  });
});

describe('words', () => {
  it('singular and plural', () => {
    expect(plural(1, 'restart')).toBe('1 restart');
    expect(plural(0, 'restart')).toBe('0 restarts');
  });
  it('24-hour times, with the date when not today', () => {
    expect(formatClock(Date.UTC(2026, 10, 26, 23, 5, 9), Date.UTC(2026, 10, 26, 23, 59))).toBe('23:05:09');
    expect(formatClock(Date.UTC(2026, 10, 25, 9, 5, 9), Date.UTC(2026, 10, 26, 0, 1))).toBe('2026-11-25 09:05:09');
  });
  it('uptimes at the step the screen redraws them: seconds in the first minute, then minutes, hours', () => {
    expect([null, 7, 45, 59, 60, 723, 3 * 3600 + 125].map(uptimeWord)).toEqual([
      '-',
      '7s',
      '45s',
      '59s',
      '1m',
      '12m',
      '3h 02m',
    ]);
  });
  it('durations in their two largest units', () => {
    expect([45, 723, 3 * 3600 + 125, 2 * 86400 + 4 * 3600].map(compactDuration)).toEqual([
      '45s',
      '12m 03s',
      '3h 02m',
      '2d 04h',
    ]);
  });
  it('cut text ends in an ellipsis, at a word when one is near', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('kubelet restarted then exited again', 20)).toBe('kubelet restarted…');
    expect(truncate('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…');
    expect([...truncate('kubelet restarted then exited again', 20)].length).toBeLessThanOrEqual(20);
  });
});
