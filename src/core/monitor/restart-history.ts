/**
 * Restart counts and exit history per program, rebuilt from supervisord's main log.
 *
 * supervisord counts nothing, and polling misses crashes (two inside one poll, or a state that never showed
 * EXITED), but its main log records every transition (supervisor/process.py):
 *   spawned: 'NAME' with pid N
 *   exited: NAME (exit status N; expected|not expected)
 *   exited: NAME (terminated by SIGKILL; not expected)        (also "… (core dumped)")
 *   stopped: NAME (terminated by SIGTERM)                      a requested stop
 *   gave up: NAME entered FATAL state, too many start retries too quickly
 *   supervisord started with pid N                             counts restart from here
 * The log uses the process name, not group:name.
 *
 * A restart is an unexpected exit followed by a new spawn. Lines are fed exactly once (the log follower
 * guarantees that), so nothing is counted twice across reconnects.
 */

export interface ExitRecord {
  /** Milliseconds since the epoch, from the log line's local timestamp. */
  readonly time: number;
  /** Exit status, or null when a signal ended it. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly expected: boolean;
  /** True once supervisord spawned it again after this exit. */
  readonly respawned: boolean;
  /** Exited before reaching RUNNING: a failed start (BACKOFF), not a crash of a running program. */
  readonly duringStart: boolean;
}

export interface ProgramHistory {
  readonly restarts: number;
  readonly spawns: number;
  /** Newest last; bounded. */
  readonly exits: readonly ExitRecord[];
  readonly lastExit: ExitRecord | null;
}

export type MainLogEvent =
  | { kind: 'started'; time: number; pid: number }
  | { kind: 'spawned'; time: number; name: string; pid: number }
  | { kind: 'exited'; time: number; name: string; status: number | null; signal: string | null; expected: boolean }
  | { kind: 'stopped'; time: number; name: string }
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

/** Parses one main-log line; undefined for lines that are not process transitions. */
export function parseMainLogLine(line: string): MainLogEvent | undefined {
  const t = TIME.exec(line);
  if (!t) return undefined;
  const [, y, mo, d, h, mi, s, ms] = t.map(Number) as number[];
  // supervisord writes local time; kubesup-tui runs on the same node, so local time reads it back.
  const time = new Date(y as number, (mo as number) - 1, d, h, mi, s, ms).getTime();
  const rest = line.slice(t[0].length);
  let m: RegExpExecArray | null;
  if ((m = /^spawned: '(.+)' with pid (\d+)$/.exec(rest))) return { kind: 'spawned', time, name: m[1] as string, pid: Number(m[2]) };
  if ((m = /^exited: (.+) \((?:exit status (\d+)|terminated by (\w+)(?: \(core dumped\))?); (expected|not expected)\)$/.exec(rest))) {
    return {
      kind: 'exited',
      time,
      name: m[1] as string,
      status: m[2] !== undefined ? Number(m[2]) : null,
      signal: m[3] ?? null,
      expected: m[4] === 'expected',
    };
  }
  if ((m = /^stopped: (.+) \(.*\)$/.exec(rest))) return { kind: 'stopped', time, name: m[1] as string };
  if ((m = /^gave up: (.+) entered FATAL state/.exec(rest))) return { kind: 'gave-up', time, name: m[1] as string };
  if ((m = /^supervisord started with pid (\d+)$/.exec(rest))) return { kind: 'started', time, pid: Number(m[1]) };
  return undefined;
}

const MAX_EXITS = 200;

interface MutableHistory {
  restarts: number;
  spawns: number;
  exits: ExitRecord[];
  /** An unexpected exit waiting for its respawn (which makes it a restart). */
  pending: boolean;
  /** The last exit has not been followed by a spawn yet. */
  exitOpen: boolean;
  /** A spawn not yet followed by success: an exit now is a failed start. */
  starting: boolean;
}

export class RestartLedger {
  private programs = new Map<string, MutableHistory>();
  /** supervisord's pid from its latest start line, if the log still holds it. */
  supervisordPid: number | null = null;
  /** False until a "supervisord started" line was seen: counts may then miss what a rotated log held. */
  sawStart = false;

  /** Feed lines in log order. */
  feedLines(lines: Iterable<string>): void {
    for (const line of lines) {
      if (line.includes('success: ')) {
        const m = /success: (.+) entered RUNNING state/.exec(line);
        if (m) this.entry(m[1] as string).starting = false;
        continue;
      }
      const event = parseMainLogLine(line);
      if (event) this.apply(event);
    }
  }

  apply(event: MainLogEvent): void {
    if (event.kind === 'started') {
      // A new supervisord: counts are "since supervisord started".
      this.programs = new Map();
      this.supervisordPid = event.pid;
      this.sawStart = true;
      return;
    }
    const h = this.entry(event.name);
    switch (event.kind) {
      case 'spawned': {
        h.spawns++;
        if (h.pending) h.restarts++;
        const last = h.exits.at(-1);
        if (h.exitOpen && last) h.exits[h.exits.length - 1] = { ...last, respawned: true };
        h.pending = false;
        h.exitOpen = false;
        h.starting = true;
        break;
      }
      case 'exited': {
        h.exits.push({ time: event.time, status: event.status, signal: event.signal, expected: event.expected, respawned: false, duringStart: h.starting });
        if (h.exits.length > MAX_EXITS) h.exits.splice(0, h.exits.length - MAX_EXITS);
        h.pending = !event.expected;
        h.exitOpen = true;
        h.starting = false;
        break;
      }
      case 'stopped':
      case 'gave-up':
        h.pending = false;
        h.exitOpen = false;
        h.starting = false;
        break;
    }
  }

  history(name: string): ProgramHistory {
    const h = this.programs.get(name);
    if (!h) return { restarts: 0, spawns: 0, exits: [], lastExit: null };
    return { restarts: h.restarts, spawns: h.spawns, exits: [...h.exits], lastExit: h.exits.at(-1) ?? null };
  }

  private entry(name: string): MutableHistory {
    let h = this.programs.get(name);
    if (!h) {
      h = { restarts: 0, spawns: 0, exits: [], pending: false, exitOpen: false, starting: false };
      this.programs.set(name, h);
    }
    return h;
  }
}
