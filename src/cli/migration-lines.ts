/** A migration's or rollback's events as lines on a terminal or in a log, one per event as it happens. */
import type { Host } from '../core/host.js';
import type { MigrationEvent } from '../core/migration/apply/apply.js';
import type { PlanStep } from '../core/migration/plan/plan.js';
import { escapeControls } from '../core/text.js';

/** `steps` numbers the lines ([3/11]); a rollback alone has none. `name`: the service moved. */
export function printEvents(
  steps: readonly PlanStep[],
  put: (t: string) => void,
  name = 'kubelet',
): (e: MigrationEvent) => void {
  // Paths and errors come from the node: shown escaped, never as cursor moves.
  const write = (t: string) => put(escapeControls(t));
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
            ? `rolled back: ${name} runs under systemd again, every file restored\n`
            : 'ROLLBACK INCOMPLETE: see the lines above; the journal is kept\n',
        );
        return;
    }
  };
}

/** Where every migration and rollback writes its lines, whatever happens to the terminal. */
export const MIGRATION_LOG = '/var/lib/kubesup-tui/migration.log';

/**
 * Lines appended to MIGRATION_LOG, each stamped with the time, in order. `flush` waits for what was written.
 */
export function migrationLog(host: Host): { write(text: string): void; flush(): Promise<void> } {
  let chain = Promise.resolve();
  return {
    write(text) {
      const stamp = new Date(host.clock.now()).toISOString();
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((l) => `${stamp} ${l}\n`)
        .join('');
      chain = chain.then(() => host.writer.append(MIGRATION_LOG, lines)).catch(() => undefined);
    },
    flush: () => chain,
  };
}
