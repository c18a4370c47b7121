/**
 * Whether a Type=notify program has said READY=1 since its start, as kubesup-agent records it: the file
 * `/run/kubesup-tui/ready/<program>` holds `{"pid": N, "time": seconds}` from its first READY=1 until its next
 * start (a reboot clears /run). supervisord has no such state: RUNNING only says the start window passed. The
 * migration's verify and `status` read it; a file of another pid is an earlier run's, so not ready.
 */
import type { FileReader } from '../../host.js';
import { readyPath } from './agent-files.js';

/** READY=1 from the program's process `pid`: when it came (ms since the epoch), or null when not said. */
export async function readySince(
  files: Pick<FileReader, 'read'>,
  program: string,
  pid: number,
): Promise<number | null> {
  const bytes = await files.read(readyPath(program)).catch(() => undefined);
  if (!bytes || pid <= 0) return null;
  try {
    const marker = JSON.parse(bytes.toString('utf8')) as { pid?: unknown; time?: unknown };
    return marker.pid === pid && typeof marker.time === 'number' ? Math.round(marker.time * 1000) : null;
  } catch {
    return null; // half-written cannot happen (the agent renames it in place); anything else is no READY
  }
}
