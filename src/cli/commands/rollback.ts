/**
 * `kubesup-tui rollback --yes [--unit NAME | --all]`: the unit (kubelet unless said; every moved unit with
 * --all) back under systemd, every file and link restored byte for byte.
 * Holds the node's lock, survives the loss of its terminal, and is not stopped by Ctrl-C once begun.
 */
import { guardAgainstTerminalLoss } from '../../adapters/terminal-loss.js';
import { errorLine, ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import { journalPath, readJournal } from '../../core/migration/journal/journal.js';
import { withLock } from '../../core/migration/journal/lock.js';
import { movedJournals } from '../../core/migration/journal/moved-units.js';
import { rollBack, rollbackDecision } from '../../core/migration/session.js';
import type { CliOptions } from '../args.js';
import { migrationLog, printEvents } from '../migration-lines.js';
import { allOutcome, type Outcome, recordSteps, refusedOutcome, rollbackOutcome } from '../outcome.js';

/** `rollback --all`: every moved unit, newest migration first (see core/migration/journal/moved-units.ts). */
export async function runRollback(host: Host, options: CliOptions): Promise<number> {
  if (!options.all) return rollbackUnit(host, options);
  const moved = await movedJournals(host.files);
  if (!moved.length) {
    const reason = 'nothing to roll back: no unit was moved by kubesup-tui on this node';
    if (options.json) printDocument(allOutcome([refusedOutcome('rollback', new ToolError(reason))]));
    throw new ToolError(reason);
  }
  // With --json, one document for the whole run: each unit's inside, collected as they end.
  const units: Outcome[] = [];
  const collect = options.json ? (o: Outcome) => units.push(o) : undefined;
  try {
    for (const j of moved) await rollbackUnit(host, { ...options, unit: j.plan.service.unit }, collect);
  } catch (error) {
    // Stopped before a unit's own document (the lock held by another run): the error still gets one.
    if (units.every((u) => u.ok)) units.push(refusedOutcome('rollback', error));
    throw error;
  } finally {
    if (options.json) printDocument(allOutcome(units));
  }
  return 0;
}

const printDocument = (doc: unknown) => process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);

async function rollbackUnit(host: Host, options: CliOptions, collect?: (o: Outcome) => void): Promise<number> {
  const emit = collect ?? printDocument;
  // A script still gets a document when nothing can be rolled back.
  const refuse = (reason: string): never => {
    if (options.json) emit(refusedOutcome('rollback', new ToolError(reason)));
    throw new ToolError(reason);
  };
  if (!host.isRoot) refuse('must run as root (nothing was changed)');
  const unit = options.unit;
  const name = unit.replace(/\.service$/, '');
  const journal = await readJournal(host.files, unit);
  if (!journal) return refuse(`nothing to roll back: no migration journal at ${journalPath(unit)}`);
  if (journal.state === 'rolled-back') {
    const recorded = recordSteps();
    if (options.json) emit(rollbackOutcome(true, false, journalPath(unit), recorded, journal.plan.program));
    else process.stdout.write(`already rolled back: ${name} runs under systemd\n`);
    return 0;
  }
  if (!options.yes) refuse('rollback changes the node: run it with --yes');
  const decision = await rollbackDecision(host, unit);
  if ('refused' in decision) refuse(decision.refused);
  // With --json, standard output is the one document at the end; the lines as they happen go to stderr.
  const terminal = guardAgainstTerminalLoss(options.json ? 'stderr' : 'stdout');
  const log = migrationLog(host);
  const write = (t: string) => {
    terminal.write(t);
    log.write(t);
  };
  // A rollback half-done is worse than one finished: Ctrl-C is answered, not obeyed.
  const holdOn = () => write('still rolling back; it finishes by itself\n');
  process.on('SIGINT', holdOn);
  process.on('SIGTERM', holdOn);
  try {
    return await withLock(host, 'rollback', async () => {
      const current = (await readJournal(host.files, unit)) ?? journal;
      const recorded = recordSteps();
      const print = printEvents([], write, name);
      const result = await rollBack(host, current, (e) => {
        recorded.onEvent(e);
        print(e);
      });
      if (options.json) {
        const outcome = rollbackOutcome(result.ok, true, result.archived, recorded, current.plan.program);
        if (collect) collect(outcome);
        else terminal.result(`${JSON.stringify(outcome, null, 2)}\n`);
      }
      if (!result.ok)
        throw new ToolError('rollback incomplete: see the lines above; run it again once the cause is fixed');
      write(`journal kept as ${result.archived}\n`);
      return 0;
    });
  } catch (error) {
    log.write(`kubesup-tui: ${errorLine(error)}\n`);
    throw error;
  } finally {
    process.off('SIGINT', holdOn);
    process.off('SIGTERM', holdOn);
    await log.flush();
    terminal.dispose();
  }
}
