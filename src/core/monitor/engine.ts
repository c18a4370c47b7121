/**
 * The monitor's engine: polls supervisord, keeps restart history, follows the selected program's log,
 * probes kubelet's health, and carries out actions. Emits plain data; knows nothing of React or terminals.
 *
 * - One system.multicall (getState + getAllProcessInfo) per tick over one persistent connection: about
 *   0.16 ms of supervisord's CPU, where spawning supervisorctl four times a second costs half a core.
 * - Restart counts come from the main log (RestartLedger via LogFollower), so crashes between polls, or before
 *   the monitor started, are counted; polls alone miss them.
 * - When supervisord goes away: the last data is kept and marked stale, and the engine reconnects with
 *   backoff by itself. Log offsets survive the reconnect, so nothing is counted or shown twice.
 * - Actions use a second connection: startProcess(wait) blocks for startsecs and must not stall the polls.
 */
import { LogFollower } from './log-follower.js';
import { parseKlogLine } from '../kubelet/klog.js';
import { LogRing } from './log-ring.js';
import type { HttpProbe, HttpProbeResult, RpcTransport } from '../host.js';
import { RestartLedger, type ProgramHistory } from './restart-history.js';
import { createSupervisorApi, namespec, toProcessInfo, unwrapMulticall, type ProcessInfo, type SupervisorState } from '../supervisor/client.js';
import { FaultCode, RpcFault, type RpcValue } from '../supervisor/xmlrpc.js';

export interface ProgramRow extends ProcessInfo {
  readonly namespec: string;
  readonly history: ProgramHistory;
  /** From /proc when the engine can check: false when supervisord still reports a pid that is gone. */
  readonly pidAlive?: boolean;
}

export interface HealthState {
  readonly url: string;
  readonly result: HttpProbeResult | null;
  readonly checkedAt: number | null;
  /** When healthz last answered ok. */
  readonly lastOkAt: number | null;
}

export interface MonitorData {
  readonly connected: boolean;
  /** True when the programs shown are the last known ones, not current. */
  readonly stale: boolean;
  /** One line: why supervisord cannot be reached, or is restarting. */
  readonly problem: string | null;
  readonly url: string;
  readonly supervisord: SupervisorState | null;
  readonly supervisordPid: number | null;
  readonly programs: readonly ProgramRow[];
  readonly updatedAt: number | null;
  /** Counts may miss what a rotated-away main log held. */
  readonly historyComplete: boolean;
  readonly health: HealthState;
  /** Which program's log is followed. */
  readonly logProgram: string | null;
  /** Increases whenever log lines arrive; the lines themselves stay in the ring. */
  readonly logVersion: number;
  readonly logNotice: string | null;
}

export interface ActionOutcome {
  readonly ok: boolean;
  readonly message: string;
}

export type Action = 'start' | 'stop' | 'restart';

export interface MonitorEngineDeps {
  connect(): RpcTransport & { close(): void };
  readonly url: string;
  readonly http: HttpProbe;
  readonly healthzUrl: string;
  /** Reads the rotated backup of a program's log (`<path>.1`) from `offset`, when the files are local. */
  readRotated?(path: string, offset: number): Promise<Buffer | undefined>;
  isPidAlive?(pid: number): Promise<boolean>;
  /**
   * Byte offset in supervisord's main log of its latest start line, when the log can be read locally: the
   * restart history is rebuilt from there instead of from the first byte of a possibly large log.
   */
  mainLogStart?(): Promise<number | undefined>;
  readonly now?: () => number;
  readonly pollMs?: number;
  readonly healthMs?: number;
  readonly logCapacity?: number;
}

const MAX_BACKOFF_MS = 5000;

/** What the monitor shows before its first poll, or when it cannot even start (problem set). */
export function emptyMonitorData(url: string, healthzUrl: string, problem: string | null = null): MonitorData {
  return {
    connected: false,
    stale: false,
    problem,
    url,
    supervisord: null,
    supervisordPid: null,
    programs: [],
    updatedAt: null,
    historyComplete: true,
    health: { url: healthzUrl, result: null, checkedAt: null, lastOkAt: null },
    logProgram: null,
    logVersion: 0,
    logNotice: null,
  };
}

function describeProblem(error: unknown): string {
  if (error instanceof RpcFault && error.code === FaultCode.SHUTDOWN_STATE) return 'supervisord is restarting or shutting down';
  return error instanceof Error ? error.message : String(error);
}

