/** What /proc and kubesup-tui's wrapper say of a supervised program's process, beyond supervisord's word. */
import type { Host } from '../host.js';
import { pacePath, parsePace } from '../migration/plan/pace.js';
import { namespec, type ProcessInfo } from '../supervisor/client.js';
import type { ProgramRow } from './monitor-data.js';
import type { ProgramHistory } from './restart-history.js';

/**
 * Whether the process at the program's pid lives, and whether it is kubesup-tui's wrapper sleeping before its
 * next try (its pace file names this pid and a next start still to come): RUNNING to supervisord, but no
 * kubelet runs. One small read, only for a RUNNING program.
 */
export async function processFacts(
  host: Host,
  p: ProcessInfo,
  nowMs: number,
): Promise<Pick<ProgramRow, 'pidAlive' | 'waiting'>> {
  const brief = await host.procs.brief(p.pid);
  if (!brief) return { pidAlive: false, waiting: null };
  if (p.state !== 'RUNNING') return { pidAlive: true, waiting: null };
  const text = (await host.files.read(pacePath(p.name)).catch(() => undefined))?.toString('utf8');
  const pace = text ? parsePace(text) : null;
  const retryInS = pace ? pace.nextStartS - Math.floor(nowMs / 1000) : 0;
  // The pid, once exec'd, is kubelet's: the next start still to come says the exec has not happened yet.
  const ours = pace !== null && (pace.pid === null ? brief.comm !== 'kubelet' : pace.pid === p.pid);
  return { pidAlive: true, waiting: ours && retryInS > 0 ? { retryInS, failedStarts: pace.failedStarts } : null };
}

/** The table's rows: each process with its history and, while it has a pid, what /proc says of it. */
export function programRows(
  host: Host,
  processes: readonly ProcessInfo[],
  history: (name: string) => ProgramHistory,
  nowMs: number,
): Promise<ProgramRow[]> {
  return Promise.all(
    processes.map(async (p) => ({
      ...p,
      namespec: namespec(p),
      history: history(p.name),
      ...(p.pid > 0 ? await processFacts(host, p, nowMs) : {}),
    })),
  );
}
