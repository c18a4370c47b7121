/** How the monitor says durations and exits, the same in `status`, its JSON and the TUI. */
import type { LastExit } from './status-report.js';

/** `1d 02:03:04` / `02:03:04`, like supervisorctl's uptime but with days. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return d > 0 ? `${d}d ${hms}` : hms;
}

export function formatLastExit(e: LastExit | null): string {
  if (!e) return '-';
  const what = e.signal ? e.signal : `exit ${e.status}`;
  return `${what}${e.expected ? '' : ' (unexpected)'}`;
}

/** A program's state as a person should read it: supervisord's, unless the wrapper is waiting to retry. */
export function stateWord(state: string, waiting: { readonly retryInS: number } | null | undefined): string {
  return waiting ? `WAITING ${waiting.retryInS}s` : state;
}

/** `1 failed start`, `3 failed starts`. */
export function failedStarts(n: number): string {
  return `${n} failed start${n === 1 ? '' : 's'}`;
}

export type HealthWord = 'ok' | 'failing' | 'unreachable';

/**
 * kubelet's healthz in one word, the same in `status`, its JSON and the TUI: ok; failing (it answered, but
 * not 200); unreachable (no answer: connection refused, timeout).
 */
export function healthWord(result: { readonly ok: boolean; readonly status?: number } | null | undefined): HealthWord {
  if (result?.ok) return 'ok';
  return result?.status !== undefined ? 'failing' : 'unreachable';
}
