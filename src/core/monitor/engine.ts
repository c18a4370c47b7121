/**
 * The monitor's engine: polls supervisord, keeps restart history, follows the selected program's log,
 * probes kubelet's health, and carries out actions. Emits plain data; knows nothing of React or terminals.
 * - One system.multicall (getState, getAllProcessInfo, the followed log's next range) per poll, over one
 *   persistent connection; at rest every 5 s, woken at once by a change of supervisord's log (poll-scheduler).
 *   Woken only by the followed log, it reads just its new lines (PollKind): a crash writes the main log.
 * - Restart counts come from the main log (RestartHistory), so crashes between polls are counted too.
 * - When supervisord goes away, the last data is kept, marked stale, and the engine reconnects with backoff;
 *   log offsets survive the reconnect. Actions use a second connection (startProcess waits for startsecs).
 * - Every timer goes through the host's clock, so tests step it by hand.
 */
import type { Host, SupervisorConnection } from '../host.js';
import { parseKlogLine } from '../kubelet/klog.js';
import { describeFailure, isFault, namespec, supervisorClient } from '../supervisor/client.js';
import { FaultCode } from '../supervisor/xmlrpc.js';
import { runAction } from './actions.js';
import type { MonitorTarget } from './connect.js';
import { HistoryFeed } from './history-feed.js';
import type { LogFollower } from './log-follower.js';
import { LogRing, ownCopy } from './log-ring.js';
import {
  type Action,
  type ActionOutcome,
  emptyMonitorData,
  type MonitorData,
  type MonitorOptions,
  nodeMoved,
  type ProgramRow,
  ticking,
  visibleSignature,
} from './monitor-data.js';
import { NodeSampler } from './node-facts.js';
import { decodePoll, pollCalls } from './poll-call.js';
import { PollKind, PollScheduler, Wakers } from './poll-scheduler.js';
import { programRows } from './process-facts.js';
import { followedRow, sampledPid, usageBehind, usagePatch } from './process-line.js';
import { followProgramLog, rotationNotice } from './program-log.js';

const MAX_BACKOFF_MS = 5000;

export class MonitorEngine {
  readonly log: LogRing;
  private data: MonitorData;
  private listeners = new Set<(d: MonitorData) => void>();
  private transport: SupervisorConnection | null = null;
  private actionTransport: SupervisorConnection | null = null;
  private readonly feed: HistoryFeed;
  private programLog: LogFollower | null = null;
  private logSeq = 0;
  private readonly scheduler: PollScheduler;
  private readonly wakers: Wakers;
  private programLogPath: string | null = null;
  private cancelHealth: (() => void) | null = null;
  private sampler: NodeSampler | null = null;
  private healthTicks = 0;
  private backoffMs = 0;
  private running = false;
  private lastSignature = '';
  private polling: Promise<void> | null = null;
  private readonly kind: PollKind;
  /** The data last handed to the listeners: what is on screen. */
  private shown: MonitorData | null = null;

  constructor(
    private readonly host: Host,
    private readonly target: MonitorTarget,
    private readonly options: MonitorOptions = {},
  ) {
    this.log = new LogRing(options.logCapacity ?? 5000);
    this.scheduler = new PollScheduler(host.clock, () => this.tick(), options.pollMs ?? 250);
    this.kind = new PollKind(host.clock, () => this.scheduler.nudge());
    this.wakers = new Wakers(host.files, (path) => this.kind.woke(path === this.programLogPath));
    this.feed = new HistoryFeed(host.files, target.mainLogPath ?? undefined, target.agentStatePath);
    this.data = emptyMonitorData(target.endpoint.url, target.healthzUrl);
  }

  get current(): MonitorData {
    return this.data;
  }

