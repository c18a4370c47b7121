/**
 * `kubesup-tui status`: what supervisord runs, and kubelet's health, as JSON and as a table for people.
 */

import type { ProcessInfo } from '../supervisor/client.js';
import type { MonitorData } from './monitor-data.js';
import type { ExitRecord } from './restart-history.js';
import { type HealthWord, healthWord } from './words.js';

export interface ProgramStatus {
  readonly name: string;
  readonly group: string;
  readonly state: string;
  readonly pid: number | null;
  readonly uptime_s: number | null;
  /** Unexpected exits followed by a new spawn, since supervisord started; null when not known. */
  readonly restarts: number | null;
  readonly last_exit: LastExit | null;
  /** RUNNING to supervisord, but waiting to retry a kubelet that keeps failing at start: none runs now. */
  readonly waiting: { readonly retry_in_s: number; readonly failed_starts: number } | null;
}

export interface LastExit {
  /** ISO 8601. */
  readonly time: string;
  /** Exit status, or null when killed by a signal. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly expected: boolean;
}

export interface StatusReport {
  readonly supervisord: { readonly state: string; readonly pid: number | null; readonly url: string };
  readonly programs: readonly ProgramStatus[];
  readonly kubelet: {
    readonly healthz: HealthWord;
    readonly url: string;
    readonly latency_ms: number | null;
    readonly error: string | null;
  };
  readonly warnings: readonly string[];
}

export function uptimeSeconds(p: ProcessInfo): number | null {
  return p.state === 'RUNNING' && p.start > 0 ? Math.max(0, p.now - p.start) : null;
}

function toLastExit(e: ExitRecord | null): LastExit | null {
  return e ? { time: new Date(e.time).toISOString(), status: e.status, signal: e.signal, expected: e.expected } : null;
}

/** The report from one poll of the monitor engine. Restart facts only when the main log covers them. */
export function buildStatusReport(data: MonitorData, extraWarnings: readonly string[] = []): StatusReport {
  const known = data.historyComplete;
  const health = data.health.result;
  const warnings = [...extraWarnings];
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
      last_exit: known ? toLastExit(p.history.lastExit) : null,
      waiting: p.waiting ? { retry_in_s: p.waiting.retryInS, failed_starts: p.waiting.failedStarts } : null,
    })),
    kubelet: {
      healthz: healthWord(health),
      url: data.health.url,
      latency_ms: health && health.status !== undefined ? Math.round(health.latencyMs * 10) / 10 : null,
      error: !health
        ? 'not checked'
        : health.ok
          ? null
          : (health.error ?? `HTTP ${health.status}: ${(health.body ?? '').trim().slice(0, 80)}`),
    },
    warnings,
  };
}
