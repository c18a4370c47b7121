/**
 * Every unit kubesup-tui moved on this node (kubelet and the others), from their journals; and the order they
 * must go back in. Each migration backs up and restores its own files, so two that changed the same file
 * (the [include] added to supervisord.conf) must be undone newest first: undoing the older one first would
 * restore supervisord.conf without the [include] that the newer one's program still needs.
 */
import type { FileReader } from '../../host.js';
import type { Journal } from './journal.js';
import { nodeJournals } from './node-journals.js';

/** When the migration began on the node: its first step (a plan may be made long before, as the wizard does). */
export function startedAt(j: Journal): string {
  // ISO 8601 times: the first in sorted order is the earliest.
  return (
    Object.values(j.steps)
      .map((s) => s.at)
      .sort()[0] ?? j.plan.createdAt
  );
}

/** Journals of units still moved (any state but rolled back), newest migration first. */
export async function movedJournals(files: FileReader): Promise<Journal[]> {
  const moved = (await nodeJournals(files)).filter((j) => j.state !== 'rolled-back');
  return moved.sort((a, b) => startedAt(b).localeCompare(startedAt(a)));
}

/** The words that agree with one unit or with several. */
const AGREEING = {
  one: { were: 'was', need: 'needs', them: 'it' },
  several: { were: 'were', need: 'need', them: 'them' },
} as const;

/** Why a rollback must wait: the units moved later that still need the [include] this journal's migration added. */
function waitForLaterUnits(units: readonly string[], journal: Journal): string {
  const w = AGREEING[units.length > 1 ? 'several' : 'one'];
  return (
    `${units.join(', ')} ${w.were} moved after ${journal.plan.service.unit} and ${w.need} the [include] ` +
    `its migration added to ${journal.plan.supervisor.config}: roll ${w.them} back first, ` +
    'or all at once with kubesup-tui rollback --all --yes'
  );
}

/**
 * Why this journal's rollback must wait, or null: it changed supervisord.conf, and a unit moved after it is
 * still moved (its program is found through that change).
 */
export async function mustWaitFor(files: FileReader, journal: Journal): Promise<string | null> {
  if (!journal.plan.files.some((f) => f.role === 'supervisor-config')) return null;
  const later = (await movedJournals(files)).filter(
    (j) => startedAt(j) > startedAt(journal) && j.plan.service.unit !== journal.plan.service.unit,
  );
  if (!later.length) return null;
  const units = later.map((j) => j.plan.service.unit);
  return waitForLaterUnits(units, journal);
}