  subscribe(listener: (d: MonitorData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * New data reaches listeners when something visible changed, at the step it is shown (visibleSignature:
   * an uptime word, a node figure moving far enough): a quiet node must not cost a redraw per poll, nor one
   * a second.
   */
  private update(patch: Partial<MonitorData>): void {
    this.data = { ...this.data, ...patch };
    const signature = visibleSignature(this.data);
    if (signature === this.lastSignature && !nodeMoved(this.shown, this.data)) return;
    this.lastSignature = signature;
    this.shown = this.data;
    for (const l of this.listeners) l(this.data);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const path of this.feed.watchedFiles) this.wakers.add(path);
    this.scheduler.start();
    void this.healthTick();
  }

  stop(): void {
    this.running = false;
    this.scheduler.stop();
    this.wakers.clear();
    this.programLogPath = null;
    this.cancelHealth?.();
    this.transport?.close();
    this.actionTransport?.close();
    this.transport = null;
    this.actionTransport = null;
  }

  /** Follow this program's stdout log (the last screenful first). */
  followLog(name: string | null): void {
    if (name === this.data.logProgram) return;
    this.log.clear();
    this.programLog = null;
    if (this.programLogPath) this.wakers.remove(this.programLogPath);
    this.programLogPath = null;
    this.update({ logProgram: name, logVersion: this.data.logVersion + 1, logNotice: null });
    // Its lines are wanted now, not at the next poll at rest.
    this.scheduler.nudge();
  }

  /**
   * One poll: state and processes in one multicall, with the followed log's next range in the same call;
   * the main log only when the processes changed (every crash changes a pid or a state) or every 5 s.
   * Public so that tests can step it. One at a time: an action's poll beside the scheduler's would read the
   * same main-log lines twice.
   */
  async pollOnce(linesOnly = false): Promise<void> {
    while (this.polling) await this.polling.catch(() => undefined);
    // Only the followed log's new lines: one range read, no process table, no /proc.
    this.polling = linesOnly ? this.pollProgramLog(this.data.programs) : this.poll();
    try {
      await this.polling;
    } finally {
      this.polling = null;
    }
  }

  private async poll(): Promise<void> {
    this.transport ??= this.host.connect(this.target.endpoint);
    const transport = this.transport;
    const supervisor = supervisorClient(transport);
    const planned = this.programLog?.plannedRead() ?? null;
    const logName = this.data.logProgram;
    // One round trip: supervisord is single-threaded Python, and each request costs it (and us) a few ms.
    const knownPid = this.data.connected && this.data.supervisordPid ? this.data.supervisordPid : null;
    const read = planned && logName ? { program: logName, ...planned } : null;
    const answer = await supervisor.multicall(pollCalls(knownPid, read));
    const { state, processes: polled, pid, prefetched } = decodePoll(answer, knownPid, read);
    const now = this.host.clock.now();
    const events = await this.feed.read(supervisor, polled, pid !== this.data.supervisordPid, now);
    // Read after the processes, the main log can tell of a start their rows missed: then the rows again.
    const processes = events.length ? await supervisor.getAllProcessInfo() : polled;
    const followed = processes.find((p) => namespec(p) === this.data.logProgram)?.name;
    const marks = this.feed.marks(events, followed, now, this.logSeq);
    for (const mark of marks) this.log.push(mark);
    this.logSeq += marks.length;

    const programs = await programRows(this.host, processes, (name) => this.feed.programHistory(name), now);
    const supervisordRestarted = this.data.supervisordPid !== null && pid !== this.data.supervisordPid;
    this.update({
      connected: true,
      stale: false,
      problem: null,
      supervisord: { statename: String(state.statename), statecode: Number(state.statecode) },
      supervisordPid: pid,
      programs,
      updatedAt: this.host.clock.now(),
      ...this.feed.completeness,
      logVersion: this.data.logVersion + (marks.length ? 1 : 0),
      ...(supervisordRestarted ? { logNotice: 'supervisord restarted' } : {}),
    });
    // The followed program has a new process (a restart) or was just chosen: its figures now, not in 4 s.
    if (usageBehind(this.data)) void this.sampleNode().catch(() => undefined);
    await this.pollProgramLog(programs, prefetched);
  }

  private async pollProgramLog(
    programs: readonly ProgramRow[],
    prefetched?: { offset: number; length: number; text: string },
  ): Promise<void> {
    const name = this.data.logProgram;
    const transport = this.transport;
    if (!name || !transport) return;
    const program = programs.find((p) => p.namespec === name || p.name === name);
    if (!program) return;
    if (!this.programLog) {
      const local = this.target.mainLogPath !== null;
      this.programLog = followProgramLog(this.host, transport, name, program.stdoutLogfile, local);
      // Its new lines wake the engine too, when supervisord's files are this node's.
      if (this.running && this.target.mainLogPath && program.stdoutLogfile) {
        this.programLogPath = program.stdoutLogfile;
        this.wakers.add(program.stdoutLogfile);
      }
    }
    let result: Awaited<ReturnType<LogFollower['poll']>>;
    try {
      result = await this.programLog.poll(16, prefetched);
    } catch (error) {
      if (isFault(error, FaultCode.NO_FILE)) {
        this.update({ logNotice: `${name} has no log file yet` });
        return;
      }
      throw error;
    }
    for (const line of result.lines) this.log.push(parseKlogLine(++this.logSeq, ownCopy(line)));
    const notice = rotationNotice(result, this.data.logNotice);
    if (result.lines.length || notice !== this.data.logNotice)
      this.update({ logVersion: this.data.logVersion + 1, logNotice: notice });
    // A backlog (after a flood) is read on at once, not at rest; a poll that reached the end waits for a wake-up.
    if (result.more && this.running) this.scheduler.nudge();
  }

  /** One poll of the running engine; how long until the next one when nothing nudges it. */
  private async tick(): Promise<number> {
    if (!this.running) return 0;
    const linesOnly = this.kind.next(this.data.connected && this.programLog !== null);
    try {
      await this.pollOnce(linesOnly);
      this.backoffMs = 0;
    } catch (error) {
      // Keep what we had, say why, and try again with backoff; a new connection next time.
      this.transport?.close();
      this.transport = null;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : 250);
      this.update({ connected: false, stale: this.data.programs.length > 0, problem: describeFailure(error) });
    }
    if (this.backoffMs) return this.kind.failed(this.backoffMs);
    this.wakers.rearm();
    if (linesOnly) return this.kind.untilWhole();
    const watching = this.wakers.active;
    const rest = watching ? (this.options.restPollMs ?? 5000) : (this.options.pollMs ?? 250);
    // An uptime under a minute or a countdown is shown to the second: polled just after each second turns.
    return this.kind.wholeIn(ticking(this.data) ? Math.min(rest, 1000 - (this.host.clock.now() % 1000) + 20) : rest);
  }

