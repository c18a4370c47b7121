/**
 * `kubesup-tui status`: what supervisord runs, and kubelet's health, as JSON and as a table for people.
 */

import { describeThreshold } from '../kubelet/eviction.js';
import { endedBy, isFlapping } from './exit-history.js';
import { type MonitorData, uptimeSeconds } from './monitor-data.js';
import type { ServiceHealth } from './moved-services.js';
import type { NodeFacts, Pressure } from './node-facts.js';
import type { ExitRecord } from './restart-history.js';
import { type HealthWord, healthWord } from './words.js';

export interface ProgramStatus {
  readonly name: string;
  readonly group: string;
  readonly state: string;
  readonly pid: number | null;
  readonly uptime_s: number | null;
  /**
   * From supervisord's main log: unexpected exits followed by a new spawn, since supervisord started. From
   * kubesup-agent (`history_source`): every end it counted, since it began (what its metrics say). Null when
   * not known.
   */
  readonly restarts: number | null;
  /** kubesup-agent's counts by reason (exited, crashed, oom_killed, hung_watchdog, ...); null without it. */
  readonly restarts_by_reason: Readonly<Record<string, number>> | null;
  /** Where `restarts`, `last_exit` and `exits` come from. */
  readonly history_source: HistorySource;
  readonly last_exit: LastExit | null;
  /** The last exits, newest first, with their reasons where kubesup-agent recorded them; [] when not known. */
  readonly exits: readonly LastExit[];
  /** RUNNING to supervisord, but waiting to retry a kubelet that keeps failing at start: none runs now. */
  readonly waiting: { readonly retry_in_s: number; readonly failed_starts: number } | null;
  /** Several unexpected exits in the last few minutes; null when the main log does not cover them. */
  readonly flapping: boolean | null;
  /**
   * A Type=notify program's READY=1 since its start, as kubesup-agent recorded it: started as systemd counts it.
   * Null for the other programs (RUNNING is all there is).
   */
  readonly ready: boolean | null;
  /** When it said READY=1 (ISO 8601); null when it has not, or is not asked to. */
  readonly ready_at: string | null;
}

export interface NodeReport {
  readonly cpus: number | null;
  readonly load: readonly number[] | null;
  readonly memory: {
    readonly available_bytes: number;
    readonly total_bytes: number;
    readonly swap_used_bytes: number;
    readonly eviction_threshold: string | null;
    readonly level: string;
  } | null;
  /** avg10 of "some" (and "full") per resource, in %; null when the kernel has no PSI. */
  readonly pressure: Record<'cpu' | 'memory' | 'io', { some: number; full: number | null } | null> | null;
  readonly disks: readonly {
    readonly path: string;
    readonly role: string;
    readonly available_bytes: number;
    readonly total_bytes: number;
    readonly eviction_threshold: string | null;
    readonly level: string;
  }[];
}

export interface UsageReport {
  readonly program: string;
  readonly pid: number;
  readonly cpu_seconds: number | null;
  readonly rss_bytes: number | null;
  readonly threads: number | null;
  readonly open_files: number | null;
}

export type HistorySource = 'kubesup-agent' | 'supervisord-main-log';

export interface LastExit {
  /** ISO 8601. */
  readonly time: string;
  /** Exit status, or null when killed by a signal. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly expected: boolean;
  /** kubesup-agent's reason (exited, crashed, oom_killed, hung_watchdog, hung_healthz, operator); else null. */
  readonly reason: string | null;
  /** The agent's own words on it; null without them. */
  readonly detail: string | null;
  /** How it ended, as the monitor says it: `crashed (SIGSEGV)`, `OOM-killed`, `SIGKILL`, `stopped on request`. */
  readonly words: string;
}

/** Exits listed per program in the report. */
const REPORTED_EXITS = 10;

export interface StatusReport {
  readonly supervisord: { readonly state: string; readonly pid: number | null; readonly url: string };
  readonly programs: readonly ProgramStatus[];
  readonly kubelet: {
    readonly healthz: HealthWord;
    readonly url: string;
    readonly latency_ms: number | null;
    readonly error: string | null;
  };
  /** Other units kubesup-tui moved (containerd, etcd...), each by its own health check. */
  readonly services: readonly ServiceHealth[];
  readonly node: NodeReport | null;
  readonly usage: UsageReport | null;
  readonly warnings: readonly string[];
}

const psi = (p: Pressure | null) => (p ? { some: p.some, full: p.full } : null);

