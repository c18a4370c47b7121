/** What the monitor knows at a moment: plain data for the store, the screens and `status`. */

import type { HttpProbeResult } from '../host.js';
import type { ProcessInfo, SupervisorState } from '../supervisor/client.js';
import type { ServiceHealth } from './moved-services.js';
import type { NodeFacts, ProcessUsage } from './node-facts.js';
import type { ProgramHistory } from './restart-history.js';
import { uptimeWord } from './words.js';

export interface ProgramRow extends ProcessInfo {
  readonly namespec: string;
  readonly history: ProgramHistory;
  /** From /proc when the engine can check: false when supervisord still reports a pid that is gone. */
  readonly pidAlive?: boolean;
  /**
   * RUNNING to supervisord, but its process is still kubesup-tui's wrapper sleeping before the next try of a
   * program that keeps failing at start (from the wrapper's pace file): no kubelet runs yet.
   */
  readonly waiting?: Waiting | null;
}

export interface Waiting {
  readonly retryInS: number;
  readonly failedStarts: number;
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
  /** Counts may miss what a rotated-away main log held (never with kubesup-agent's counts). */
  readonly historyComplete: boolean;
  /** kubesup-agent's state file is there but unusable: counts and reasons from the main log (one line). */
  readonly agentWarning?: string | null;
  readonly health: HealthState;
  /** Which program's log is followed. */
  readonly logProgram: string | null;
  /** Increases whenever log lines arrive; the lines themselves stay in the ring. */
  readonly logVersion: number;
  readonly logNotice: string | null;
  /** The node's load, memory, pressure and disks; null until sampled (or when supervisord is not local). */
  readonly node: NodeFacts | null;
  /**
   * The followed program's own CPU, memory, threads and files: its current process's, or its last process's
   * (kept past its death until the next one is sampled; see process-line.ts).
   */
  readonly usage: ProcessUsage | null;
  /** Whose figures `usage` holds, and when they were taken. */
  readonly usageOf: {
    readonly namespec: string;
    readonly atMs: number;
    /** A newer pid of the program tried without figures (gone already, or /proc unreadable). */
    readonly triedPid?: number;
  } | null;
  /** Other units kubesup-tui moved (containerd, etcd...), each by its own health check; absent when none. */
  readonly services?: readonly ServiceHealth[];
}

export interface ActionOutcome {
  readonly ok: boolean;
  readonly message: string;
}

export type { Action } from './restart-history.js';

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
    node: null,
    usage: null,
    usageOf: null,
  };
}

const sinceWord = (from: number | null, to: number | null) =>
  from === null || to === null ? null : uptimeWord((to - from) / 1000);

/** The node panel's figures, each with the step a person notices (a smaller move waits for the next frame). */
function nodeFigures(d: MonitorData): [number | null | undefined, number][] {
  const n = d.node;
  const u = d.usage;
  return [
    [n?.memory && (100 * n.memory.availBytes) / n.memory.totalBytes, 5],
    [n?.load?.[0], 1],
    [n?.pressure?.cpu?.some, 10],
    [n?.pressure?.memory?.some, 10],
    [n?.pressure?.io?.some, 10],
    ...(n?.disks.map((x) => [(100 * x.availBytes) / x.totalBytes, 1] as [number, number]) ?? []),
    [u?.cpuPercent, 10],
    [u?.rssBytes, 16 * 2 ** 20],
    [u?.threads, 1],
    [u?.openFiles, 10],
  ];
}

/**
 * Whether a node figure moved by its step since `shown` was drawn: measured from what is on screen, not
 * rounded into buckets, so a figure hovering at a bucket's edge does not redraw the screen every sample.
 */
export function nodeMoved(shown: MonitorData | null, now: MonitorData): boolean {
  if (!shown) return now.node !== null;
  const a = nodeFigures(shown);
  const b = nodeFigures(now);
  if (a.length !== b.length) return true;
  return b.some(([x, step], i) => {
    const y = a[i]?.[0];
    if (x === null || x === undefined || y === null || y === undefined) return x !== y;
    return Math.abs(x - y) >= step;
  });
}

/**
 * What a person sees change, at the step it is shown: when it is the same (and no node figure moved, see
 * nodeMoved), the monitor need not redraw. The uptimes are in it as words (`45s`, `12m`), so a quiet screen is
 * redrawn once a minute, not once a second (after its first minute).
 */
export function visibleSignature(d: MonitorData): string {
  const health = d.health.result;
  return JSON.stringify([
    [
      d.connected,
      d.stale,
      d.problem,
      d.supervisord?.statename,
      d.supervisordPid,
      d.logVersion,
      d.logNotice,
      d.historyComplete,
      d.agentWarning,
    ],
    // While failing, "last ok 3m ago" moves too.
    [health?.ok, health?.error, health?.status, health?.ok ? null : sinceWord(d.health.lastOkAt, d.health.checkedAt)],
    d.programs.map((p) => [
      p.namespec,
      p.state,
      p.pid,
      p.start,
      p.exitstatus,
      p.spawnerr,
      p.pidAlive,
      p.waiting?.retryInS,
      p.history.restarts,
      p.history.exits.length,
      // The agent's reason comes a moment after the log's exit it explains.
      p.history.lastExit?.reason,
      uptimeWord(uptimeSeconds(p)),
    ]),
    // The node panel: its levels and whose process it shows; its figures move it through nodeMoved.
    [
      d.node?.memory?.level,
      ...(d.node?.disks.map((x) => x.level) ?? []),
      d.node === null,
      d.usage?.pid,
      d.usageOf?.namespec,
    ],
  ]);
}

/**
 * Something on screen moves each second: an uptime under a minute (shown to the second), a wrapper's
 * countdown to its next try. The engine then polls each second, so that what is shown stays true.
 */
export function ticking(d: Pick<MonitorData, 'programs'>): boolean {
  return d.programs.some((p) => p.waiting || (uptimeSeconds(p) ?? 60) < 60);
}

/** How long a program has run by supervisord's own clock; null when it is not running. */
export function uptimeSeconds(p: ProcessInfo): number | null {
  return p.state === 'RUNNING' && p.start > 0 ? Math.max(0, p.now - p.start) : null;
}

/** How the engine runs; the defaults suit a person watching over SSH. */
export interface MonitorOptions {
  /** The closest two polls come: how fast a crash shows when supervisord's log cannot be watched. @default 250 */
  readonly pollMs?: number;
  /**
   * Between polls at rest, when supervisord's main log is a local file that is watched (a crash, a start,
   * kubelet's lines wake the engine at once, `pollMs` after the last poll at the soonest). @default 5000
   */
  readonly restPollMs?: number;
  /** @default 2000 */
  readonly healthMs?: number;
  /** Log lines kept. @default 5000 */
  readonly logCapacity?: number;
}
