/**
 * Restart counts and exit history per program, rebuilt from supervisord's main log (supervisor/main-log.ts).
 *
 * supervisord counts nothing, and polling misses crashes (two inside one poll, or a state that never showed
 * EXITED), but its main log records every transition. A restart is an unexpected exit followed by a new
 * spawn. Lines are fed exactly once (the log follower guarantees that), so nothing is counted twice across
 * reconnects.
 */
import { type MainLogEvent, parseMainLogLine } from '../supervisor/main-log.js';

/** What the monitor can ask supervisord to do to a program. */
export type Action = 'start' | 'stop' | 'restart';

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
  /** How long it had run, from its spawn line; null when the log does not hold that spawn. */
  readonly ranForMs: number | null;
  /**
   * A stop someone asked supervisord for (supervisor's `stopped:` line), not an exit by itself: 'you' from
   * this monitor (with the action: a restart is a stop, then a start), else 'request' (supervisorctl, another
   * client, supervisord shutting down). Absent for an exit by itself.
   */
  readonly stoppedBy?: { readonly who: 'you' | 'request'; readonly action?: Action };
  /** The process that ended, from its spawn line (or the agent's record); absent when not known. */
  readonly pid?: number | null;
  /** Why it ended, as kubesup-agent names it (agent-state.ts), where the agent recorded this exit. */
  readonly reason?: string;
  /** The agent's own words on it (`watchdog: no WATCHDOG=1 for 60s (pid 4242); then terminated by SIGABRT`). */
  readonly detail?: string;
}

/**
 * A start, stop or restart asked from this monitor, with when, and whether supervisord did it; or a start
 * someone else asked for (`by: 'request'`: a spawn after a stop, not after an exit).
 */
export interface RequestRecord {
  readonly time: number;
  readonly action: Action;
  readonly ok: boolean;
  readonly by?: 'request';
}

export interface ProgramHistory {
  readonly restarts: number;
  readonly spawns: number;
  /** Newest last; bounded. */
  readonly exits: readonly ExitRecord[];
  readonly lastExit: ExitRecord | null;
  /** What this monitor asked for, oldest first (bounded); absent where no monitor asks (status). */
  readonly requests?: readonly RequestRecord[];
  /**
   * Where the counts and reasons come from: kubesup-agent's file where it exists (counts since the agent
   * began, never lowered; agent-history.ts), else supervisord's main log (since supervisord started). Absent:
   * the main log.
   */
  readonly source?: 'agent' | 'main-log';
  /** The agent's counts by reason (every known reason, 0 when none); absent without the agent. */
  readonly byReason?: Readonly<Record<string, number>>;
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
  /** When the running process was spawned, and its pid. */
  spawnedAt: number | null;
  spawnedPid: number | null;
  requests: RequestRecord[];
  /** This monitor asked for a stop (or a restart) whose `stopped:` line has not come yet. */
  stopAsked: Action | null;
  /** This monitor asked for a start (or a restart) whose spawn has not come yet. */
  startAsked: boolean;
  /** Stopped on request, or given up: its next spawn is a start someone asked for. */
  stopped: boolean;
}

/** Stopped, or given up on: no process, nothing pending, until supervisord spawns it again. */
function settleStopped(h: MutableHistory): void {
  h.stopped = true;
  h.pending = false;
  h.exitOpen = false;
  h.starting = false;
  h.spawnedAt = null;
  h.spawnedPid = null;
}

export class RestartHistory {
  private programs = new Map<string, MutableHistory>();
  /** supervisord's pid from its latest start line, if the log still holds it. */
  supervisordPid: number | null = null;
  /** False until a "supervisord started" line was seen: counts may then miss what a rotated log held. */
  sawStart = false;
  /** When what the log holds begins: supervisord's start line, else the first transition read; null before. */
  coveredFrom: number | null = null;

  /** Feed lines in log order; returns the transitions they held. */
  feedLines(lines: Iterable<string>): MainLogEvent[] {
    const events: MainLogEvent[] = [];
    for (const line of lines) {
      if (line.includes('success: ')) {
        const m = /success: (.+) entered RUNNING state/.exec(line);
        if (m) this.entry(m[1] as string).starting = false;
        continue;
      }
      const event = parseMainLogLine(line);
      if (event) {
        this.apply(event);
        events.push(event);
      }
    }
    return events;
  }

