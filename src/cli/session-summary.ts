/**
 * What stays on the terminal after the full-screen TUI gives it back: when this session changed the node,
 * the steps as they went, the healthz gap, where the backups are and how to undo. Nothing when it did not.
 */
import { backupDir } from '../core/migration/journal/journal.js';
import { formatClock } from '../core/monitor/words.js';
import type { AppState } from '../store/app-store.js';
import { STEP_MARK } from '../ui/theme.js';
import { MIGRATION_LOG } from './migration-lines.js';

export function sessionSummary(
  s: Pick<AppState, 'result' | 'plan' | 'steps' | 'rollbackLines' | 'operation'> &
    Partial<Pick<AppState, 'otherPlans' | 'monitorActions'>>,
): string {
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

function migrationSummary(
  s: Pick<AppState, 'result' | 'plan' | 'steps' | 'rollbackLines' | 'operation'> &
    Partial<Pick<AppState, 'otherPlans'>>,
): string {
  const others = s.operation === 'migrate' ? (s.otherPlans ?? []) : [];
  const plans = [...others, ...(s.plan ? [s.plan] : [])];
  const r = s.result;
  if (!r) return '';
  const what = s.operation === 'rollback' ? 'rollback' : 'migration';
  const headline = r.ok
    ? s.operation === 'rollback'
      ? 'kubesup-tui: rolled back: kubelet runs under systemd again, every file restored'
      : `kubesup-tui: kubelet runs under supervisord as [program:${s.plan?.program ?? 'kubelet'}]`
    : r.rolledBack
      ? `kubesup-tui: the ${what} failed and was rolled back: ${r.error ?? 'see the steps'}`
      : `kubesup-tui: the ${what} FAILED and is not rolled back: ${r.error ?? 'see the steps'}`;
  const steps = s.steps.map(
    (step, i) =>
      `  ${STEP_MARK[step.status]} [${i + 1}/${s.steps.length}] ${step.title}${step.detail ? `: ${step.detail}` : ''}${step.ms !== undefined ? ` (${step.ms} ms)` : ''}`,
  );
  const lines = [
    headline,
    ...steps,
    ...s.rollbackLines.map((l) => `  rollback: ${l}`),
    ...(r.ok && s.operation !== 'rollback' && r.healthzGapMs !== null
      ? [`  healthz gap: ${r.healthzGapMs} ms (how long kubelet did not answer)`]
      : []),
    ...(s.plan && s.operation !== 'rollback'
      ? [`  files: ${plans.flatMap((p) => p.files.map((f) => f.path)).join(', ')}`]
      : []),
    ...(s.plan ? [`  backups: ${backupDir(s.plan)}/ · every line of it: ${MIGRATION_LOG}`] : []),
    ...(r.ok && s.operation !== 'rollback'
      ? [
          `  undo: kubesup-tui rollback --yes${others.map((o) => ` · kubesup-tui rollback --yes --unit ${o.service.unit}`).join('')}`,
        ]
      : []),
    ...(!r.ok && !r.rolledBack ? ['  finish it: kubesup-tui rollback --yes (or kubesup-tui, which offers it)'] : []),
  ];
  return `${lines.join('\n')}\n`;
}