  async checkHealth(): Promise<void> {
    const result = await this.host.http.get(this.target.healthzUrl, 2000);
    const now = this.host.clock.now();
    this.update({
      health: {
        url: this.target.healthzUrl,
        result,
        checkedAt: now,
        lastOkAt: result.ok ? now : this.data.health.lastOkAt,
      },
    });
  }

  /** The node panel: the node's facts and the followed program's (else kubelet's) usage. Local only. */
  async sampleNode(): Promise<void> {
    if (!this.target.disks) return;
    this.sampler ??= new NodeSampler(this.host.files, this.target.disks, this.target.eviction ?? {});
    const row = followedRow(this.data.programs, this.data.logProgram);
    const now = this.host.clock.now();
    // A waiting wrapper's figures are not the program's: sampled as no process, the last ones are kept.
    const process = row ? [{ ...row, pid: sampledPid(row) }] : [];
    const { node, usage } = await this.sampler.sampleFor(process, row?.namespec ?? null, now);
    this.update({ node, ...usagePatch(this.data, usage, row?.namespec ?? null, now, process[0]?.pid) });
  }

  private async healthTick(): Promise<void> {
    if (!this.running) return;
    // The node panel every other health check (4 s): its figures are drawn with the uptimes anyway.
    this.healthTicks++;
    await Promise.all([
      this.checkHealth().catch(() => undefined),
      this.healthTicks % 2 === 1 ? this.sampleNode().catch(() => undefined) : null,
    ]);
    if (this.running)
      this.cancelHealth = this.host.clock.schedule(() => void this.healthTick(), this.options.healthMs ?? 2000);
  }

  /** start, stop or restart the program, on a connection of its own (startProcess waits for startsecs). */
  async act(action: Action, name: string): Promise<ActionOutcome> {
    this.actionTransport ??= this.host.connect(this.target.endpoint);
    // The main log names the process, the table its group:name.
    const process = this.data.programs.find((p) => p.namespec === name)?.name ?? name;
    this.feed.history.asking(process, action);
    const outcome = await runAction(supervisorClient(this.actionTransport), action, name);
    this.feed.history.asked(process, { time: this.host.clock.now(), action, ok: outcome.ok });
    if (outcome.ok) void this.pollOnce().catch(() => undefined);
    else {
      this.actionTransport?.close();
      this.actionTransport = null;
    }
    return outcome;
  }
}
