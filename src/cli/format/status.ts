/** `kubesup-tui status` for people: a plain table, nothing coloured (pipes and NO_COLOR read it as it is). */
import type { StatusReport } from '../../core/monitor/status-report.js';
import { failedStarts, formatDuration, formatLastExit, stateWord } from '../../core/monitor/words.js';

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
      p.restarts === null ? '?' : String(p.restarts),
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
  const lines = [
    `supervisord ${r.supervisord.state}${r.supervisord.pid ? ` (pid ${r.supervisord.pid})` : ''} at ${r.supervisord.url}`,
    ...(r.programs.length ? table : ['(no programs configured)']),
    `kubelet healthz ${r.kubelet.healthz}${r.kubelet.latency_ms !== null ? ` in ${r.kubelet.latency_ms} ms` : ''} at ${r.kubelet.url}${r.kubelet.error ? ` (${r.kubelet.error})` : ''}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}
