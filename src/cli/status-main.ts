/**
 * `kubesup-tui status`'s own entry, dist/status.js, which dist/cli.js loads when status is the command. The
 * same command line, command and errors as main.ts, bundled in one file: through main.ts, status's code
 * comes in a dozen chunks shared with the other commands, and Node.js's module loader costs ~0.7 ms each,
 * a tenth of a start that must stay well under `supervisorctl status`'s.
 */
import { BugError } from '../core/errors.js';
import { runStatus } from './commands/status.js';
import { createRealHost } from './host.js';
import { runCommandLine, write } from './run.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCommandLine(argv, (options) => {
    // dist/cli.js sends only `status ...` here; any other command goes through main.ts.
    if (options.command !== 'status') throw new BugError(`status's entry asked for ${String(options.command)}`);
    return runStatus(createRealHost(), options, write);
  });
}
