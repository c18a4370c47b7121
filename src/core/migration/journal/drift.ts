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
  /** The running program's executable, when it was replaced or deleted since it started; else null. */
  readonly binary: string | null;
}

/** "/usr/bin/kubelet (deleted)": the file it was started from is gone (a package put a new one in its place). */
function replacedBinary(exe: string | undefined): string | null {
  return exe?.endsWith(' (deleted)') ? exe.slice(0, -' (deleted)'.length) : null;
}

/**
 * What differs between what runs and what the files say now: the unit and its files since the migration (its
 * command line), and, given the running process's /proc/PID/exe, a binary replaced since it started.
 */
export async function computeDrift(
  files: FileReader,
  journal: Journal,
  hostname?: string,
  runningExe?: string,
): Promise<Drift | null> {
  const binary = replacedBinary(runningExe);
  const digests = await digestSources(files, Object.keys(journal.sourceDigests));
  const changedFiles = Object.keys(digests).filter((p) => digests[p] !== journal.sourceDigests[p]);
  const unit = await resolveUnit(files, journal.plan.service.unit, hostname ? { hostname } : {}, {
    ignoreMask: true,
    ignoreFace: true,
  });
  const exec = unit.execStart[0];
  if (!exec)
    return changedFiles.length || binary
      ? { changedFiles, argvNow: [], added: [], removed: [], flags: [], binary }
      : null;
  const argvNow = expandCommand(exec, unit.environment).args.map((a) => a.arg);
  const then = journal.plan.argv;
  const added = argvNow.slice(1).filter((a) => !then.includes(a));
  const removed = then.slice(1).filter((a) => !argvNow.includes(a));
  const flags = differingFlags(argvNow, then);
  if (changedFiles.length === 0 && flags.length === 0 && !binary) return null;
  return { changedFiles, argvNow, added, removed, flags, binary };
}

export function describeDrift(d: Drift): string[] {
  return [
    ...(d.binary ? [`${d.binary} was replaced since the running process started from it`] : []),
    ...(d.changedFiles.length ? [`changed since the migration: ${d.changedFiles.join(', ')}`] : []),
    ...d.added.map((a) => `+ ${a}`),
    ...d.removed.map((a) => `- ${a}`),
  ];
}

/**
 * The warnings for status and the monitor (none when the node runs what its files say), each with the one
 * command that applies it. A replaced binary: kubelet.service is the face of the supervised kubelet, so
 * `systemctl restart kubelet` restarts it, and the wrapper execs the binary now at its path. Changed flags: the
 * wrapper holds the command line of migration day, so the migration is regenerated.
 */
export async function driftWarnings(files: FileReader, hostname?: string, runningExe?: string): Promise<string[]> {
  const journal = await readJournal(files).catch(() => null);
  if (journal?.state !== 'migrated') return [];
  const drift = await computeDrift(files, journal, hostname, runningExe);
  if (!drift) return [];
  const out: string[] = [];
  const { unit } = journal.plan.service;
  const name = journal.plan.program;
  if (drift.binary)
    out.push(
      `${name} runs a binary replaced since it started (${drift.binary} is new): run systemctl restart ${unit} to start the new one`,
    );
  if (drift.changedFiles.length || drift.flags.length) {
    const what = drift.flags.length ? `flags ${drift.flags.join(', ')}` : `files ${drift.changedFiles.join(', ')}`;
    out.push(
      `${unit} changed since the migration (${what}): the supervised ${name} runs the old command line; run kubesup-tui migrate --yes to regenerate`,
    );
  }
  return out;
}

/** The first of them, or null (the monitor's one line). */
export async function driftWarning(files: FileReader, hostname?: string, runningExe?: string): Promise<string | null> {
  return (await driftWarnings(files, hostname, runningExe))[0] ?? null;
}
