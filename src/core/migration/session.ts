/**
 * The migration session: what the journal on the node means, and what may be done next. The CLI and the TUI
 * both go through here, so that they cannot disagree about when to start, resume, refuse or regenerate.
 *
 *   no journal, or a rolled-back one  -> a fresh migration (the old journal is archived first)
 *   in-progress                       -> resume it from its first unfinished step
 *   failed or rolling-back            -> refuse: its rollback must finish first
 *   migrated, unit unchanged          -> nothing to do
 *   migrated, unit changed (drift)    -> regenerate: roll back, then migrate with the unit as it is now
 */
import type { Host } from '../host.js';
import { type ApplyOptions, applyPlan, type MigrationResult, type OnMigrationEvent } from './apply/apply.js';
import { checkBeforeWriting } from './apply/preflight.js';
import { rollbackMigration } from './apply/rollback.js';
import { computeDrift, type Drift } from './journal/drift.js';
import { archiveJournal, type Journal, journalPath, readJournal, startJournal } from './journal/journal.js';
import { mustWaitFor } from './journal/moved-units.js';
import type { Plan } from './plan/plan.js';

export type SessionState =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'resume'; readonly journal: Journal }
  | { readonly kind: 'migrated'; readonly journal: Journal }
  | { readonly kind: 'drifted'; readonly journal: Journal; readonly drift: Drift }
  | { readonly kind: 'refused'; readonly journal: Journal; readonly reason: string };

/** Reads the journal and says what it means; a rolled-back journal is archived on the way. */
export async function openSession(host: Host, unit = 'kubelet.service'): Promise<SessionState> {
  const journal = await readJournal(host.files, unit);
  if (!journal) return { kind: 'fresh' };
  switch (journal.state) {
    case 'rolled-back':
      await archiveJournal(host, journal);
      return { kind: 'fresh' };
    case 'failed':
    case 'rolling-back':
      return {
        kind: 'refused',
        journal,
        reason:
          `an earlier migration failed and its rollback did not finish (${journalPath(unit)}): ` +
          `run kubesup-tui rollback --yes${unit === 'kubelet.service' ? '' : ` --unit ${unit}`}`,
      };
    case 'in-progress':
      return { kind: 'resume', journal };
    case 'migrated': {
      const drift = await computeDrift(host.files, journal, host.hostname);
      return drift ? { kind: 'drifted', journal, drift } : { kind: 'migrated', journal };
    }
  }
}

/**
 * Carries out the journal's plan; on a failure rolls back by itself and archives the journal once the node
 * is as it was (an incomplete rollback keeps the journal, so that `rollback` can finish it).
 */
export async function carryOut(
  host: Host,
  journal: Journal,
  onEvent: OnMigrationEvent,
  options: ApplyOptions = {},
): Promise<MigrationResult> {
  const outcome = await applyPlan(host, journal, onEvent, options);
  if (outcome.ok) return { ok: true, healthzGapMs: outcome.healthzGapMs, error: null, rolledBack: false };
  onEvent({ type: 'rollback-start', reason: outcome.error });
  const rolledBack = await rollbackMigration(host, journal, onEvent);
  if (rolledBack) await archiveJournal(host, journal);
  return { ok: false, healthzGapMs: null, error: outcome.error, rolledBack };
}

/**
 * A new migration of this plan: checked, then journaled before anything changes, then carried out. A check
 * that fails throws before the journal exists: nothing is left for `status` to call interrupted.
 */
export async function beginMigration(
  host: Host,
  plan: Plan,
  onEvent: OnMigrationEvent,
  options: ApplyOptions = {},
): Promise<MigrationResult> {
  await checkBeforeWriting(host, plan);
  return carryOut(host, await startJournal(host, plan), onEvent, options);
}

/** Rolls the journal's migration back; archives the journal when every step succeeded. */
export async function rollBack(
  host: Host,
  journal: Journal,
  onEvent: OnMigrationEvent,
): Promise<{ ok: boolean; archived: string | null }> {
  const ok = await rollbackMigration(host, journal, onEvent);
  return { ok, archived: ok ? await archiveJournal(host, journal) : null };
}

/** What asking to resume this unit's migration comes to (the session `migrate` opens): its journal, or why not. */
export async function resumeDecision(
  host: Host,
  unit: string,
): Promise<{ readonly journal: Journal } | { readonly refused: string }> {
  const session = await openSession(host, unit);
  if (session.kind === 'resume') return { journal: session.journal };
  if (session.kind === 'refused') return { refused: session.reason };
  return { refused: `there is no interrupted migration of ${unit} to resume` };
}

/**
 * What asking to roll this unit back comes to: its journal, or why not (none, or a unit moved later still
 * needs what its migration added: `rollback --all` order, newest first).
 */
export async function rollbackDecision(
  host: Host,
  unit: string,
): Promise<{ readonly journal: Journal } | { readonly refused: string }> {
  const journal = await readJournal(host.files, unit);
  if (!journal) return { refused: `nothing to roll back: no migration journal at ${journalPath(unit)}` };
  const wait = journal.state === 'rolled-back' ? null : await mustWaitFor(host.files, journal);
  return wait ? { refused: `not now: ${wait}` } : { journal };
}
