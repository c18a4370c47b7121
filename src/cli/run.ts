/**
 * What every entry does around a command: parse the command line, answer --help and --version, run the
 * command, map errors to one line and an exit code. main.ts runs any command; status-main.ts only `status`.
 */
import { errorKind, errorLine, exitCodeFor, oneLine, UsageError } from '../core/errors.js';
import { type CliOptions, HELP, parseCommandLine } from './args.js';
import { VERSION } from './version.js';

export const write = (text: string) => process.stdout.write(text);

export async function runCommandLine(
  argv: readonly string[],
  dispatch: (options: CliOptions) => Promise<number>,
): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    const usage = error instanceof UsageError ? error : new UsageError(oneLine(error));
    process.stderr.write(`kubesup-tui: ${errorLine(usage)}\n`);
    return exitCodeFor(usage);
  }
  if (options.help) {
    write(HELP);
    return 0;
  }
  if (options.version) {
    write(`${VERSION}\n`);
    return 0;
  }
  try {
    return await dispatch(options);
  } catch (error) {
    process.stderr.write(`kubesup-tui: ${errorLine(error)}\n`);
    if (errorKind(error) !== 'user' && process.env.KUBESUP_DEBUG) {
      process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    }
    return exitCodeFor(error);
  }
}
