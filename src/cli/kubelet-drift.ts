/**
 * What a migrated kubelet's files say now against what runs: the start that fell back to its last good line,
 * else the first drift (flags, environment, a binary replaced under it). One place for the wizard's first
 * screen, `detect` and the monitor, so that they name the same thing.
 */
import type { Host } from '../core/host.js';
import { findKubeletProcesses } from '../core/kubelet/processes.js';
import { driftWarning } from '../core/migration/journal/drift.js';
import { startLineWarning } from '../core/migration/plan/start-line.js';

export async function kubeletDriftWarning(host: Host): Promise<string | null> {
  const [running] = await findKubeletProcesses(host.procs);
  return (
    (await startLineWarning(host.files, 'kubelet', 'kubelet.service')) ??
    driftWarning(host.files, host.hostname, running)
  );
}
