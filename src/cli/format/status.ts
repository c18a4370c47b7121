/** `kubesup-tui status` for people: a plain table, nothing coloured (pipes and NO_COLOR read it as it is). */
import { formatBytes } from '../../core/kubelet/eviction.js';
import {
  formatLastExit,
  type NodeReport,
  type StatusReport,
  type UsageReport,
} from '../../core/monitor/status-report.js';
import { failedStarts, formatDuration, plural, stateWord } from '../../core/monitor/words.js';

/** The RESTARTS cell: the count, marked when it is flapping; `?` when the main log does not cover it. */
function restartsCell(p: StatusReport['programs'][number]): string {
  if (p.restarts === null) return '?';
  return `${p.restarts}${p.flapping ? ' FLAPPING' : ''}`;
}

/** Plain table for people; columns padded, nothing coloured (pipes and NO_COLOR read it as it is). */
export function formatStatusReport(r: StatusReport): string {
  const rows = [
    ['PROGRAM', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'LAST EXIT'],
    ...r.programs.map((p) => [
      p.group === p.name ? p.name : `${p.group}:${p.name}`,
      p.waiting
        ? `${stateWord(p.state, { retryInS: p.waiting.retry_in_s })} (${failedStarts(p.waiting.failed_starts)})`
        : p.state,
      p.pid === null ? '-' : String(p.pid),
      formatDuration(p.uptime_s),
      restartsCell(p),
      formatLastExit(p.last_exit),
    ]),
  ];
  const header = rows[0] as string[];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] as string).length)));
  const table = rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd(),
  );
  const supervisordPid = r.supervisord.pid ? ` (pid ${r.supervisord.pid})` : '';
  const healthzLatency = r.kubelet.latency_ms !== null ? ` in ${r.kubelet.latency_ms} ms` : '';
  const healthzError = r.kubelet.error ? ` (${r.kubelet.error})` : '';
  const lines = [
    `supervisord ${r.supervisord.state}${supervisordPid} at ${r.supervisord.url}`,
    ...(r.programs.length ? table : ['(no programs configured)']),
    // The agent's counts mean more than the log's (every end, kept across restarts): said once, under the table.
    ...(r.programs.some((p) => p.history_source === 'kubesup-agent')
      ? ['RESTARTS as kubesup-agent counts them: every end since it began, by reason in --json (as its metrics)']
      : []),
    `kubelet healthz ${r.kubelet.healthz}${healthzLatency} at ${r.kubelet.url}${healthzError}`,
    ...r.services.map((x) => `${x.program} health ${x.health}: ${x.check}${x.health === 'ok' ? '' : ` (${x.detail})`}`),
    ...r.programs.filter((p) => p.ready !== null).map(readyLine),
    ...(r.node ? nodeLines(r.node) : []),
    ...(r.usage ? [usageLine(r.usage)] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A Type=notify program: whether it said READY=1 since its start (what systemd counted as started). */
function readyLine(p: StatusReport['programs'][number]): string {
  if (p.ready) return `${p.name} READY=1 at ${p.ready_at ?? '?'} (Type=notify: started)`;
  const since = p.pid === null ? '' : ` since its start (pid ${p.pid})`;
  return `${p.name} has not said READY=1${since} (Type=notify: not started as systemd counts it)`;
}

const pct = (p: { some: number } | null) => (p ? `${p.some.toFixed(1)}%` : '-');
const mark = (level: string) => (level === 'ok' ? '' : ` ${level.toUpperCase()}`);
const evicts = (t: string | null) => (t ? ` (evicts below ${t})` : '');

/** The load averages, and over how many cpus when known. */
function loadText(n: NodeReport): string {
  if (!n.load) return 'load ?';
  const load = `load ${n.load.map((x) => x.toFixed(2)).join(' ')}`;
  return n.cpus ? `${load} on ${n.cpus} cpus` : load;
}

function nodeLines(n: NodeReport): string[] {
  const load = loadText(n);
  const m = n.memory;
  const memory = m
    ? `memory ${formatBytes(m.available_bytes)} of ${formatBytes(m.total_bytes)} available` +
      `${evicts(m.eviction_threshold)}${mark(m.level)}, swap ${formatBytes(m.swap_used_bytes)} used`
    : 'memory ?';
  const p = n.pressure;
  const pressure = p
    ? `pressure cpu ${pct(p.cpu)} memory ${pct(p.memory)} io ${pct(p.io)}`
    : 'no pressure figures in this kernel';
  return [
    `node ${load} · ${memory} · ${pressure}`,
    ...n.disks.map(
      (d) =>
        `disk ${d.path} (${d.role}) ${formatBytes(d.available_bytes)} of ${formatBytes(d.total_bytes)} free` +
        `${evicts(d.eviction_threshold)}${mark(d.level)}`,
    ),
  ];
}

function usageLine(u: UsageReport): string {
  const parts = [
    u.rss_bytes !== null ? `${formatBytes(u.rss_bytes)} resident` : null,
    u.threads !== null ? plural(u.threads, 'thread') : null,
    u.open_files !== null ? plural(u.open_files, 'open file') : null,
    u.cpu_seconds !== null ? `${u.cpu_seconds.toFixed(1)} s of CPU so far` : null,
  ].filter((x) => x !== null);
  return `${u.program} pid ${u.pid}: ${parts.join(', ')}`;
}
