/**
 * klog lines, as kubelet writes them: `I1105 19:12:50.787510    9815 file.go:238] message`.
 * Severity I/W/E/F, month-day, time, thread id, source file:line. Other lines are kept as they are.
 */

export type Severity = 'info' | 'warning' | 'error' | 'fatal' | 'other';

export interface LogLine {
  /** Increasing number of the line since the follow began. */
  readonly seq: number;
  readonly text: string;
  readonly severity: Severity;
  /** `MMDD hh:mm:ss.uuuuuu` as written (klog has no year). */
  readonly time?: string;
  readonly source?: string;
  /** The message, after the `] `. */
  readonly message?: string;
  /** Not the program's own line: the monitor's mark of a death or a start (monitor/log-marks.ts). */
  readonly mark?: boolean;
}

const KLOG = /^([IWEF])(\d{4} \d\d:\d\d:\d\d\.\d{6})\s+\d+ ([^\]\s]+:\d+)\] (.*)$/;
const SEVERITY = { I: 'info', W: 'warning', E: 'error', F: 'fatal' } as const;

export function parseKlogLine(seq: number, text: string): LogLine {
  const m = KLOG.exec(text);
  if (!m) {
    // Go panics and stack traces are not klog lines, but they are what matters most.
    const severity: Severity = /^(panic:|fatal error:|goroutine \d+ \[)/.test(text) ? 'fatal' : 'other';
    return { seq, text, severity };
  }
  return {
    seq,
    text,
    severity: SEVERITY[m[1] as keyof typeof SEVERITY],
    time: m[2] as string,
    source: m[3] as string,
    message: m[4] as string,
  };
}
