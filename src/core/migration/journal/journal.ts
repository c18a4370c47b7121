/**
 * The migration journal (/var/lib/kubesup-tui/journal.json): the plan being carried out, each step's state,
 * and the backup of every file replaced. Written atomically after every change, so that a run killed at any
 * moment leaves what the next `migrate` needs to resume and `rollback` needs to restore.
 */
import { ToolError } from '../../errors.js';
import type { FileMeta, FileReader, Host } from '../../host.js';
import type { Plan } from '../plan/plan.js';
import { STATE_DIR } from '../plan/state-dir.js';

/** kubelet's journal, where every version has kept it. */
export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;
/** Other units' journals, one folder each: containerd's migration and kubelet's are separate. */
export const UNITS_DIR = `${STATE_DIR}/units`;

/** Where the journal of a unit's migration lives (and its finished journals are archived). */
export function journalDir(unit: string): string {
  return unit === 'kubelet.service' ? STATE_DIR : `${UNITS_DIR}/${unit}`;
}

export function journalPath(unit = 'kubelet.service'): string {
  return unit === 'kubelet.service' ? JOURNAL_PATH : `${journalDir(unit)}/journal.json`;
}

export type JournalState = 'in-progress' | 'migrated' | 'failed' | 'rolling-back' | 'rolled-back';

export interface BackupRecord {
  /** Where the original bytes are kept; null when the file did not exist (rollback removes it). */
  readonly backup: string | null;
  readonly meta: FileMeta | null;
  /** sha256 of the original, to prove the restore byte for byte. */
  readonly sha256: string | null;
  /** The path was a link, to this target: rollback makes it that link again (absent in older journals). */
  readonly link?: string;
}

export interface StepRecord {
  readonly status: 'running' | 'done' | 'failed';
  readonly at: string;
  readonly ms?: number;
  readonly detail?: string;
}

export interface Journal {
  readonly version: 1;
  state: JournalState;
  readonly plan: Plan;
  steps: Record<string, StepRecord>;
  backups: Record<string, BackupRecord>;
  /** sha256 of each source file of kubelet's argv at migration: later changes are drift. */
  readonly sourceDigests: Record<string, string | null>;
  healthzGapMs: number | null;
  error: string | null;
  updatedAt: string;
}

export async function readJournal(files: FileReader, unit = 'kubelet.service'): Promise<Journal | null> {
  const path = journalPath(unit);
  const bytes = await files.read(path);
  if (!bytes) return null;
  try {
    const j = JSON.parse(bytes.toString('utf8')) as Journal;
    if (j.version !== 1 || !j.plan) throw new ToolError('unknown journal version');
    return upgradeJournal(j);
  } catch (error) {
    throw new ToolError(`${path} is unreadable (${(error as Error).message}); move it aside to start over`);
  }
}

/** A journal written before other units could move: its `kubelet` is the service, healthz its health check. */
function upgradeJournal(j: Journal): Journal {
  const old = (j.plan as unknown as { kubelet?: Plan['service'] & { healthzUrl: string } }).kubelet;
  if (j.plan.service || !old) return j;
  const { healthzUrl, ...rest } = old;
  return { ...j, plan: { ...j.plan, service: { ...rest, health: { kind: 'http', url: healthzUrl } } } };
}

/** Written atomically: a run killed at any moment leaves the old journal or the new one, never half. */
export async function saveJournal(host: Host, journal: Journal): Promise<void> {
  journal.updatedAt = new Date(host.clock.now()).toISOString();
  const unit = journal.plan.service.unit;
  await host.writer.mkdirp(journalDir(unit), 0o700);
  await host.writer.writeAtomic(journalPath(unit), `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
}

export function newJournal(plan: Plan, sourceDigests: Record<string, string | null>, now: Date): Journal {
  return {
    version: 1,
    state: 'in-progress',
    plan,
    steps: {},
    backups: {},
    sourceDigests,
    healthzGapMs: null,
    error: null,
    updatedAt: now.toISOString(),
  };
}

/** A new journal for this plan, saved before anything changes on the node. */
export async function startJournal(host: Host, plan: Plan): Promise<Journal> {
  // digest.ts (and node:crypto under it) loaded only here: `status` reads the journal on every run.
  const { digestSources } = await import('./digest.js');
  const journal = newJournal(plan, await digestSources(host.files, plan.service.sources), new Date(host.clock.now()));
  await saveJournal(host, journal);
  return journal;
}

/** Where this migration keeps the originals of the files it replaces (the same path below it). */
export function backupDir(plan: Plan): string {
  return `${STATE_DIR}/backups/${plan.createdAt.replace(/[:.]/g, '-')}`;
}

/** Moves a finished journal aside, so that the next migration starts afresh (and the history stays). */
export async function archiveJournal(host: Host, journal: Journal): Promise<string> {
  const unit = journal.plan.service.unit;
  const stamp = new Date(host.clock.now()).toISOString().replace(/[:.]/g, '-');
  const to = `${journalDir(unit)}/journal-${stamp}-${journal.state}.json`;
  const bytes = await host.files.read(journalPath(unit));
  if (bytes) await host.writer.writeAtomic(to, bytes, { mode: 0o600 });
  await host.writer.remove(journalPath(unit));
  return to;
}
