/**
 * The wrapper's pace file, `/run/kubesup-tui/<program>.pace`: one line, "<next start> <failed starts>", the
 * epoch second the wrapper will exec kubelet at (it sleeps until then) and how many starts in a row ended
 * within the quick-exit window. The wrapper writes it before it sleeps; the monitor reads it to tell a
 * program that is waiting to retry from one that runs.
 */
export const PACE_DIR = '/run/kubesup-tui';

export const pacePath = (program: string) => `${PACE_DIR}/${program}.pace`;

export interface Pace {
  readonly nextStartS: number;
  readonly failedStarts: number;
}

export function parsePace(text: string): Pace | null {
  const [next, failed] = text.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(next) || !Number.isFinite(failed)) return null;
  return { nextStartS: next as number, failedStarts: failed as number };
}
