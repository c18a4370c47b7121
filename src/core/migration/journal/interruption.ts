/**
 * A migration or rollback left half-way, found from the journal and the lock alone: `status` and the monitor
 * ask this on every start, so it loads nothing of planning or applying.
 */
import type { Host } from '../../host.js';
import type { PlanStep } from '../plan/plan.js';
import type { Journal } from './journal.js';
import { lockHolder } from './lock.js';
import { nodeJournals } from './node-journals.js';

/** A migration or rollback left half-way (its process gone), or one under way in another kubesup-tui. */
export interface Interruption {
  /** What was interrupted: a migration resumes or is rolled back; a rollback can only be finished. */
  readonly what: 'migration' | 'rollback';
  readonly journal: Journal;
  /** Steps done, of all the plan's steps. */
  readonly done: number;
  readonly total: number;
  /** The steps a resume would carry out (the first may have been under way). */
  readonly remaining: readonly PlanStep[];
  /** When the journal last changed. */
  readonly at: string;
  /** A live kubesup-tui holds the node's lock: not interrupted, under way. */
  readonly runningPid: number | null;
}

/** kubelet's journal first, then each other unit's: the first left half-way. */
export async function findInterruption(host: Host): Promise<Interruption | null> {
  const halfWay = (await nodeJournals(host.files)).find((j) => j.state !== 'migrated' && j.state !== 'rolled-back');
  return halfWay ? interruptionOf(host, halfWay) : null;
}

async function interruptionOf(host: Host, journal: Journal): Promise<Interruption> {
  const steps = journal.plan.steps;
  const remaining = steps.filter((s) => journal.steps[s.id]?.status !== 'done');
  return {
    what: journal.state === 'in-progress' ? 'migration' : 'rollback',
    journal,
    done: steps.length - remaining.length,
    total: steps.length,
    remaining,
    at: journal.updatedAt,
    runningPid: await lockHolder(host),
  };
}

/** One line for `status` and the monitor: what stands on the node, and the command that finishes it. */
export function interruptionWarning(i: Interruption): string {
  if (i.runningPid !== null) {
    return `a ${i.what} is under way (kubesup-tui pid ${i.runningPid}, ${i.done} of ${i.total} steps done)`;
  }
  const unit = i.journal.plan.service.unit;
  const flag = unit === 'kubelet.service' ? '' : ` --unit ${unit}`;
  const ofUnit = flag ? ` of ${unit}` : '';
  if (i.what === 'migration') {
    const next = i.remaining[0]?.title ?? 'verify';
    return (
      `a migration${ofUnit} was interrupted after ${i.done} of ${i.total} steps ` +
      `(next: ${next}; last change ${i.at}): finish it with kubesup-tui migrate --yes${flag}, ` +
      `or undo it with kubesup-tui rollback --yes${flag}`
    );
  }
  return (
    `a rollback${ofUnit} did not finish (migration of ${i.journal.plan.createdAt}; last change ${i.at}): ` +
    `finish it with kubesup-tui rollback --yes${flag}`
  );
}
