/**
 * `kubesup-tui start-line --unit NAME`: what systemd would run for the unit now, as shell text (its environment
 * exported, its argv as "$@"). The wrapper of a migrated kubelet runs it at each start (see
 * core/migration/plan/start-line.ts); a unit that cannot be read is one line on stderr and exit 1.
 */

import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import { currentStartLine, renderStartLine } from '../../core/migration/plan/start-line.js';
import type { CliOptions } from '../args.js';

export async function runStartLine(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const line = await currentStartLine(host.files, options.unit, host.hostname);
  if (!line.ok) throw new ToolError(line.reason);
  out(renderStartLine(line));
  return 0;
}
