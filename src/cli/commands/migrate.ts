/**
 * `kubesup-tui migrate --yes`: the migration, headless, one line per step; resumes, regenerates or refuses per
 * the session. It holds the node's lock, survives the loss of its terminal, and on Ctrl-C stops after the
 * current step and rolls back; every line also goes to /var/lib/kubesup-tui/migration.log.
 */
import { guardAgainstTerminalLoss, stopOnInterrupt } from '../../adapters/terminal-loss.js';
import { kubeletVersion } from '../../core/detect/detect.js';
import { errorLine, ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import type { MigrationEvent, MigrationResult } from '../../core/migration/apply/apply.js';
import { describeDrift } from '../../core/migration/journal/drift.js';
import { type Journal, journalPath } from '../../core/migration/journal/journal.js';
import { withLock } from '../../core/migration/journal/lock.js';
import { agentChange } from '../../core/migration/plan/agent.js';
import { shortFileList } from '../../core/migration/plan/agent-files.js';
import type { Plan, PlanStep } from '../../core/migration/plan/plan.js';
import { writtenPaths } from '../../core/migration/plan/tool-copy.js';
import { beginMigration, carryOut, openSession, rollBack } from '../../core/migration/session.js';
import type { CliOptions } from '../args.js';
import { migrationLog, printEvents } from '../migration-lines.js';
import { migrationOutcome, recordSteps, refusedOutcome } from '../outcome.js';
import { buildPlan } from '../plan-node.js';

interface Ran {
  readonly outcome: string;
  readonly plan: Plan;
  readonly result: MigrationResult | null;
}

/** `--unit X` when the plan is not kubelet's: what the commands it suggests must say. */
const unitFlag = (plan: Plan) => (plan.service.unit === 'kubelet.service' ? '' : ` --unit ${plan.service.unit}`);

/** How long the service answered no health check during the handover, or that it has no endpoint to ask. */
function healthGapWords(plan: Plan, result: MigrationResult): string {
  if (plan.service.health.kind === 'alive') return 'no health endpoint';
  const gap = result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`;
  const check = plan.service.unit === 'kubelet.service' ? 'healthz' : 'health';
  return `${check} gap ${gap}`;
}

function summary(plan: Plan, result: MigrationResult): string {
  const name = plan.service.unit.replace(/\.service$/, '');
  return (
    `migrated: ${name} runs under supervisord as [program:${plan.program}]; ${healthGapWords(plan, result)}\n` +
    `  files: ${shortFileList(writtenPaths(plan)).join(', ')}\n` +
    `  backups and journal: /var/lib/kubesup-tui/; undo with: kubesup-tui rollback --yes${unitFlag(plan)}\n`
  );
}

const failure = (result: MigrationResult) =>
  `migration failed${result.rolledBack ? ' and was rolled back' : ', and the rollback is incomplete'}: ${result.error}`;

async function migrate(
  host: Host,
  options: CliOptions,
  write: (t: string) => void,
  /** What hears a plan's events: its lines numbered by the plan's steps. */
  events: (steps: readonly PlanStep[]) => (e: MigrationEvent) => void,
  signal: AbortSignal,
): Promise<Ran> {
  const session = await openSession(host, options.unit);
  const name = options.unit.replace(/\.service$/, '');
  switch (session.kind) {
    case 'refused':
      throw new ToolError(session.reason);
    case 'resume': {
      write(
        `resuming the migration started ${session.journal.plan.createdAt} (journal ${journalPath(options.unit)})\n`,
      );
      const result = await carryOut(host, session.journal, events(session.journal.plan.steps), { signal });
      return { outcome: 'resumed', plan: session.journal.plan, result };
    }
    case 'migrated': {
      const { plan } = session.journal;
      const binary = plan.argv[0];
      const version = () => (binary ? kubeletVersion(host, binary, []) : Promise.resolve(null));
      const change = await agentChange(plan.agent, options.watchdog, options.probe, version);
      if (!change) {
        write(
          `already migrated on ${plan.createdAt}: ${name} runs under supervisord ` +
            `as [program:${plan.program}]; nothing to do\n`,
        );
        return { outcome: 'already-migrated', plan, result: null };
      }
      write(`the agent's settings asked differ from the migration of ${plan.createdAt}: ${change}\n`);
      write('regenerating: roll back to systemd, then migrate again with them\n');
      return regenerate(host, options, session.journal, write, events, signal);
    }
    case 'drifted': {
      const lines = describeDrift(session.drift).map((l) => `  ${l}`);
      write(`${name}'s unit changed since the migration of ${session.journal.plan.createdAt}:\n${lines.join('\n')}\n`);
      write('regenerating: roll back to systemd, then migrate again with the current unit\n');
      return regenerate(host, options, session.journal, write, events, signal);
    }
    case 'fresh':
      break;
  }
  const plan = await buildPlan(host, options);
  for (const w of plan.warnings) write(`warning: ${w}\n`);
  return { outcome: 'migrated', plan, result: await beginMigration(host, plan, events(plan.steps), { signal }) };
}

/** Rolls the migration in `journal` back to systemd, then migrates again with what is there and asked now. */
async function regenerate(
  host: Host,
  options: CliOptions,
  journal: Journal,
  write: (t: string) => void,
  events: (steps: readonly PlanStep[]) => (e: MigrationEvent) => void,
  signal: AbortSignal,
): Promise<Ran> {
  const undone = await rollBack(host, journal, printEvents([], write, options.unit.replace(/\.service$/, '')));
  if (!undone.ok) throw new ToolError('the rollback before regenerating did not finish; see above');
  const plan = await buildPlan(host, options);
  return { outcome: 'regenerated', plan, result: await beginMigration(host, plan, events(plan.steps), { signal }) };
}

export async function runMigrate(host: Host, options: CliOptions): Promise<number> {
  if (!host.isRoot) throw new ToolError('must run as root (nothing was changed)');
  // With --json, standard output is the one document at the end; the lines as they happen go to stderr.
  const terminal = guardAgainstTerminalLoss(options.json ? 'stderr' : 'stdout');
  const log = migrationLog(host);
  const write = (t: string) => {
    terminal.write(t);
    log.write(t);
  };
  const stop = stopOnInterrupt(write);
  let printed = false;
  try {
    return await withLock(host, 'migrate', async () => {
      const recorded = recordSteps();
      const events = (steps: readonly PlanStep[]) => {
        const print = printEvents(steps, write, options.unit.replace(/\.service$/, ''));
        return (e: MigrationEvent) => {
          recorded.onEvent(e);
          print(e);
        };
      };
      const ran = await migrate(host, options, write, events, stop.signal);
      const { plan, result } = ran;
      if (options.json) {
        const outcome = migrationOutcome(ran.outcome, plan, result, recorded, result !== null);
        terminal.result(`${JSON.stringify(outcome, null, 2)}\n`);
        printed = true;
      }
      if (result && !result.ok) throw new ToolError(failure(result));
      if (!options.json && result) write(summary(plan, result));
      return 0;
    });
  } catch (error) {
    log.write(`kubesup-tui: ${errorLine(error)}\n`);
    // A script still gets a document: refused (k3s, a hand-made program, another run under way) or failed.
    if (options.json && !printed) terminal.result(`${JSON.stringify(refusedOutcome('migrate', error), null, 2)}\n`);
    throw error;
  } finally {
    stop.dispose();
    await log.flush();
    terminal.dispose();
  }
}
