/** `plan`, `migrate --yes` and `rollback --yes`: the migration, headless, one line per step. */
import { detect } from '../../core/detect/detect.js';
import { ToolError } from '../../core/errors.js';
import { applyPlan, startJournal, type MigrationDeps, type MigrationEvent } from '../../core/migration/apply.js';
import { computeDrift, describeDrift } from '../../core/migration/drift.js';
import { archiveJournal, JOURNAL_PATH, readJournal, saveJournal, type Journal } from '../../core/migration/journal.js';
import { planMigration, PlanRefused, type Plan } from '../../core/migration/plan.js';
import { formatPlan } from '../format/plan.js';
import { rollbackMigration } from '../../core/migration/rollback.js';
import type { CliOptions } from '../args.js';
import type { Host } from '../host.js';
import { VERSION } from '../version.js';

export function migrationDeps(host: Host): MigrationDeps {
  return { ...host, now: () => new Date(host.now()) };
}

export async function buildPlan(host: Host, options: CliOptions): Promise<Plan> {
  const detection = await detect(host, {
    program: options.program,
    hostname: host.hostname,
    ...(options.supervisorConf ? { supervisorConf: options.supervisorConf } : {}),
    ...(options.supervisorUrl ? { supervisorUrl: options.supervisorUrl } : {}),
  });
  try {
    const plan = await planMigration(detection, host.files, { program: options.program, now: new Date(host.now()), tool: `kubesup-tui ${VERSION}` });
    return { ...plan, warnings: [...detection.warnings, ...plan.warnings] };
  } catch (error) {
    if (error instanceof PlanRefused) throw new ToolError(`no migration: ${error.message}`);
    throw error;
  }
}

export async function runPlan(host: Host, options: CliOptions, out: (t: string) => void): Promise<number> {
  const journal = await readJournal(host.files);
  if (journal && journal.state !== 'rolled-back') {
    throw new ToolError(`kubelet was migrated by kubesup-tui (journal ${JOURNAL_PATH}, ${journal.state}): see status, or rollback`);
  }
  const plan = await buildPlan(host, options);
  out(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  return 0;
}

/** One line per event, as it happens. */
export function printEvent(total: number, indexOf: (id: string) => number, write: (t: string) => void) {
  return (e: MigrationEvent) => {
    switch (e.type) {
      case 'step-start':
        return;
      case 'step-done':
        write(`[${indexOf(e.step.id)}/${total}] ${e.step.title}: ${e.skipped ? 'done earlier' : 'ok'}${e.detail && !e.skipped ? ` (${e.detail})` : ''} ${e.skipped ? '' : `${e.ms} ms`}\n`.replace(/ \n$/, '\n'));
        return;
      case 'step-failed':
        write(`[${indexOf(e.step.id)}/${total}] ${e.step.title}: FAILED: ${e.error}\n`);
        return;
      case 'rollback-start':
        write(`rolling back: ${e.reason}\n`);
        return;
      case 'rollback-step':
        write(`  rollback: ${e.title}: ${e.ok ? 'ok' : `FAILED: ${e.detail}`}\n`);
        return;
      case 'rollback-done':
        write(e.ok ? 'rolled back: kubelet runs under systemd again, every file restored\n' : 'ROLLBACK INCOMPLETE: see the lines above; the journal is kept\n');
        return;
    }
  };
}

async function carryOut(host: Host, journal: Journal, write: (t: string) => void): Promise<number> {
  const steps = journal.plan.steps;
  const result = await applyPlan(journal, migrationDeps(host), printEvent(steps.length, (id) => steps.findIndex((s) => s.id === id) + 1, write), rollbackMigration);
  if (result.ok) {
    write(
      `migrated: kubelet runs under supervisord as [program:${journal.plan.program}]; healthz gap ${result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`}\n` +
        `  files: ${journal.plan.files.map((f) => f.path).join(', ')}\n` +
        `  backups and journal: /var/lib/kubesup-tui/; undo with: kubesup-tui rollback --yes\n`,
    );
    return 0;
  }
  if (result.rolledBack) await archiveJournal(host.files, host.writer, journal, new Date(host.now()));
  throw new ToolError(`migration failed${result.rolledBack ? ' and was rolled back' : ', and the rollback is incomplete'}: ${result.error}`);
}

export async function runMigrate(host: Host, options: CliOptions, write: (t: string) => void): Promise<number> {
  if (!host.isRoot) throw new ToolError('must run as root (nothing was changed)');
  let journal = await readJournal(host.files);
  if (journal?.state === 'rolled-back') {
    await archiveJournal(host.files, host.writer, journal, new Date(host.now()));
    journal = null;
  }
  if (journal?.state === 'failed' || journal?.state === 'rolling-back') {
    throw new ToolError(`an earlier migration failed and its rollback did not finish (${JOURNAL_PATH}): run kubesup-tui rollback --yes`);
  }
  if (journal?.state === 'in-progress') {
    write(`resuming the migration started ${journal.plan.createdAt} (journal ${JOURNAL_PATH})\n`);
    return carryOut(host, journal, write);
  }
  if (journal?.state === 'migrated') {
    const drift = await computeDrift(host.files, journal, host.hostname);
    if (!drift) {
      write(`already migrated on ${journal.plan.createdAt}: kubelet runs under supervisord as [program:${journal.plan.program}]; nothing to do\n`);
      return 0;
    }
    write(`kubelet's unit changed since the migration of ${journal.plan.createdAt}:\n${describeDrift(drift).map((l) => `  ${l}`).join('\n')}\n`);
    write('regenerating: roll back to systemd, then migrate again with the current unit\n');
    const rolledBack = await rollbackMigration(journal, migrationDeps(host), printEvent(0, () => 0, write));
    if (!rolledBack) throw new ToolError('the rollback before regenerating did not finish; see above');
    await archiveJournal(host.files, host.writer, journal, new Date(host.now()));
  }
  const plan = await buildPlan(host, options);
  for (const w of plan.warnings) write(`warning: ${w}\n`);
  const fresh = await startJournal(plan, migrationDeps(host));
  return carryOut(host, fresh, write);
}

export async function runRollback(host: Host, options: CliOptions, write: (t: string) => void): Promise<number> {
  if (!host.isRoot) throw new ToolError('must run as root (nothing was changed)');
  const journal = await readJournal(host.files);
  if (!journal) throw new ToolError(`nothing to roll back: no migration journal at ${JOURNAL_PATH}`);
  if (journal.state === 'rolled-back') {
    write('already rolled back: kubelet runs under systemd\n');
    return 0;
  }
  if (!options.yes) throw new ToolError('rollback changes the node: run it with --yes');
  const ok = await rollbackMigration(journal, migrationDeps(host), printEvent(0, () => 0, write));
  if (!ok) {
    await saveJournal(host.writer, journal, new Date(host.now()));
    throw new ToolError('rollback incomplete: see the lines above; run it again once the cause is fixed');
  }
  const archived = await archiveJournal(host.files, host.writer, journal, new Date(host.now()));
  write(`journal kept as ${archived}\n`);
  return 0;
}
