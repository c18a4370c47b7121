/**
 * supervisord's main log (supervisor/process.py writes these lines), read as events:
 *   spawned: 'NAME' with pid N
 *   exited: NAME (exit status N; expected|not expected)
 *   exited: NAME (terminated by SIGKILL; not expected)        (also "… (core dumped)")
 *   stopped: NAME (terminated by SIGTERM)                      a requested stop
 *   gave up: NAME entered FATAL state, too many start retries too quickly
 *   supervisord started with pid N                             counts restart from here
 * The log uses the process name, not group:name. Also: where the log is, and where its latest start is.
 */
import path from 'node:path/posix';
import type { FileReader } from '../host.js';
import { expandPercent, expansionNames, getValue, type SupervisorConfig } from './config.js';
import { localTime } from './local-time.js';

export type MainLogEvent =
  | { kind: 'started'; time: number; pid: number }
  | { kind: 'spawned'; time: number; name: string; pid: number }
  | { kind: 'exited'; time: number; name: string; status: number | null; signal: string | null; expected: boolean }
  | { kind: 'stopped'; time: number; name: string; status: number | null; signal: string | null }
  | { kind: 'gave-up'; time: number; name: string };

const TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) \w+ /;

/** The marker a restart history is counted from. */
export const SUPERVISORD_START = 'supervisord started with pid ';

/**
 * Where the latest supervisord start line begins in a main-log tail: `tail` holds the last bytes of the log
 * and starts at byte `tailStart`. Undefined when the tail holds no start line.
 */
export function lastStartOffset(tail: Buffer, tailStart: number): number | undefined {
  const at = tail.lastIndexOf(SUPERVISORD_START);
  if (at < 0) return undefined;
  const lineStart = tail.lastIndexOf(0x0a, at) + 1;
  // A line cut off at the tail's first byte may not be whole: only trust a line that starts inside the tail.
  if (lineStart === 0 && tailStart > 0) return undefined;
  return tailStart + lineStart;
}

type Match = RegExpExecArray;

/** Each kind of line supervisord writes for a transition, and the event it means. */
const LINE_EVENTS: readonly (readonly [RegExp, (m: Match, time: number) => MainLogEvent])[] = [
  [
    /^spawned: '(.+)' with pid (\d+)$/,
    (m, time) => ({ kind: 'spawned', time, name: m[1] as string, pid: Number(m[2]) }),
  ],
  [
    /^exited: (.+) \((?:exit status (\d+)|terminated by (\w+)(?: \(core dumped\))?); (expected|not expected)\)$/,
    (m, time) => ({
      kind: 'exited',
      time,
      name: m[1] as string,
      status: m[2] !== undefined ? Number(m[2]) : null,
      signal: m[3] ?? null,
      expected: m[4] === 'expected',
    }),
  ],
  [
    /^stopped: (.+) \((?:exit status (\d+)|terminated by (\w+)(?: \(core dumped\))?|.*)\)$/,
    (m, time) => ({
      kind: 'stopped',
      time,
      name: m[1] as string,
      status: m[2] !== undefined ? Number(m[2]) : null,
      signal: m[3] ?? null,
    }),
  ],
  [/^gave up: (.+) entered FATAL state/, (m, time) => ({ kind: 'gave-up', time, name: m[1] as string })],
  [/^supervisord started with pid (\d+)$/, (m, time) => ({ kind: 'started', time, pid: Number(m[1]) })],
];

/** Parses one main-log line; undefined for lines that are not process transitions. */
export function parseMainLogLine(line: string): MainLogEvent | undefined {
  const t = TIME.exec(line);
  if (!t) return undefined;
  const [y, mo, d, h, mi, s, ms] = t.slice(1).map(Number) as [number, number, number, number, number, number, number];
  // supervisord writes local time; kubesup-tui runs on the same node, so local time reads it back.
  const time = localTime(y, mo, d, h, mi, s, ms);
  const rest = line.slice(t[0].length);
  for (const [pattern, event] of LINE_EVENTS) {
    const m = pattern.exec(rest);
    if (m) return event(m, time);
  }
  return undefined;
}

/** The main log's path ([supervisord] logfile; default supervisord.log in its working directory, `/` under systemd). */
export function mainLogPath(
  config: SupervisorConfig,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const raw = getValue(config, 'supervisord', 'logfile') ?? 'supervisord.log';
  try {
    return path.resolve('/', expandPercent(raw, expansionNames(config.path, env)));
  } catch {
    return undefined;
  }
}

const TAIL_CHUNK = 256 * 1024;

/**
 * Byte offset of supervisord's latest start line in its main log, read backwards from the end: the restart
 * history is rebuilt from there, not from the first byte of a log that may be tens of megabytes.
 */
export async function findLatestStart(files: FileReader, logPath: string): Promise<number | undefined> {
  const size = await files.size(logPath);
  if (size === undefined) return undefined;
  // Grow the window from the end until it holds a start line, or is the whole file.
  for (let window = TAIL_CHUNK; ; window *= 4) {
    const from = Math.max(0, size - window);
    const tail = await files.readRange(logPath, from, size - from);
    if (!tail) return undefined;
    const found = lastStartOffset(tail, from);
    if (found !== undefined) return found;
    if (from === 0) return undefined;
  }
}
