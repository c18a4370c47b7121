/**
 * Drift: the unit or its environment files changed since the migration (kubeadm upgrade rewrites
 * kubeadm-flags.env), so the supervised kubelet no longer runs what systemd would run now.
 */
import type { FileReader } from '../../host.js';
import { differingFlags } from '../../kubelet/flags.js';
import { expandCommand } from '../../systemd/exec-line.js';
import { resolveUnit } from '../../systemd/resolve-unit.js';
import { digestSources } from './digest.js';
import { type Journal, readJournal } from './journal.js';

export interface Drift {
  readonly changedFiles: string[];
  /** What kubelet.service would start now (seen through the mask). */
  readonly argvNow: string[];
  readonly added: string[];
  readonly removed: string[];
  readonly flags: string[];
  /** The running program's executable, when it was replaced or deleted since it started; else null. */
  readonly binary: string | null;
  /** Variables of the unit's environment now that the running process has otherwise (or not at all). */
  readonly env: string[];
}

/** What is known of the running process, from /proc: its executable, and its argv and environment. */
export interface RunningProcess {
  readonly exe?: string;
  readonly argv?: readonly string[];
  readonly environ?: Readonly<Record<string, string>>;
}

/** "/usr/bin/kubelet (deleted)": the file it was started from is gone (a package put a new one in its place). */
function replacedBinary(exe: string | undefined): string | null {
  return exe?.endsWith(' (deleted)') ? exe.slice(0, -' (deleted)'.length) : null;
}

/**
 * What differs between what runs and what the files say now. Without the running process: the unit's files and
 * command line since the migration. With it (its /proc): its command line and environment against the files
 * now, and a binary replaced since it started; then a file changed since the migration whose values the
 * running process already has is no drift (it was restarted since, and started with the files as they are).
 */
export async function computeDrift(
  files: FileReader,
  journal: Journal,
  hostname?: string,
  running?: RunningProcess,
): Promise<Drift | null> {
  const binary = replacedBinary(running?.exe);
  const digests = await digestSources(files, Object.keys(journal.sourceDigests));
  const changedFiles = Object.keys(digests).filter((p) => digests[p] !== journal.sourceDigests[p]);
  const unit = await resolveUnit(files, journal.plan.service.unit, hostname ? { hostname } : {}, {
    ignoreMask: true,
    ignoreFace: true,
  });
  const exec = unit.execStart[0];
  if (!exec)
    return changedFiles.length || binary
      ? { changedFiles, argvNow: [], added: [], removed: [], flags: [], binary, env: [] }
      : null;
  const argvNow = expandCommand(exec, unit.environment).args.map((a) => a.arg);
  const then = running?.argv?.length ? running.argv : journal.plan.argv;
  const added = argvNow.slice(1).filter((a) => !then.includes(a));
  const removed = then.slice(1).filter((a) => !argvNow.includes(a));
  const flags = differingFlags(argvNow, [...then]);
  const environ = running?.environ;
  // A variable the command line expands shows as flags: the environment names only the others.
  const inCommand = (k: string) => exec.words.some((w) => w.includes(`$${k}`) || w.includes(`\${${k}}`));
  const env = environ
    ? [...unit.environment].filter(([k, v]) => environ[k] !== v.value && !inCommand(k)).map(([k]) => k)
    : [];
  // Known running process: drift is what differs from it. Otherwise: files changed since the migration, or flags.
  const differs =
    running?.argv?.length && environ
      ? flags.length > 0 || env.length > 0 || added.length + removed.length > 0
      : changedFiles.length > 0 || flags.length > 0;
  if (!differs && !binary) return null;
  return { changedFiles: differs ? changedFiles : [], argvNow, added, removed, flags, binary, env };
}

export function describeDrift(d: Drift): string[] {
  return [
    ...(d.binary ? [`${d.binary} was replaced since the running process started from it`] : []),
    ...(d.changedFiles.length ? [`changed since the migration: ${d.changedFiles.join(', ')}`] : []),
    ...(d.env.length ? [`environment differs: ${d.env.join(', ')}`] : []),
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
export async function driftWarnings(files: FileReader, hostname?: string, running?: RunningProcess): Promise<string[]> {
  const journal = await readJournal(files).catch(() => null);
  if (journal?.state !== 'migrated') return [];
  const drift = await computeDrift(files, journal, hostname, running);
  if (!drift) return [];
  const out: string[] = [];
  const { unit } = journal.plan.service;
  const name = journal.plan.program;
  const restart = `systemctl restart ${unit}`;
  if (drift.binary)
    out.push(
      `${name} runs a binary replaced since it started (${drift.binary} is new): run ${restart} to start the new one`,
    );
  if (drift.changedFiles.length || drift.flags.length || drift.env.length) {
    const what = [
      ...(drift.flags.length ? [`flags ${drift.flags.join(', ')}`] : []),
      ...(drift.env.length ? [`environment ${drift.env.join(', ')}`] : []),
    ];
    const changed = what.join('; ') || `files ${drift.changedFiles.join(', ')}`;
    const since = `${unit} changed since the migration (${changed})`;
    // A wrapper that computes the command line at each start takes the change at the next start.
    out.push(
      computesAtStart(journal)
        ? `${since}: the supervised ${name} runs the old command line; run ${restart} to apply it`
        : `${since}: the supervised ${name} runs the old command line; run kubesup-tui migrate --yes to regenerate`,
    );
  }
  return out;
}

/** The wrapper asks kubesup-tui for the unit's command line at each start (plans of this version on). */
function computesAtStart(journal: Journal): boolean {
  return journal.plan.files.some((f) => f.role === 'wrapper' && f.content.includes(' start-line --unit '));
}

/** The first of them, or null (the monitor's one line). */
export async function driftWarning(
  files: FileReader,
  hostname?: string,
  running?: RunningProcess,
): Promise<string | null> {
  return (await driftWarnings(files, hostname, running))[0] ?? null;
}
