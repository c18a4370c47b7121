/**
 * A program's exits read over time: a strip of the last hour, whether it is flapping, and each exit in words.
 * From the restart history (restart-history.ts); pure, so `status`, its JSON and the TUI say the same.
 */
import { reasonWords } from './agent-state.js';
import type { ExitRecord, RequestRecord } from './restart-history.js';
import { compactDuration, formatClock } from './words.js';

/** Several unexpected exits in a few minutes: restarting is not fixing it. */
export const FLAPPING = { exits: 3, withinMs: 5 * 60_000 } as const;

export function isFlapping(exits: readonly ExitRecord[], nowMs: number): boolean {
  const recent = exits.filter((e) => !e.expected && nowMs - e.time <= FLAPPING.withinMs);
  return recent.length >= FLAPPING.exits;
}

/** What one cell of the strip holds: no exit, only expected ones (a stop), or an unexpected one (a crash). */
export type StripCell = 'none' | 'expected' | 'crash';

/**
 * The last `spanMs` cut into `cells` equal slots, oldest first, each marked by the worst exit in it. A slot
 * before supervisord's start (`sinceMs`) is 'none' like a quiet one: the strip's caption says since when.
 */
export function exitStrip(exits: readonly ExitRecord[], nowMs: number, cells: number, spanMs = 3_600_000): StripCell[] {
  const strip: StripCell[] = Array.from({ length: cells }, () => 'none');
  const slot = spanMs / cells;
  for (const e of exits) {
    // supervisord's clock is whole seconds, its log's has milliseconds: a fresh exit may be "in the future".
    const age = Math.max(0, nowMs - e.time);
    if (age >= spanMs) continue;
    const i = cells - 1 - Math.floor(age / slot);
    if (!e.expected) strip[i] = 'crash';
    else if (strip[i] === 'none') strip[i] = 'expected';
  }
  return strip;
}

/** The strip as text that reads without colour: `·` quiet, `o` a stop, `X` a crash. */
export function stripText(strip: readonly StripCell[]): string {
  return strip.map((c) => (c === 'crash' ? 'X' : c === 'expected' ? 'o' : '·')).join('');
}

/**
 * How an exit ended, in words: `SIGKILL`, `exit 1`, and whether supervisord expected it; a stop, who asked:
 * `stopped by you` (this monitor; `restarted by you`), `stopped on request` (supervisorctl, another client).
 * Where kubesup-agent recorded why, its reason: `crashed (SIGSEGV)`, `OOM-killed`, `hung (watchdog: ...)`.
 */
export function endedBy(
  e: Pick<ExitRecord, 'signal' | 'status' | 'expected' | 'duringStart' | 'stoppedBy'> &
    Partial<Pick<ExitRecord, 'reason' | 'detail' | 'respawned'>>,
): string {
  const how = e.signal ?? `exit ${e.status}`;
  if (e.stoppedBy?.who === 'you') return `${e.stoppedBy.action === 'restart' ? 'restarted' : 'stopped'} by you`;
  if (e.reason) {
    const words = reasonWords(
      { reason: e.reason, detail: e.detail ?? '', exit: e.status, signal: e.signal },
      e.respawned,
    );
    return e.duringStart && e.reason !== 'operator' ? `${words} while starting` : words;
  }
  if (e.stoppedBy) return 'stopped on request';
  if (e.duringStart) return `${how} while starting`;
  return e.expected ? `${how} (expected)` : how;
}

export interface HistoryLine {
  readonly time: number;
  readonly text: string;
  /** An exit supervisord did not expect: a crash. */
  readonly crash: boolean;
}

/** A start asked for: by someone else (after a stop), by this monitor, or this monitor's request that failed. */
function startWords(r: RequestRecord): string {
  if (r.by) return 'started on request';
  return r.ok ? 'started by you' : `your ${r.action} failed`;
}

/**
 * One exit per line, newest first: `14:03:22  ran 3h 02m, then SIGKILL`; with the starts this monitor asked
 * for among them (`14:05:00  started by you`): its stops and restarts are exits already.
 */
export function exitLines(
  exits: readonly ExitRecord[],
  nowMs: number,
  max: number,
  requests: readonly RequestRecord[] = [],
): HistoryLine[] {
  const lines = [
    ...exits.map((e) => {
      const ran = e.ranForMs === null ? '' : `ran ${compactDuration(e.ranForMs / 1000)}, then `;
      const signal = e.stoppedBy && e.signal ? ` (${e.signal})` : '';
      return { time: e.time, text: `${formatClock(e.time, nowMs)}  ${ran}${endedBy(e)}${signal}`, crash: !e.expected };
    }),
    ...requests
      .filter((r) => r.action === 'start' || !r.ok)
      .map((r) => ({
        time: r.time,
        text: `${formatClock(r.time, nowMs)}  ${startWords(r)}`,
        crash: false,
      })),
  ];
  return lines.sort((a, b) => b.time - a.time).slice(0, max);
}
