/** `kubesup-tui rollback --yes`: kubelet back under systemd, every file restored byte for byte. */
import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import { JOURNAL_PATH, readJournal } from '../../core/migration/journal.js';
import { rollBack } from '../../core/migration/session.js';
import type { CliOptions } from '../args.js';
import { printEvents } from '../migration-lines.js';

export async function runRollback(host: Host, options: CliOptions, write: (t: string) => void): Promise<number> {
  if (!host.isRoot) throw new ToolError('must run as root (nothing was changed)');
  const journal = await readJournal(host.files);
  if (!journal) throw new ToolError(`nothing to roll back: no migration journal at ${JOURNAL_PATH}`);
  if (journal.state === 'rolled-back') {
    write('already rolled back: kubelet runs under systemd\n');
    return 0;
  }
  if (!options.yes) throw new ToolError('rollback changes the node: run it with --yes');
  const result = await rollBack(host, journal, printEvents([], write));
  if (!result.ok) throw new ToolError('rollback incomplete: see the lines above; run it again once the cause is fixed');
  write(`journal kept as ${result.archived}\n`);
  return 0;
}