export class MonitorEngine {
  readonly log: LogRing;
  private data: MonitorData;
  private listeners = new Set<(d: MonitorData) => void>();
  private transport: (RpcTransport & { close(): void }) | null = null;
  private actionTransport: (RpcTransport & { close(): void }) | null = null;
  private readonly ledger = new RestartLedger();
  private mainLog: LogFollower | null = null;
  private programLog: LogFollower | null = null;
  private logSeq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private healthTimer: ReturnType<typeof setTimeout> | null = null;
  private backoffMs = 0;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly deps: MonitorEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.log = new LogRing(deps.logCapacity ?? 5000);
    this.data = emptyMonitorData(deps.url, deps.healthzUrl);
  }

  get current(): MonitorData {
    return this.data;
  }

  subscribe(listener: (d: MonitorData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private lastSignature = '';
  private lastNotified = 0;

  /**
   * New data reaches listeners when something visible changed, or once a second (uptimes move): a quiet
   * node must not cost a redraw per poll.
   */
  private update(patch: Partial<MonitorData>): void {
    this.data = { ...this.data, ...patch };
    const d = this.data;
    const signature = JSON.stringify([
      d.connected, d.stale, d.problem, d.supervisord?.statename, d.supervisordPid, d.logVersion, d.logNotice, d.historyComplete,
      d.health.result?.ok, d.health.result?.error, d.health.result?.status,
      d.programs.map((p) => [p.namespec, p.state, p.pid, p.start, p.exitstatus, p.spawnerr, p.pidAlive, p.history.restarts, p.history.exits.length]),
    ]);
    const now = this.now();
    if (signature === this.lastSignature && now - this.lastNotified < 1000) return;
    this.lastSignature = signature;
    this.lastNotified = now;
    for (const l of this.listeners) l(d);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
    void this.healthTick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.healthTimer) clearTimeout(this.healthTimer);
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
    this.update({ logProgram: name, logVersion: this.data.logVersion + 1, logNotice: null });
  }

  private lastMainLogRead = 0;
  private lastProcessSignature = '';

  /**
   * One poll: state and processes in one multicall, with the followed log's next range in the same call;
   * the main log only when the processes changed (every crash changes a pid or a state) or every 5 s.
   * Public so that tests can step it.
   */
  async pollOnce(): Promise<void> {
    if (!this.transport) this.transport = this.deps.connect();
    const transport = this.transport;
    const planned = this.programLog?.plannedRead() ?? null;
    const logName = this.data.logProgram;
    const calls: RpcValue[] = [
      { methodName: 'supervisor.getState', params: [] },
      { methodName: 'supervisor.getAllProcessInfo', params: [] },
      ...(planned && logName ? [{ methodName: 'supervisor.readProcessStdoutLog', params: [logName, planned.offset, planned.length] }] : []),
    ];
    const answer = await transport.call('system.multicall', [calls]);
    if (!Array.isArray(answer)) throw new Error('unexpected answer from supervisord to system.multicall');
    const state = unwrapMulticall(answer[0]) as Record<string, RpcValue>;
    const all = unwrapMulticall(answer[1]);
    const processes = (Array.isArray(all) ? all : []).map(toProcessInfo);
    let prefetched: { offset: number; length: number; text: string } | undefined;
    if (planned && answer.length > 2) {
      // A failed range (a character split at its end) is simply read again by the follower.
      try {
        prefetched = { ...planned, text: String(unwrapMulticall(answer[2])) };
      } catch {
        prefetched = undefined;
      }
    }
    const pid = this.data.connected && this.data.supervisordPid ? this.data.supervisordPid : await createSupervisorApi(transport).getPID();

    // Main log: only the new bytes since the last read, so each line is fed to the ledger once.
    const processSignature = JSON.stringify(processes.map((p) => [p.name, p.state, p.pid, p.start, p.stop]));
    const now = this.now();
    if (processSignature !== this.lastProcessSignature || now - this.lastMainLogRead >= 5000 || pid !== this.data.supervisordPid) {
      if (!this.mainLog) {
        const startOffset = (await this.deps.mainLogStart?.().catch(() => undefined)) ?? 0;
        this.mainLog = new LogFollower({ read: async (o, l) => String(await transport.call('supervisor.readLog', [o, l])) }, { chunkBytes: 1024 * 1024, startOffset });
      }
      try {
        const main = await this.mainLog.poll(64);
        this.ledger.feedLines(main.lines);
        this.lastProcessSignature = processSignature;
        this.lastMainLogRead = now;
      } catch (error) {
        // No main log file (logfile=/dev/stdout, syslog): counts stay unknown rather than wrong.
        if (!(error instanceof RpcFault && error.code === FaultCode.NO_FILE)) throw error;
      }
    }

    const alive = this.deps.isPidAlive;
    const programs: ProgramRow[] = await Promise.all(
      processes.map(async (p) => ({
        ...p,
        namespec: namespec(p),
        history: this.ledger.history(p.name),
        ...(alive && p.pid > 0 ? { pidAlive: await alive(p.pid) } : {}),
      })),
    );
    const supervisordRestarted = this.data.supervisordPid !== null && pid !== this.data.supervisordPid;
    this.update({
      connected: true,
      stale: false,
      problem: null,
      supervisord: { statename: String(state.statename), statecode: Number(state.statecode) },
      supervisordPid: pid,
      programs,
      updatedAt: this.now(),
      historyComplete: this.ledger.sawStart,
      ...(supervisordRestarted ? { logNotice: 'supervisord restarted' } : {}),
    });
    await this.pollProgramLog(programs, prefetched);
  }

  private async pollProgramLog(programs: readonly ProgramRow[], prefetched?: { offset: number; length: number; text: string }): Promise<void> {
    const name = this.data.logProgram;
    const transport = this.transport;
    if (!name || !transport) return;
    const program = programs.find((p) => p.namespec === name || p.name === name);
    if (!program) return;
    if (!this.programLog) {
      const logPath = program.stdoutLogfile;
      const readRotated = this.deps.readRotated;
      this.programLog = new LogFollower(
        {
          read: async (o, l) => String(await transport.call('supervisor.readProcessStdoutLog', [name, o, l])),
          size: async () => {
            const answer = await transport.call('supervisor.tailProcessStdoutLog', [name, 0, 0]);
            return Array.isArray(answer) ? Number(answer[1]) : 0;
          },
          ...(readRotated && logPath ? { readRotated: (offset: number) => readRotated(`${logPath}.1`, offset) } : {}),
        },
        { startTailBytes: 64 * 1024 },
      );
    }
    let result;
    try {
      result = await this.programLog.poll(16, prefetched);
    } catch (error) {
      if (error instanceof RpcFault && error.code === FaultCode.NO_FILE) {
        this.update({ logNotice: `${name} has no log file yet` });
        return;
      }
      throw error;
    }
    for (const line of result.lines) this.log.push(parseKlogLine(++this.logSeq, line));
    const notice = result.rotated ? (result.lostBytes === null ? 'log rotated: some lines could not be read' : 'log rotated') : this.data.logNotice;
    if (result.lines.length || notice !== this.data.logNotice) this.update({ logVersion: this.data.logVersion + 1, logNotice: notice });
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    try {
      await this.pollOnce();
      this.backoffMs = 0;
    } catch (error) {
      // Keep what we had, say why, and try again with backoff; a new connection next time.
      this.transport?.close();
      this.transport = null;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : 250);
      this.update({ connected: false, stale: this.data.programs.length > 0, problem: describeProblem(error) });
    }
    if (this.running) this.timer = setTimeout(() => void this.tick(), this.backoffMs || (this.deps.pollMs ?? 250));
  }

  async checkHealth(): Promise<void> {
    const result = await this.deps.http.get(this.deps.healthzUrl, 2000);
    const now = this.now();
    this.update({ health: { url: this.deps.healthzUrl, result, checkedAt: now, lastOkAt: result.ok ? now : this.data.health.lastOkAt } });
  }

  private async healthTick(): Promise<void> {
    if (!this.running) return;
    await this.checkHealth().catch(() => undefined);
    if (this.running) this.healthTimer = setTimeout(() => void this.healthTick(), this.deps.healthMs ?? 2000);
  }

  /** start, stop or restart (stop then start: supervisord has no restart call). FATAL is recovered by start. */
  async act(action: Action, name: string): Promise<ActionOutcome> {
    this.actionTransport ??= this.deps.connect();
    const t = this.actionTransport;
    const call = (method: string) => t.call(`supervisor.${method}`, [name, true], 120_000);
    try {
      if (action === 'stop' || action === 'restart') {
        try {
          await call('stopProcess');
        } catch (error) {
          // Restarting a program that is not running is just a start.
          if (!(action === 'restart' && error instanceof RpcFault && error.code === FaultCode.NOT_RUNNING)) throw error;
        }
      }
      if (action === 'start' || action === 'restart') await call('startProcess');
      void this.pollOnce().catch(() => undefined);
      return { ok: true, message: `${name}: ${action === 'stop' ? 'stopped' : action === 'start' ? 'started' : 'restarted'}` };
    } catch (error) {
      this.actionTransport?.close();
      this.actionTransport = null;
      return { ok: false, message: `${name}: ${action} failed: ${explainFault(error)}` };
    }
  }
}

/** supervisord's faults as one line a person can act on. */
export function explainFault(error: unknown): string {
  if (!(error instanceof RpcFault)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case FaultCode.BAD_NAME:
      return 'no such program in supervisord';
    case FaultCode.ALREADY_STARTED:
      return 'already running';
    case FaultCode.NOT_RUNNING:
      return 'not running';
    case FaultCode.SPAWN_ERROR:
      return 'supervisord could not spawn it (see its log)';
    case FaultCode.ABNORMAL_TERMINATION:
      return 'it exited before reaching RUNNING (see its log)';
    case FaultCode.NO_FILE:
      return 'its command was not found';
    case FaultCode.NOT_EXECUTABLE:
      return 'its command is not executable';
    case FaultCode.SHUTDOWN_STATE:
      return 'supervisord is restarting or shutting down';
    default:
      return error.faultString;
  }
}
