/**
 * The migration journal (/var/lib/kubesup-tui/journal.json): the plan being carried out, each step's state,
 * and the backup of every file replaced. Written atomically after every change, so that a run killed at any
 * moment leaves what the next `migrate` needs to resume and `rollback` needs to restore.
 */
import { createHash } from 'node:crypto';
import type { FileMeta, FileReader, FileWriter } from '../host.js';
import { STATE_DIR, type Plan } from './plan.js';

export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;

export type JournalState = 'in-progress' | 'migrated' | 'failed' | 'rolling-back' | 'rolled-back';

export interface BackupRecord {
  /** Where the original bytes are kept; null when the file did not exist (rollback removes it). */
  readonly backup: string | null;
  readonly meta: FileMeta | null;
  /** sha256 of the original, to prove the restore byte for byte. */
  readonly sha256: string | null;
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

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function readJournal(files: FileReader): Promise<Journal | null> {
  const bytes = await files.read(JOURNAL_PATH);
  if (!bytes) return null;
  try {
    const j = JSON.parse(bytes.toString('utf8')) as Journal;
    if (j.version !== 1 || !j.plan) throw new Error('unknown journal version');
    return j;
  } catch (error) {
    throw new Error(`${JOURNAL_PATH} is unreadable (${(error as Error).message}); move it aside to start over`);
  }
}

export async function saveJournal(writer: FileWriter, journal: Journal, now: Date): Promise<void> {
  journal.updatedAt = now.toISOString();
  await writer.mkdirp(STATE_DIR, 0o700);
  await writer.writeAtomic(JOURNAL_PATH, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
}

export async function digestSources(files: FileReader, paths: readonly string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const p of paths) {
    const b = await files.read(p).catch(() => undefined);
    out[p] = b === undefined ? null : sha256(b);
  }
  return out;
}

/** Moves a finished journal aside, so that the next migration starts afresh (and the history stays). */
export async function archiveJournal(files: FileReader, writer: FileWriter, journal: Journal, now: Date): Promise<string> {
  const to = `${STATE_DIR}/journal-${now.toISOString().replace(/[:.]/g, '-')}-${journal.state}.json`;
  const bytes = await files.read(JOURNAL_PATH);
  if (bytes) await writer.writeAtomic(to, bytes, { mode: 0o600 });
  await writer.remove(JOURNAL_PATH);
  return to;
}
