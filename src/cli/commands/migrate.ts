/**
 * `kubesup-tui migrate --yes`: the migration, headless, one line per step; resumes, regenerates or refuses per
 * the session. It holds the node's lock, survives the loss of its terminal, and on Ctrl-C stops after the
 * current step and rolls back; every line also goes to /var/lib/kubesup-tui/migration.log.
 */
import { guardAgainstTerminalLoss, stopOnInterrupt } from '../../adapters/terminal-loss.js';
import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import type { MigrationResult } from '../../core/migration/apply.js';
import { describeDrift } from '../../core/migration/drift.js';
import { JOURNAL_PATH } from '../../core/migration/journal.js';
import { withLock } from '../../core/migration/lock.js';
import type { Plan } from '../../core/migration/plan.js';
import { beginMigration, carryOut, openSession, rollBack } from '../../core/migration/session.js';
import type { CliOptions } from '../args.js';
import { migrationLog, printEvents } from '../migration-lines.js';
import { buildPlan } from '../plan-node.js';

function report(plan: Plan, result: MigrationResult, write: (t: string) => void): number {
  if (!result.ok) {
    throw new ToolError(
      `migration failed${result.rolledBack ? ' and was rolled back' : ', and the rollback is incomplete'}: ${result.error}`,
    );
  }
  const gap = result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`;
  write(
    `migrated: kubelet runs under supervisord as [program:${plan.program}]; healthz gap ${gap}\n` +
      `  files: ${plan.files.map((f) => f.path).join(', ')}\n` +
      '  backups and journal: /var/lib/kubesup-tui/; undo with: kubesup-tui rollback --yes\n',
  );
  return 0;
}

async function migrate(
  host: Host,
  options: CliOptions,
  write: (t: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const session = await openSession(host);
  switch (session.kind) {
    case 'refused':
      throw new ToolError(session.reason);
    case 'resume': {
      write(`resuming the migration started ${session.journal.plan.createdAt} (journal ${JOURNAL_PATH})\n`);
      const result = await carryOut(host, session.journal, printEvents(session.journal.plan.steps, write), { signal });
      return report(session.journal.plan, result, write);
    }
    case 'migrated':
      write(
        `already migrated on ${session.journal.plan.createdAt}: kubelet runs under supervisord as [program:${session.journal.plan.program}]; nothing to do\n`,
      );
      return 0;
    case 'drifted': {
      const lines = describeDrift(session.drift).map((l) => `  ${l}`);
      write(`kubelet's unit changed since the migration of ${session.journal.plan.createdAt}:\n${lines.join('\n')}\n`);
      write('regenerating: roll back to systemd, then migrate again with the current unit\n');
      const undone = await rollBack(host, session.journal, printEvents([], write));
      if (!undone.ok) throw new ToolError('the rollback before regenerating did not finish; see above');
      break;
    }
    case 'fresh':
      break;
  }
  const plan = await buildPlan(host, options);
  for (const w of plan.warnings) write(`warning: ${w}\n`);
  const result = await beginMigration(host, plan, printEvents(plan.steps, write), { signal });
  return report(plan, result, write);
}

export async function runMigrate(host: Host, options: CliOptions): Promise<number> {
  if (!host.isRoot) throw new ToolError('must run as root (nothing was changed)');
  const terminal = guardAgainstTerminalLoss();
  const log = migrationLog(host);
  const write = (t: string) => {
    terminal.write(t);
    log.write(t);
  };
  const stop = stopOnInterrupt(write);
  try {
    return await withLock(host, 'migrate', () => migrate(host, options, write, stop.signal));
  } catch (error) {
    log.write(`kubesup-tui: ${(error as Error).message}\n`);
    throw error;
  } finally {
    stop.dispose();
    await log.flush();
    terminal.dispose();
  }
}
