/**
 * The line under the table about the selected program's process: its own figures when they are its current
 * process's, else what they are (the dead process's last ones, marked with when they were taken and how it
 * ended), never another process's figures under this one's name, never "not running" beside a RUNNING row.
 */
import type { ProcessInfo } from '../supervisor/client.js';
import { endedBy } from './exit-history.js';
import type { MonitorData, ProgramRow } from './monitor-data.js';
import type { ProcessUsage } from './node-facts.js';
import { figureWords, usageWords } from './node-words.js';
import type { ExitRecord } from './restart-history.js';
import { compactDuration, formatClock } from './words.js';

/** The program the node panel samples: the one whose log is followed, else kubelet. */
export function followedRow<T extends ProcessInfo & { readonly namespec: string }>(
  programs: readonly T[],
  followed: string | null,
): T | undefined {
  return programs.find((p) => p.namespec === followed) ?? programs.find((p) => p.name === 'kubelet');
}

/** A process whose figures mean something: not the wrapper sleeping before its next try. */
export function sampledPid(row: Pick<ProgramRow, 'pid' | 'waiting'> | undefined): number {
  return row && !row.waiting ? row.pid : 0;
}

/**
 * The followed program has a process whose figures are not on screen yet (a new pid, another program), and
 * that pid was not already tried without figures (its /proc unreadable): sampled now, not at every poll.
 */
export function usageBehind(d: Pick<MonitorData, 'programs' | 'logProgram' | 'usage' | 'usageOf'>): boolean {
  const row = followedRow(d.programs, d.logProgram);
  const pid = sampledPid(row);
  if (pid <= 0 || (d.usageOf?.namespec === row?.namespec && d.usageOf?.triedPid === pid)) return false;
  return d.usage?.pid !== pid || d.usageOf?.namespec !== row?.namespec;
}

/**
 * What a sample changes: its figures; or, when the program has no process to sample (it died, it waits to
 * retry), the figures of its last process are kept, to explain the death they sit beside.
 */
export function usagePatch(
  shown: Pick<MonitorData, 'usage' | 'usageOf'>,
  sampled: ProcessUsage | null,
  namespec: string | null,
  nowMs: number,
  triedPid = 0,
): Partial<Pick<MonitorData, 'usage' | 'usageOf'>> {
  if (sampled && namespec) return { usage: sampled, usageOf: { namespec, atMs: nowMs } };
  if (namespec && shown.usageOf?.namespec === namespec) return { usageOf: { ...shown.usageOf, triedPid } };
  return { usage: null, usageOf: null };
}

/**
 * The dead process first (what explains the crash beside it), then what stands now:
 * `kubelet pid 4242 ended SIGKILL · 2s before it: cpu 12.0% · 1.1 GiB resident … · now pid 4243`: short enough
 * for 80 columns to keep its CPU and memory (when it ended is in the table's LAST EXIT).
 */
function pastLine(name: string, u: ProcessUsage, atMs: number, lastExit: ExitRecord | null, nowMs: number): string {
  // The exit after the figures were taken is this process's; an older one is an earlier process's.
  const exit = lastExit && lastExit.time >= atMs - 1000 ? lastExit : null;
  const ended = exit ? `ended ${endedBy(exit)}` : 'gone';
  const seen = exit
    ? `${compactDuration(Math.max(0, exit.time - atMs) / 1000)} before it`
    : `last seen at ${formatClock(atMs, nowMs)}`;
  return `${name} pid ${u.pid} ${ended} · ${seen}: ${figureWords(u)}`;
}

export interface ProcessLine {
  readonly text: string;
  /** Figures of a process that is no more: shown marked, in another colour. */
  readonly past: boolean;
}

export function processLine(
  row: ProgramRow | undefined,
  d: Pick<MonitorData, 'usage' | 'usageOf'>,
  nowMs: number,
): ProcessLine {
  if (!row) return { text: 'no program selected', past: false };
  const name = row.namespec;
  const pid = sampledPid(row);
  // Figures of this pid while its wrapper waits are the wrapper's: not the program's, now or before.
  const mine = d.usage && d.usageOf?.namespec === name && !(row.waiting && d.usage.pid === row.pid) ? d.usage : null;
  if (mine && pid > 0 && mine.pid === pid) return { text: usageWords(name, mine), past: false };
  const waiting = row.waiting ? `next try in ${row.waiting.retryInS}s (pid ${row.pid} is its wrapper)` : null;
  if (mine && d.usageOf) {
    const now = waiting ?? (pid > 0 ? `now pid ${pid}, no figures yet` : `now ${row.state}`);
    return { text: `${pastLine(name, mine, d.usageOf.atMs, row.history.lastExit, nowMs)} · ${now}`, past: true };
  }
  const text = waiting
    ? `${name}: not started yet, ${waiting}`
    : pid > 0
      ? `${name} pid ${pid} ${row.state}: no figures yet`
      : `${name}: no process (${row.state})`;
  return { text, past: false };
}
