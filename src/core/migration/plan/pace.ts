/**
 * The wrapper's pace file, `/run/kubesup-tui/<program>.pace`: one line, "<next start> <failed starts> <pid>",
 * the epoch second the wrapper will exec kubelet at (it sleeps until then), how many starts in a row ended
 * within the quick-exit window, and the wrapper's pid (kubelet keeps it once exec'd). The wrapper writes it
 * before it sleeps; the monitor reads it to tell a program that is waiting to retry from one that runs.
 */
export const PACE_DIR = '/run/kubesup-tui';

export const pacePath = (program: string) => `${PACE_DIR}/${program}.pace`;

export interface Pace {
  readonly nextStartS: number;
  readonly failedStarts: number;
  /** The wrapper that wrote it (absent in files of older versions). */
  readonly pid: number | null;
}

export function parsePace(text: string): Pace | null {
  const [next, failed, pid] = text.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(next) || !Number.isFinite(failed)) return null;
  return { nextStartS: next as number, failedStarts: failed as number, pid: pid && Number.isFinite(pid) ? pid : null };
}
