/**
 * supervisord writes its main log in local time; reading it back means turning a local wall-clock time into
 * an instant. `new Date(y, m, ...)` does it, but its first call loads the runtime's whole time-zone database
 * (ICU): ~9 ms of the single file's `status`, more than any other step. Most nodes' zones have had one fixed
 * offset for years (UTC, Asia/Shanghai, Asia/Kolkata...): for those, the node's own zone file (TZif, RFC 8536)
 * gives the offset, and any time it cannot vouch for (a zone with daylight saving, a time before its last
 * change, leap seconds, a file it does not understand) still goes through Date.
 */

/** A local wall-clock time (month 1-12) as milliseconds since the epoch. */
export type LocalTime = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) => number;

export const dateLocalTime: LocalTime = (y, mo, d, h, mi, s, ms) => new Date(y, mo - 1, d, h, mi, s, ms).getTime();

/** A zone whose offset has not changed since `since`, and will not (its rule for later times has no DST). */
export interface FixedZone {
  /** Seconds east of UTC. */
  readonly offsetSeconds: number;
  /** The zone's last change, in seconds since the epoch; -Infinity when it never changed. */
  readonly since: number;
}

const HEADER = 44;

type Counts = [isut: number, isstd: number, leap: number, time: number, type: number, char: number];

/** The TZif's counts at `at`: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt. */
function counts(view: DataView, at: number): Counts {
  return [0, 1, 2, 3, 4, 5].map((i) => view.getUint32(at + 20 + 4 * i)) as Counts;
}

/**
 * The offset of a POSIX TZ string without daylight saving ("UTC0", "CST-8", "<+0530>-5:30"), in seconds east
 * of UTC; null for anything else (a DST rule, a malformed string).
 */
export function fixedPosixOffset(tz: string): number | null {
  const m = /^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)([+-]?)(\d{1,3})(?::(\d\d))?(?::(\d\d))?$/.exec(tz);
  if (!m) return null;
  const [, sign, h, mi = '0', s = '0'] = m;
  const west = Number(h) * 3600 + Number(mi) * 60 + Number(s);
  if (Number(h) > 24 || Number(mi) > 59 || Number(s) > 59) return null;
  // POSIX counts west of Greenwich: CST-8 is eight hours east.
  return sign === '-' ? west : -west || 0;
}

/** The zone a TZif file (version 2 or later) describes, when it is fixed from its last transition on. */
export function fixedZoneOf(tzif: Uint8Array): FixedZone | null {
  if (tzif.length < HEADER || String.fromCharCode(...tzif.subarray(0, 4)) !== 'TZif') return null;
  // Version 1 has no 64-bit data and no rule for later times.
  if (tzif[4] === 0) return null;
  const view = new DataView(tzif.buffer, tzif.byteOffset, tzif.byteLength);
  const [isut1, isstd1, leap1, time1, type1, char1] = counts(view, 0);
  const second = HEADER + time1 * 5 + type1 * 6 + char1 + leap1 * 8 + isstd1 + isut1;
  if (tzif.length < second + HEADER) return null;
  if (String.fromCharCode(...tzif.subarray(second, second + 4)) !== 'TZif') return null;
  const [isut, isstd, leap, time, type, char] = counts(view, second);
  // Leap seconds ("right/" zones) count time differently from Date.
  if (leap > 0) return null;
  const data = second + HEADER;
  const footer = data + time * 9 + type * 6 + char + isstd + isut;
  if (tzif.length < footer + 2 || tzif[footer] !== 0x0a) return null;
  const end = tzif.indexOf(0x0a, footer + 1);
  if (end < 0) return null;
  const offsetSeconds = fixedPosixOffset(String.fromCharCode(...tzif.subarray(footer + 1, end)));
  if (offsetSeconds === null) return null;
  const since = time > 0 ? Number(view.getBigInt64(data + (time - 1) * 8)) : Number.NEGATIVE_INFINITY;
  return { offsetSeconds, since };
}

/** A day of margin around the zone's last change: a time near it goes through Date. */
const MARGIN_SECONDS = 86_400;

/** Local time read with `zone` where it holds, else with `fallback`. */
export function fixedZoneLocalTime(zone: FixedZone, fallback: LocalTime = dateLocalTime): LocalTime {
  return (y, mo, d, h, mi, s, ms) => {
    const at = Date.UTC(y, mo - 1, d, h, mi, s, ms) - zone.offsetSeconds * 1000;
    return at / 1000 - MARGIN_SECONDS >= zone.since ? at : fallback(y, mo, d, h, mi, s, ms);
  };
}

let current: LocalTime = dateLocalTime;

/**
 * The process's local time, as Date's own is process-wide: the real host sets it from the node's zone file
 * (adapters/local-zone.ts); unset, Date reads it.
 */
export function setLocalTime(localTime: LocalTime): void {
  current = localTime;
}

export const localTime: LocalTime = (y, mo, d, h, mi, s, ms) => current(y, mo, d, h, mi, s, ms);
