/** A migration's or rollback's events as lines on a terminal or in a log, one per event as it happens. */
import type { MigrationEvent } from '../core/migration/apply.js';
import type { PlanStep } from '../core/migration/plan.js';

/** `steps` numbers the lines ([3/11]); a rollback alone has none. */
export function printEvents(steps: readonly PlanStep[], write: (t: string) => void): (e: MigrationEvent) => void {
  const number = (id: string) => `[${steps.findIndex((s) => s.id === id) + 1}/${steps.length}]`;
  return (e) => {
    switch (e.type) {
      case 'step-start':
        return;
      case 'step-done': {
        const detail = e.detail && !e.skipped ? ` (${e.detail})` : '';
        write(`${number(e.step.id)} ${e.step.title}: ${e.skipped ? 'done earlier' : `ok${detail} ${e.ms} ms`}\n`);
        return;
      }
      case 'step-failed':
        write(`${number(e.step.id)} ${e.step.title}: FAILED: ${e.error}\n`);
        return;
      case 'rollback-start':
        write(`rolling back: ${e.reason}\n`);
        return;
      case 'rollback-step':
        write(`  rollback: ${e.title}: ${e.ok ? 'ok' : `FAILED: ${e.detail}`}\n`);
        return;
      case 'rollback-done':
        write(
          e.ok
            ? 'rolled back: kubelet runs under systemd again, every file restored\n'
            : 'ROLLBACK INCOMPLETE: see the lines above; the journal is kept\n',
        );
        return;
    }
  };
}