  apply(event: MainLogEvent): void {
    if (event.kind === 'started') {
      // A new supervisord: counts are "since supervisord started".
      this.programs = new Map();
      this.supervisordPid = event.pid;
      this.sawStart = true;
      this.coveredFrom = event.time;
      return;
    }
    this.coveredFrom ??= event.time;
    const h = this.entry(event.name);
    switch (event.kind) {
      case 'spawned': {
        h.spawns++;
        if (h.pending) h.restarts++;
        const last = h.exits.at(-1);
        if (h.exitOpen && last) h.exits[h.exits.length - 1] = { ...last, respawned: true };
        if (h.stopped && !h.startAsked) {
          h.requests.push({ time: event.time, action: 'start', ok: true, by: 'request' });
          if (h.requests.length > MAX_EXITS) h.requests.shift();
        }
        h.stopped = false;
        h.startAsked = false;
        h.pending = false;
        h.exitOpen = false;
        h.starting = true;
        h.spawnedAt = event.time;
        h.spawnedPid = event.pid;
        break;
      }
      case 'exited': {
        h.exits.push({
          time: event.time,
          status: event.status,
          signal: event.signal,
          expected: event.expected,
          respawned: false,
          duringStart: h.starting,
          ranForMs: h.spawnedAt === null ? null : Math.max(0, event.time - h.spawnedAt),
          pid: h.spawnedPid,
        });
        h.spawnedAt = null;
        h.spawnedPid = null;
        if (h.exits.length > MAX_EXITS) h.exits.splice(0, h.exits.length - MAX_EXITS);
        h.pending = !event.expected;
        h.exitOpen = true;
        h.starting = false;
        break;
      }
      case 'stopped': {
        const by = h.stopAsked;
        h.exits.push({
          time: event.time,
          status: event.status,
          signal: event.signal,
          expected: true,
          respawned: false,
          duringStart: false,
          ranForMs: h.spawnedAt === null ? null : Math.max(0, event.time - h.spawnedAt),
          stoppedBy: by ? { who: 'you', action: by } : { who: 'request' },
          pid: h.spawnedPid,
        });
        if (h.exits.length > MAX_EXITS) h.exits.splice(0, h.exits.length - MAX_EXITS);
        h.stopAsked = null;
        settleStopped(h);
        break;
      }
      case 'gave-up':
        settleStopped(h);
        break;
    }
  }

  /** This monitor is about to ask for `action` on the program: the stop its log line tells is then ours. */
  asking(name: string, action: Action): void {
    const h = this.entry(name);
    if (action !== 'start') h.stopAsked = action;
    if (action !== 'stop') h.startAsked = true;
  }

  /** What supervisord said to the monitor's request: kept for the exits view and the session's summary. */
  asked(name: string, request: RequestRecord): void {
    const h = this.entry(name);
    h.requests.push(request);
    if (h.requests.length > MAX_EXITS) h.requests.shift();
    // A stop refused (not running) writes no line: a later stop by someone else is not ours.
    if (!request.ok && request.action === 'stop') h.stopAsked = null;
    if (!request.ok && request.action === 'start') h.startAsked = false;
  }

  history(name: string): ProgramHistory {
    const h = this.programs.get(name);
    if (!h) return { restarts: 0, spawns: 0, exits: [], lastExit: null, requests: [] };
    return {
      restarts: h.restarts,
      spawns: h.spawns,
      exits: [...h.exits],
      lastExit: h.exits.at(-1) ?? null,
      requests: [...h.requests],
    };
  }

  private entry(name: string): MutableHistory {
    let h = this.programs.get(name);
    if (!h) {
      h = {
        restarts: 0,
        spawns: 0,
        exits: [],
        pending: false,
        exitOpen: false,
        starting: false,
        spawnedAt: null,
        spawnedPid: null,
        requests: [],
        stopAsked: null,
        startAsked: false,
        stopped: false,
      };
      this.programs.set(name, h);
    }
    return h;
  }
}
