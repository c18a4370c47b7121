/** How the monitor says durations and exits, the same in `status`, its JSON and the TUI. */

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

/**
 * How long a program has run, as the monitor's table shows it: by the second in its first minute (a restart
 * is watched closely, and supervisorctl says `0:00:45`, not 40), then minutes (`12m`), hours (`3h 02m`), days
 * (`2d 04h`). The step is what lets a quiet screen stay still: past a minute it is redrawn when a word
 * changes, not once a second.
 */
export function uptimeWord(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return compactDuration(s);
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

/** `1 restart`, `3 restarts`: a count with its noun, singular when it is one. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A moment as on-call reads it: 24-hour local time (`14:03:22`), with the date in front when it is not today
 * (`2026-11-26 14:03:22`). Never AM/PM, never a locale's guess.
 */
export function formatClock(timeMs: number, nowMs: number): string {
  const t = new Date(timeMs);
  const now = new Date(nowMs);
  const clock = `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
  const sameDay =
    t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  return sameDay ? clock : `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${clock}`;
}

/** A moment in a narrow column: `14:03:22` today, `11-25 14:03` before (the date, then the minute, stay). */
export function shortClock(timeMs: number, nowMs: number): string {
  const long = formatClock(timeMs, nowMs);
  return long.length > 8 ? long.slice(5, 16) : long;
}

/** A length of time in its two largest units: `45s`, `12m 03s`, `3h 02m`, `2d 04h`. */
export function compactDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${two(Math.floor((s % 86400) / 3600))}h`;
}
