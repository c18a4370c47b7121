/** `kubesup-tui migrate --yes`: the migration, headless, one line per step; resumes, regenerates or refuses per the session. */
import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import type { MigrationResult } from '../../core/migration/apply.js';
import { describeDrift } from '../../core/migration/drift.js';
import { JOURNAL_PATH } from '../../core/migration/journal.js';
import type { Plan } from '../../core/migration/plan.js';
import { beginMigration, carryOut, openSession, rollBack } from '../../core/migration/session.js';
import type { CliOptions } from '../args.js';
import { printEvents } from '../migration-lines.js';
import { buildPlan } from '../plan-node.js';

function report(plan: Plan, result: MigrationResult, write: (t: string) => void): number {
  if (!result.ok)
    throw new ToolError(
      `migration failed${result.rolledBack ? ' and was rolled back' : ', and the rollback is incomplete'}: ${result.error}`,
    );
  write(
    `migrated: kubelet runs under supervisord as [program:${plan.program}]; healthz gap ${result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`}\n` +
      `  files: ${plan.files.map((f) => f.path).join(', ')}\n` +
      `  backups and journal: /var/lib/kubesup-tui/; undo with: kubesup-tui rollback --yes\n`,
  );
  return 0;
}

export async function runMigrate(host: Host, options: CliOptions, write: (t: string) => void): Promise<number> {
  if (!host.isRoot) throw new ToolError('must run as root (nothing was changed)');
  const session = await openSession(host);
  switch (session.kind) {
    case 'refused':
      throw new ToolError(session.reason);
    case 'resume': {
      write(`resuming the migration started ${session.journal.plan.createdAt} (journal ${JOURNAL_PATH})\n`);
      const result = await carryOut(host, session.journal, printEvents(session.journal.plan.steps, write));
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
  const result = await beginMigration(host, plan, printEvents(plan.steps, write));
  return report(plan, result, write);
}
