/**
 * supervisord's main log read into the restart history: only the new bytes since the last read, so each line
 * is fed once; read when the processes changed (every crash changes a pid or a state), when supervisord
 * changed, or every 5 s.
 */
import type { FileReader } from '../host.js';
import type { LogLine } from '../kubelet/klog.js';
import { isFault, type ProcessInfo, type SupervisorClient } from '../supervisor/client.js';
import { findLatestStart, type MainLogEvent } from '../supervisor/main-log.js';
import { FaultCode } from '../supervisor/xmlrpc.js';
import { LogFollower } from './log-follower.js';
import { logMarks } from './log-marks.js';
import { RestartHistory } from './restart-history.js';

export class HistoryFeed {
  readonly history = new RestartHistory();
  private follower: LogFollower | null = null;
  private lastRead = 0;
  private lastSignature = '';
  /** The first read holds everything since supervisord started: history, not news. */
  private reads = 0;

  constructor(
    private readonly files: FileReader,
    private readonly logPath: string | undefined,
  ) {}

  /** The transitions read this time, after the first read (none when the log was not due, or has no file). */
  async read(
    supervisor: SupervisorClient,
    processes: readonly ProcessInfo[],
    supervisordChanged: boolean,
    now: number,
  ): Promise<MainLogEvent[]> {
    const signature = JSON.stringify(processes.map((p) => [p.name, p.state, p.pid, p.start, p.stop]));
    if (signature === this.lastSignature && now - this.lastRead < 5000 && !supervisordChanged) return [];
    if (!this.follower) {
      const startOffset =
        (this.logPath ? await findLatestStart(this.files, this.logPath).catch(() => undefined) : undefined) ?? 0;
      this.follower = new LogFollower(
        { read: (o, l) => supervisor.readLog(o, l) },
        { chunkBytes: 1024 * 1024, startOffset },
      );
    }
    try {
      const main = await this.follower.poll(64);
      const events = this.history.feedLines(main.lines);
      this.lastSignature = signature;
      this.lastRead = now;
      return this.reads++ === 0 ? [] : events;
    } catch (error) {
      // No main log file (logfile=/dev/stdout, syslog): counts stay unknown rather than wrong.
      if (!isFault(error, FaultCode.NO_FILE)) throw error;
      return [];
    }
  }

  /** The followed program's marks (a death, a start) among the events read, numbered after `seq`. */
  marks(events: readonly MainLogEvent[], name: string | undefined, nowMs: number, seq: number): LogLine[] {
    return name && events.length ? logMarks(events, name, this.history.history(name), nowMs, seq) : [];
  }
}
