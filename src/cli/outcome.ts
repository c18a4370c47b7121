/**
 * What `migrate --json` and `rollback --json` print: the outcome in one document for scripts and Ansible
 * (ansible/): whether the node changed, each step as it went, the healthz gap, the files, the journal.
 */
import type { MigrationEvent, MigrationResult } from '../core/migration/apply/apply.js';
import { backupDir, JOURNAL_PATH } from '../core/migration/journal/journal.js';
import type { Plan } from '../core/migration/plan/plan.js';

export interface StepOutcome {
  readonly id: string;
  readonly title: string;
  readonly status: 'done' | 'done-earlier' | 'failed';
  readonly ms: number | null;
  readonly detail: string | null;
}

export interface RollbackStepOutcome {
  readonly title: string;
  readonly ok: boolean;
  readonly detail: string | null;
}

export interface Outcome {
  readonly command: 'migrate' | 'rollback';
  readonly ok: boolean;
  /** False when the node was left as it was (already migrated, already rolled back). */
  readonly changed: boolean;
  /** migrated, resumed, regenerated, already-migrated, rolled-back, already-rolled-back, failed. */
  readonly outcome: string;
  readonly program: string | null;
  readonly healthz_gap_ms: number | null;
  readonly error: string | null;
  readonly rolled_back: boolean;
  readonly steps: readonly StepOutcome[];
  readonly rollback_steps: readonly RollbackStepOutcome[];
  readonly files: readonly string[];
  readonly journal: string | null;
  readonly backups: string | null;
  readonly warnings: readonly string[];
}

/** Records a migration's events as they come, beside whatever prints them. */
export function recordSteps(): {
  onEvent(e: MigrationEvent): void;
  readonly steps: StepOutcome[];
  readonly rollback: RollbackStepOutcome[];
} {
  const steps: StepOutcome[] = [];
  const rollback: RollbackStepOutcome[] = [];
  return {
    steps,
    rollback,
    onEvent(e) {
      if (e.type === 'step-done')
        steps.push({
          id: e.step.id,
          title: e.step.title,
          status: e.skipped ? 'done-earlier' : 'done',
          ms: e.ms,
          detail: e.detail ?? null,
        });
      else if (e.type === 'step-failed')
        steps.push({ id: e.step.id, title: e.step.title, status: 'failed', ms: null, detail: e.error });
      else if (e.type === 'rollback-step') rollback.push({ title: e.title, ok: e.ok, detail: e.detail ?? null });
    },
  };
}

export function migrationOutcome(
  outcome: string,
  plan: Plan | null,
  result: MigrationResult | null,
  recorded: ReturnType<typeof recordSteps>,
  changed: boolean,
): Outcome {
  return {
    command: 'migrate',
    ok: result ? result.ok : true,
    changed,
    outcome: result && !result.ok ? 'failed' : outcome,
    program: plan?.program ?? null,
    healthz_gap_ms: result?.healthzGapMs ?? null,
    error: result?.error ?? null,
    rolled_back: result?.rolledBack ?? false,
    steps: recorded.steps,
    rollback_steps: recorded.rollback,
    files: plan?.files.map((f) => f.path) ?? [],
    journal: JOURNAL_PATH,
    backups: plan ? backupDir(plan) : null,
    warnings: plan?.warnings ?? [],
  };
}

/** Nothing was done: the reason, for a script. */
export function refusedOutcome(command: Outcome['command'], error: unknown): Outcome {
  return {
    command,
    ok: false,
    changed: false,
    outcome: 'refused',
    program: null,
    healthz_gap_ms: null,
    error: error instanceof Error ? error.message : String(error),
    rolled_back: false,
    steps: [],
    rollback_steps: [],
    files: [],
    journal: null,
    backups: null,
    warnings: [],
  };
}

export function rollbackOutcome(
  ok: boolean,
  changed: boolean,
  journal: string | null,
  recorded: ReturnType<typeof recordSteps>,
  program: string | null,
): Outcome {
  return {
    command: 'rollback',
    ok,
    changed,
    outcome: !ok ? 'failed' : changed ? 'rolled-back' : 'already-rolled-back',
    program,
    healthz_gap_ms: null,
    error: ok ? null : 'rollback incomplete: see rollback_steps',
    rolled_back: ok,
    steps: [],
    rollback_steps: recorded.rollback,
    files: [],
    journal,
    backups: null,
    warnings: [],
  };
}

const allDoneWord = (changed: boolean) => (changed ? 'rolled-back' : 'already-rolled-back');

/** `rollback --all --json`: one document, each unit's inside, the top summing up (the first failure decides). */
export function allOutcome(units: readonly Outcome[]) {
  const failed = units.find((u) => !u.ok);
  const changed = units.some((u) => u.changed);
  return {
    command: 'rollback' as const,
    ok: !failed,
    changed,
    outcome: failed?.outcome ?? allDoneWord(changed),
    error: failed?.error ?? null,
    units,
  };
}
