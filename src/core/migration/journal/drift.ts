/**
 * Drift: the unit or its environment files changed since the migration (kubeadm upgrade rewrites
 * kubeadm-flags.env), so the supervised kubelet no longer runs what systemd would run now.
 */
import type { FileReader } from '../../host.js';
import { differingFlags } from '../../kubelet/flags.js';
import { expandCommand } from '../../systemd/exec-line.js';
import { resolveUnit } from '../../systemd/resolve-unit.js';
import { digestSources, type Journal, readJournal } from './journal.js';

export interface Drift {
  readonly changedFiles: string[];
  /** What kubelet.service would start now (seen through the mask). */
  readonly argvNow: string[];
  readonly added: string[];
  readonly removed: string[];
  readonly flags: string[];
}

export async function computeDrift(files: FileReader, journal: Journal, hostname?: string): Promise<Drift | null> {
  const digests = await digestSources(files, Object.keys(journal.sourceDigests));
  const changedFiles = Object.keys(digests).filter((p) => digests[p] !== journal.sourceDigests[p]);
  const unit = await resolveUnit(files, journal.plan.service.unit, hostname ? { hostname } : {}, {
    ignoreMask: true,
    ignoreFace: true,
  });
  const exec = unit.execStart[0];
  if (!exec) return changedFiles.length ? { changedFiles, argvNow: [], added: [], removed: [], flags: [] } : null;
  const argvNow = expandCommand(exec, unit.environment).args.map((a) => a.arg);
  const then = journal.plan.argv;
  const added = argvNow.slice(1).filter((a) => !then.includes(a));
  const removed = then.slice(1).filter((a) => !argvNow.includes(a));
  const flags = differingFlags(argvNow, then);
  if (changedFiles.length === 0 && flags.length === 0) return null;
  return { changedFiles, argvNow, added, removed, flags };
}

export function describeDrift(d: Drift): string[] {
  return [
    ...(d.changedFiles.length ? [`changed since the migration: ${d.changedFiles.join(', ')}`] : []),
    ...d.added.map((a) => `+ ${a}`),
    ...d.removed.map((a) => `- ${a}`),
  ];
}

/** One warning line for status and the monitor, or null when the node runs what its unit says. */
export async function driftWarning(files: FileReader, hostname?: string): Promise<string | null> {
  const journal = await readJournal(files).catch(() => null);
  if (journal?.state !== 'migrated') return null;
  const drift = await computeDrift(files, journal, hostname);
  if (!drift) return null;
  const what = drift.flags.length ? `flags ${drift.flags.join(', ')}` : `files ${drift.changedFiles.join(', ')}`;
  return `kubelet.service changed since the migration (${what}): the supervised kubelet runs the old command line; run kubesup-tui migrate --yes to regenerate`;
}
