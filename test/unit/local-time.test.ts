import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  dateLocalTime,
  fixedPosixOffset,
  fixedZoneLocalTime,
  fixedZoneOf,
  setLocalTime,
} from '../../src/core/supervisor/local-time.js';
import { parseMainLogLine } from '../../src/core/supervisor/main-log.js';

/** A TZif file as zic writes one: an empty version-1 block, then the 64-bit block and the footer. */
function tzif(options: { transitions?: number[]; footer: string; leaps?: number; version?: string }): Uint8Array {
  const { transitions = [], footer, leaps = 0, version = '2' } = options;
  const header = (time: number, leap: number) => {
    const b = Buffer.alloc(44);
    b.write('TZif', 0, 'latin1');
    b.write(version === '\0' ? '\0' : version, 4, 'latin1');
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    for (const [i, n] of [0, 0, leap, time, 1, 4].entries()) b.writeUInt32BE(n, 20 + 4 * i);
    return b;
  };
  const v1 = Buffer.concat([header(0, 0), Buffer.alloc(6), Buffer.from('CST\0', 'latin1')]);
  const times = Buffer.alloc(transitions.length * 8);
  for (const [i, t] of transitions.entries()) times.writeBigInt64BE(BigInt(t), i * 8);
  const v2 = Buffer.concat([
    header(transitions.length, leaps),
    times,
    Buffer.alloc(transitions.length),
    Buffer.from([0, 0, 0x70, 0x80, 0, 0]),
    Buffer.from('CST\0', 'latin1'),
    Buffer.alloc(leaps * 12),
  ]);
  return new Uint8Array(Buffer.concat([v1, v2, Buffer.from(`\n${footer}\n`, 'latin1')]));
}

/** Asia/Shanghai's last change: the end of daylight saving, 1991-09-15 (CDT -> CST). */
const SHANGHAI_LAST = Date.UTC(1991, 8, 14, 17) / 1000;
const savedTz = process.env.TZ;

afterEach(() => {
  setLocalTime(dateLocalTime);
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('fixedPosixOffset', () => {
  it.each([
    ['UTC0', 0],
    ['CST-8', 8 * 3600],
    ['<+0530>-5:30', 5.5 * 3600],
    ['<-03>3', -3 * 3600],
    ['EST5', -5 * 3600],
    ['<+1245>-12:45', (12 * 60 + 45) * 60],
  ])('%s is %d s east of UTC', (tz, offset) => {
    expect(fixedPosixOffset(tz)).toBe(offset);
  });

  it.each(['EST5EDT,M3.2.0,M11.1.0', 'CET-1CEST,M3.5.0,M10.5.0/3', '', 'UTC', 'X-8', 'CST-8:75'])(
    'refuses %j (daylight saving or not a fixed zone)',
    (tz) => {
      expect(fixedPosixOffset(tz)).toBeNull();
    },
  );
});

describe('fixedZoneOf', () => {
  it("reads a fixed zone's offset and its last change", () => {
    expect(fixedZoneOf(tzif({ transitions: [-100, SHANGHAI_LAST], footer: 'CST-8' }))).toEqual({
      offsetSeconds: 8 * 3600,
      since: SHANGHAI_LAST,
    });
    expect(fixedZoneOf(tzif({ footer: 'UTC0' }))).toEqual({ offsetSeconds: 0, since: Number.NEGATIVE_INFINITY });
  });

  it('refuses a zone with daylight saving, leap seconds, version 1, or a damaged file', () => {
    expect(fixedZoneOf(tzif({ transitions: [0], footer: 'EST5EDT,M3.2.0,M11.1.0' }))).toBeNull();
    expect(fixedZoneOf(tzif({ footer: 'UTC0', leaps: 1 }))).toBeNull();
    expect(fixedZoneOf(tzif({ footer: 'UTC0', version: '\0' }))).toBeNull();
    const whole = tzif({ transitions: [SHANGHAI_LAST], footer: 'CST-8' });
    expect(fixedZoneOf(whole.subarray(0, whole.length - 3))).toBeNull();
    expect(fixedZoneOf(whole.subarray(0, 60))).toBeNull();
    expect(
      fixedZoneOf(new TextEncoder().encode('not a zone file at all, but long enough to hold a header')),
    ).toBeNull();
  });
});

describe('fixedZoneLocalTime', () => {
  it("gives what Date gives in that zone, and asks Date near or before the zone's last change", () => {
    process.env.TZ = 'Asia/Shanghai';
    const zone = fixedZoneOf(tzif({ transitions: [SHANGHAI_LAST], footer: 'CST-8' }));
    if (!zone) throw new Error('no zone');
    const fallback = vi.fn(dateLocalTime);
    const local = fixedZoneLocalTime(zone, fallback);
    for (const [y, mo, d, h, mi, s, ms] of [
      [2026, 11, 26, 10, 0, 0, 1],
      [2024, 2, 29, 23, 59, 59, 999],
      [2000, 1, 1, 0, 0, 0, 0],
      [1991, 9, 17, 12, 0, 0, 0],
    ] as const) {
      expect(local(y, mo, d, h, mi, s, ms)).toBe(new Date(y, mo - 1, d, h, mi, s, ms).getTime());
    }
    expect(fallback).not.toHaveBeenCalled();
    // During the summer of 1991 Shanghai was UTC+9: Date knows, the fixed zone does not.
    expect(local(1991, 7, 1, 12, 0, 0, 0)).toBe(new Date(1991, 6, 1, 12).getTime());
    expect(local(1991, 9, 15, 1, 30, 0, 0)).toBe(new Date(1991, 8, 15, 1, 30).getTime());
    expect(fallback).toHaveBeenCalledTimes(2);
  });
});

describe('parseMainLogLine', () => {
  it("reads the line's time with the process's local time", () => {
    setLocalTime(fixedZoneLocalTime({ offsetSeconds: 8 * 3600, since: SHANGHAI_LAST }));
    expect(parseMainLogLine("2026-11-26 10:00:00,001 INFO spawned: 'kubelet' with pid 42")?.time).toBe(
      Date.UTC(2026, 10, 26, 2, 0, 0, 1),
    );
  });
});
