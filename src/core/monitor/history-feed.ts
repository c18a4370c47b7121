/**
 * supervisord's main log read into the restart history: only the new bytes since the last read, so each line
 * is fed once; read when the processes changed (every crash changes a pid or a state), when supervisord
 * changed, or every 5 s. kubesup-agent's file, where the node has one, at every read: its counts and reasons
 * win (agent-history.ts).
 */
import type { FileReader } from '../host.js';
import type { LogLine } from '../kubelet/klog.js';
import { isFault, type ProcessInfo, type SupervisorClient } from '../supervisor/client.js';
import { findLatestStart, type MainLogEvent } from '../supervisor/main-log.js';
import { FaultCode } from '../supervisor/xmlrpc.js';
import { withAgentHistory } from './agent-history.js';
import { type AgentRead, readAgentState } from './agent-state.js';
import { localLogSource } from './local-log-source.js';
import { type ByteRangeSource, LogFollower } from './log-follower.js';
import { logMarks } from './log-marks.js';
import { type ProgramHistory, RestartHistory } from './restart-history.js';

export class HistoryFeed {
  readonly history = new RestartHistory();
  private follower: LogFollower | null = null;
  private lastRead = 0;
  private lastSignature = '';
  /** The first read holds everything since supervisord started: history, not news. */
  private reads = 0;
  private agent: AgentRead = { state: null, warning: null };
  /** supervisord writes no main log file: the agent's exits are all there is. */
  private noLog = false;
  /** Each program's merged history, and what it was merged from: merged again only when that changed. */
  private merged = new Map<string, { from: readonly unknown[]; history: ProgramHistory }>();

  constructor(
    private readonly files: FileReader,
    private readonly logPath: string | undefined,
    /** kubesup-agent's state file, when supervisord is this node's. */
    private readonly agentStatePath?: string,
  ) {}

  /** Whether kubesup-agent's file gives the counts. */
  get agentUsed(): boolean {
    return this.agent.state !== null;
  }

  /**
   * Whether the counts are whole (the log reaches back to supervisord's start, or the agent's counts give
   * them), and why the agent's file, present, is not used.
   */
  get completeness(): { historyComplete: boolean; agentWarning: string | null } {
    return { historyComplete: this.history.sawStart || this.agentUsed, agentWarning: this.agent.warning };
  }

  /**
   * The files whose change should wake the monitor: the main log when it is a local file, and then the agent's
   * (its record of an exit, with the reason, comes just after the log's line).
   */
  get watchedFiles(): string[] {
    return this.logPath ? [this.logPath, ...(this.agentStatePath ? [this.agentStatePath] : [])] : [];
  }

  /** The program's history: the main log's, with the agent's record over it where the node has one. */
  programHistory(name: string): ProgramHistory {
    const fromLog = this.history.history(name);
    const state = this.agent.state;
    if (!state) return fromLog;
    const last = fromLog.lastExit;
    const coveredFrom = this.noLog ? null : this.history.coveredFrom;
    // What the merge reads: a new exit, its respawn, a request or a spawn (passed through), another agent's file.
    const h = fromLog;
    const from = [state, coveredFrom, h.exits.length, last?.time, last?.respawned, h.requests?.length, h.spawns];
    const cached = this.merged.get(name);
    if (cached?.from.every((x, i) => x === from[i])) return cached.history;
    const history = withAgentHistory(name, fromLog, state, coveredFrom);
    this.merged.set(name, { from, history });
    return history;
  }

  /** The transitions read this time, after the first read (none when the log was not due, or has no file). */
  async read(
    supervisor: SupervisorClient,
    processes: readonly ProcessInfo[],
    supervisordChanged: boolean,
    now: number,
  ): Promise<MainLogEvent[]> {
    // A few kB, read at each poll: the agent writes its record just after the exit that the log tells.
    if (this.agentStatePath) this.agent = await readAgentState(this.files, this.agentStatePath, this.agent);
    const signature = JSON.stringify(processes.map((p) => [p.name, p.state, p.pid, p.start, p.stop]));
    if (signature === this.lastSignature && now - this.lastRead < 5000 && !supervisordChanged) return [];
    if (!this.follower) {
      const startOffset =
        (this.logPath ? await findLatestStart(this.files, this.logPath).catch(() => undefined) : undefined) ?? 0;
      const served: ByteRangeSource = { read: (o, l) => supervisor.readLog(o, l) };
      // The log is this node's file (the start line was just found in it): read here, not through supervisord.
      const source = this.logPath ? localLogSource(this.files, this.logPath, served) : served;
      this.follower = new LogFollower(source, { chunkBytes: 1024 * 1024, startOffset });
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
      this.noLog = true;
      return [];
    }
  }

  /** The followed program's marks (a death, a start) among the events read, numbered after `seq`. */
  marks(events: readonly MainLogEvent[], name: string | undefined, nowMs: number, seq: number): LogLine[] {
    return name && events.length ? logMarks(events, name, this.history.history(name), nowMs, seq) : [];
  }
}
