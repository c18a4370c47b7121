/**
 * What one capture of the monitor says that cannot be true, judged from the capture alone: the README's
 * pictures (test/node/screenshots.ts when it saves one, test/unit/screenshots.test.ts for each kept one) and
 * the samples taken in test/node/tui.e2e.test.ts all go through `falseLines`.
 */

/** A program's row in the table: `› kubelet   RUNNING   355   6s   0   -`. */
interface Row {
  readonly name: string;
  readonly state: string;
  readonly pid: number | null;
  /** LAST EXIT's time of day, when it has one. */
  readonly lastExitAt: string | null;
}

/** States in which supervisord holds no process of the program: nothing can answer for it. */
const NO_PROCESS = new Set(['EXITED', 'STOPPED', 'FATAL', 'BACKOFF']);

function rows(screen: string): Row[] {
  const out: Row[] = [];
  const row = /^[› ] (\S+)\s{2,}([A-Z]+)(?: \d+s)?\s+(\d+|-)\s.*?(?:(\d\d:\d\d:\d\d) \S.*)?$/gm;
  for (const m of screen.matchAll(row)) {
    const [, name, state, pid, lastExit] = m as unknown as [string, string, string, string, string | undefined];
    out.push({ name, state, pid: pid === '-' ? null : Number(pid), lastExitAt: lastExit ?? null });
  }
  return out;
}

/** The log's last mark for `name` (`── 23:11:10 kubelet started: pid 471 ──`): when, and what. */
function lastMark(screen: string, name: string): { at: string; started: boolean; text: string } | null {
  const marks = [...screen.matchAll(/^── (\d\d:\d\d:\d\d) (\S+) (started|ended)\b.*$/gm)].filter((m) => m[2] === name);
  const m = marks.at(-1);
  return m ? { at: m[1] as string, started: m[3] === 'started', text: m[0].replace(/ ─+$/, '') } : null;
}

/** The lines of `screen` that contradict another line of it, each with why; empty when none does. */
export function falseLines(screen: string): string[] {
  const found: string[] = [];
  // A frame drawn over another: a row of the one before left standing, or the frame's top scrolled away.
  if (/^connecting to supervisord/m.test(screen) && /^supervisord [A-Z]+ pid \d+/m.test(screen))
    found.push('"connecting to supervisord" beside its state');
  const first = screen.split('\n').find((l) => l.trim() !== '');
  if (first !== undefined && !first.startsWith('kubesup-tui · '))
    found.push(`the frame's title is not on top: "${first}"`);
  // A countdown glued to the pid beside it: `WAITING 3s517`.
  for (const m of screen.matchAll(/WAITING \d+s\d+/g)) found.push(`"${m[0]}": the countdown glued to the pid`);
  for (const row of rows(screen)) {
    const name = row.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (row.state === 'RUNNING') {
      const none = new RegExp(`^${name}: (not running|no process)`, 'm').exec(screen);
      if (none) found.push(`"${none[0]}" beside ${row.name}'s RUNNING row`);
      // Live figures (`kubelet pid 355 · cpu ...`, `kubelet pid 355 RUNNING: no figures yet`) are of the row's
      // pid; a dead process's (`kubelet pid 355 ended SIGKILL ...`) say which pid runs now.
      const live = new RegExp(`^${name} pid (\\d+) (?!ended|gone)`, 'm').exec(screen);
      if (live && Number(live[1]) !== row.pid) found.push(`figures of pid ${live[1]} beside RUNNING pid ${row.pid}`);
      const now = new RegExp(`^${name} pid \\d+ (?:ended|gone).* now pid (\\d+)`, 'm').exec(screen);
      if (now && Number(now[1]) !== row.pid) found.push(`"now pid ${now[1]}" beside RUNNING pid ${row.pid}`);
    }
    if (NO_PROCESS.has(row.state)) {
      // kubelet's healthz answered by no process: a stale "ok" shown without its age.
      if (row.name === 'kubelet' && /^kubelet healthz ok /m.test(screen))
        found.push(`"kubelet healthz ok" beside kubelet's ${row.state} row`);
      const live = new RegExp(`^${name} pid (\\d+) · `, 'm').exec(screen);
      if (live) found.push(`live figures of pid ${live[1]} beside ${row.name}'s ${row.state} row`);
      // The log already says it started again, after the exit the row still shows: the row is stale.
      const mark = lastMark(screen, row.name);
      if (mark?.started && (row.lastExitAt === null || mark.at >= row.lastExitAt))
        found.push(`"${mark.text}" in the log beside ${row.name}'s ${row.state} row`);
    }
  }
  return found;
}
