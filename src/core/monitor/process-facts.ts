/** What /proc and kubesup-tui's wrapper say of a supervised program's process, beyond supervisord's word. */
import type { Host } from '../host.js';
import { pacePath, parsePace } from '../migration/pace.js';
import type { ProcessInfo } from '../supervisor/client.js';
import type { ProgramRow } from './monitor-data.js';

/** A shell at the program's pid: kubesup-tui's wrapper has not exec'd kubelet yet. */
const SHELLS = new Set(['bash', 'sh', 'dash']);

/** What /proc and the wrapper's pace file say of a program's process (one small read while it waits). */
export async function processFacts(
  host: Host,
  p: ProcessInfo,
  nowMs: number,
): Promise<Pick<ProgramRow, 'pidAlive' | 'waiting'>> {
  const brief = await host.procs.brief(p.pid);
  if (!brief) return { pidAlive: false, waiting: null };
  if (p.state !== 'RUNNING' || !SHELLS.has(brief.comm ?? '')) return { pidAlive: true, waiting: null };
  const text = (await host.files.read(pacePath(p.name)).catch(() => undefined))?.toString('utf8');
  const pace = text ? parsePace(text) : null;
  const retryInS = pace ? pace.nextStartS - Math.floor(nowMs / 1000) : 0;
  return { pidAlive: true, waiting: pace && retryInS > 0 ? { retryInS, failedStarts: pace.failedStarts } : null };
}
