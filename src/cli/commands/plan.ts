/** `kubesup-tui plan`: the files and steps a migration would carry out; changes nothing. */
import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import { journalPath } from '../../core/migration/journal/journal.js';
import { openSession } from '../../core/migration/session.js';
import { escapeControls } from '../../core/text.js';
import type { CliOptions } from '../args.js';
import { formatPlan } from '../format/plan.js';
import { buildPlan } from '../plan-node.js';

export async function runPlan(host: Host, options: CliOptions, out: (t: string) => void): Promise<number> {
  const session = await openSession(host, options.unit);
  if (session.kind !== 'fresh') {
    throw new ToolError(
      `${options.unit} was migrated by kubesup-tui (journal ${journalPath(options.unit)}, ${session.journal.state}): ` +
        'see status, or rollback',
    );
  }
  const plan = await buildPlan(host, options);
  out(options.json ? `${JSON.stringify(plan, null, 2)}\n` : escapeControls(formatPlan(plan)));
  return 0;
}
