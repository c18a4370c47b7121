/**
 * A line of its own in the followed program's log for each death and each start, from supervisord's main log:
 * where kubelet died is said, not left to a change of pid in its lines.
 *   ── 10:05:05 kubelet ended: SIGKILL (ran 3h 02m) ──
 *   ── 10:05:06 kubelet started: pid 4243 ──
 */
import type { LogLine } from '../kubelet/klog.js';
import type { MainLogEvent } from '../supervisor/main-log.js';
import { endedBy } from './exit-history.js';
import type { ProgramHistory } from './restart-history.js';
import { compactDuration, formatClock } from './words.js';

function words(event: MainLogEvent, name: string, history: ProgramHistory, nowMs: number): string | null {
  const at = formatClock(event.time, nowMs);
  switch (event.kind) {
    case 'spawned':
      return `${at} ${name} started: pid ${event.pid}`;
    case 'exited':
    case 'stopped': {
      const exit = history.exits.findLast((e) => e.time === event.time);
      if (!exit) return `${at} ${name} ended`;
      const ran = exit.ranForMs === null ? '' : ` (ran ${compactDuration(exit.ranForMs / 1000)})`;
      return `${at} ${name} ended: ${endedBy(exit)}${exit.stoppedBy && exit.signal ? `, ${exit.signal}` : ''}${ran}`;
    }
    case 'gave-up':
      return `${at} ${name} gave up: FATAL, too many failed starts`;
    default:
      return null;
  }
}

/** The marks for one program (supervisord's process name) among the events read, numbered from `seq`. */
export function logMarks(
  events: readonly MainLogEvent[],
  name: string,
  history: ProgramHistory,
  nowMs: number,
  seq: number,
): LogLine[] {
  const lines: LogLine[] = [];
  for (const event of events) {
    if (!('name' in event) || event.name !== name) continue;
    const text = words(event, name, history, nowMs);
    if (text) lines.push({ seq: seq + lines.length + 1, text: `── ${text} ──`, severity: 'other', mark: true });
  }
  return lines;
}