function nodeReport(n: NodeFacts): NodeReport {
  return {
    cpus: n.cpus,
    load: n.load,
    memory: n.memory && {
      available_bytes: n.memory.availBytes,
      total_bytes: n.memory.totalBytes,
      swap_used_bytes: n.memory.swapTotalBytes - n.memory.swapFreeBytes,
      eviction_threshold: n.memory.threshold && describeThreshold(n.memory.threshold),
      level: n.memory.level,
    },
    pressure: n.pressure && { cpu: psi(n.pressure.cpu), memory: psi(n.pressure.memory), io: psi(n.pressure.io) },
    disks: n.disks.map((d) => ({
      path: d.path,
      role: d.role,
      available_bytes: d.availBytes,
      total_bytes: d.totalBytes,
      eviction_threshold: d.threshold && describeThreshold(d.threshold),
      level: d.level,
    })),
  };
}

/** `exit 1 (unexpected)`, `SIGKILL`, or the agent's reason: how `status` says a program's last exit. */
export function formatLastExit(e: LastExit | null): string {
  if (!e) return '-';
  if (e.reason) return e.words;
  const what = e.signal ? e.signal : `exit ${e.status}`;
  return `${what}${e.expected ? '' : ' (unexpected)'}`;
}

function toLastExit(e: ExitRecord | null): LastExit | null {
  if (!e) return null;
  return {
    time: new Date(e.time).toISOString(),
    status: e.status,
    signal: e.signal,
    expected: e.expected,
    reason: e.reason ?? null,
    detail: e.detail ?? null,
    words: endedBy(e),
  };
}

/** What went wrong with kubelet's healthz: not asked yet, the request's error, or the status and body. */
function healthzError(health: MonitorData['health']['result']): string | null {
  if (!health) return 'not checked';
  if (health.ok) return null;
  return health.error ?? `HTTP ${health.status}: ${(health.body ?? '').trim().slice(0, 80)}`;
}

const readyAt = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** The report from one poll of the monitor engine. Restart facts only when the main log covers them. */
export function buildStatusReport(
  data: MonitorData,
  extraWarnings: readonly string[] = [],
  services: readonly ServiceHealth[] = [],
  /** Per Type=notify program: when it said READY=1 since its start (ms since the epoch), or null. */
  ready: ReadonlyMap<string, number | null> = new Map(),
): StatusReport {
  const known = data.historyComplete;
  const health = data.health.result;
  const warnings = [...extraWarnings, ...(data.agentWarning ? [data.agentWarning] : [])];
  if (!known)
    warnings.push(
      "supervisord's main log no longer reaches back to its start (rotated, or not a file): restart counts unknown",
    );
  return {
    supervisord: { state: data.supervisord?.statename ?? 'UNKNOWN', pid: data.supervisordPid, url: data.url },
    programs: data.programs.map((p) => ({
      name: p.name,
      group: p.group,
      state: p.state,
      pid: p.pid > 0 ? p.pid : null,
      uptime_s: uptimeSeconds(p),
      restarts: known ? p.history.restarts : null,
      restarts_by_reason: p.history.byReason ?? null,
      history_source: p.history.source === 'agent' ? 'kubesup-agent' : 'supervisord-main-log',
      last_exit: known ? toLastExit(p.history.lastExit) : null,
      exits: known
        ? p.history.exits
            .slice(-REPORTED_EXITS)
            .reverse()
            .map((e) => toLastExit(e) as LastExit)
        : [],
      waiting: p.waiting ? { retry_in_s: p.waiting.retryInS, failed_starts: p.waiting.failedStarts } : null,
      flapping: known ? isFlapping(p.history.exits, p.now * 1000) : null,
      ready: ready.has(p.name) ? ready.get(p.name) != null : null,
      ready_at: readyAt(ready.get(p.name)),
    })),
    kubelet: {
      healthz: healthWord(health),
      url: data.health.url,
      latency_ms: health && health.status !== undefined ? Math.round(health.latencyMs * 10) / 10 : null,
      error: healthzError(health),
    },
    services,
    node: data.node && nodeReport(data.node),
    usage: data.usage && {
      program: data.programs.find((p) => p.pid === data.usage?.pid)?.namespec ?? '?',
      pid: data.usage.pid,
      cpu_seconds: data.usage.cpuSeconds,
      rss_bytes: data.usage.rssBytes,
      threads: data.usage.threads,
      open_files: data.usage.openFiles,
    },
    warnings,
  };
}
