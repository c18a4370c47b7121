/**
 * What stays on the terminal after the full-screen TUI gives it back: when this session changed the node,
 * the steps as they went, the healthz gap, where the backups are and how to undo. Nothing when it did not.
 */
import type { MigrationResult } from '../core/migration/apply/apply.js';
import { backupDir } from '../core/migration/journal/journal.js';
import { shortFileList } from '../core/migration/plan/agent-files.js';
import { writtenPaths } from '../core/migration/plan/tool-copy.js';
import { formatClock } from '../core/monitor/words.js';
import type { AppState } from '../store/app-store.js';
import type { StepView } from '../store/types.js';
import { STEP_MARK } from '../ui/theme.js';
import { MIGRATION_LOG } from './migration-lines.js';

type Summarised = Pick<AppState, 'result' | 'plan' | 'steps' | 'rollbackLines' | 'operation'>;

/** The first line: what became of the node, whether it worked, and if not whether it was undone. */
function headlineWords(s: Summarised, result: MigrationResult): string {
  const what = s.operation === 'rollback' ? 'rollback' : 'migration';
  if (result.ok && s.operation === 'rollback') {
    return 'kubesup-tui: rolled back: kubelet runs under systemd again, every file restored';
  }
  if (result.ok) return `kubesup-tui: kubelet runs under supervisord as [program:${s.plan?.program ?? 'kubelet'}]`;
  if (result.rolledBack) {
    return `kubesup-tui: the ${what} failed and was rolled back: ${result.error ?? 'see the steps'}`;
  }
  return `kubesup-tui: the ${what} FAILED and is not rolled back: ${result.error ?? 'see the steps'}`;
}

/** One step as it went: its mark, its place, its title, and what it said and took if anything. */
function stepLine(step: StepView, i: number, count: number): string {
  const detail = step.detail ? `: ${step.detail}` : '';
  const took = step.ms !== undefined ? ` (${step.ms} ms)` : '';
  return `  ${STEP_MARK[step.status]} [${i + 1}/${count}] ${step.title}${detail}${took}`;
}

export function sessionSummary(s: Summarised & Partial<Pick<AppState, 'otherPlans' | 'monitorActions'>>): string {
  return migrationSummary(s) + monitorSummary(s.monitorActions ?? []);
}

/** What was asked from the monitor: each start, stop and restart, when, and how it went. */
function monitorSummary(actions: NonNullable<AppState['monitorActions']>): string {
  if (!actions.length) return '';
  // Each message names the program and what was done to it (`kubelet: restarted`).
  const lines = actions.map(
    (a) => `  ${a.ok ? STEP_MARK.done : STEP_MARK.failed} ${formatClock(a.time, a.time)} ${a.message}`,
  );
  return `${['kubesup-tui: asked from the monitor:', ...lines].join('\n')}\n`;
}

function migrationSummary(s: Summarised & Partial<Pick<AppState, 'otherPlans'>>): string {
  const others = s.operation === 'migrate' ? (s.otherPlans ?? []) : [];
  const plans = [...others, ...(s.plan ? [s.plan] : [])];
  const r = s.result;
  if (!r) return '';
  const headline = headlineWords(s, r);
  const steps = s.steps.map((step, i) => stepLine(step, i, s.steps.length));
  const undoOthers = others.map((o) => ` · kubesup-tui rollback --yes --unit ${o.service.unit}`).join('');
  const lines = [
    headline,
    ...steps,
    ...s.rollbackLines.map((l) => `  rollback: ${l}`),
    ...(r.ok && s.operation !== 'rollback' && r.healthzGapMs !== null
      ? [`  healthz gap: ${r.healthzGapMs} ms (how long kubelet did not answer)`]
      : []),
    ...(s.plan && s.operation !== 'rollback'
      ? [`  files: ${shortFileList(plans.flatMap(writtenPaths)).join(', ')}`]
      : []),
    ...(s.plan ? [`  backups: ${backupDir(s.plan)}/ · every line of it: ${MIGRATION_LOG}`] : []),
    ...(r.ok && s.operation !== 'rollback' ? [`  undo: kubesup-tui rollback --yes${undoOthers}`] : []),
    ...(!r.ok && !r.rolledBack ? ['  finish it: kubesup-tui rollback --yes (or kubesup-tui, which offers it)'] : []),
  ];
  return `${lines.join('\n')}\n`;
}
