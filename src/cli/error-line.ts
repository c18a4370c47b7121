/** The one place an error becomes its line on stderr (or in the TUI) and its exit code. */
import { errorKind, oneLine } from '../core/errors.js';

/** Exit codes: 2 bad usage, 1 every other failure (status keeps its own 3 and 4). */
export function exitCodeFor(error: unknown): number {
  return errorKind(error) === 'usage' ? 2 : 1;
}

/** The error's one line, without the program name. */
export function errorLine(error: unknown): string {
  const text = oneLine(error);
  switch (errorKind(error)) {
    case 'usage':
      return `${text} (see kubesup-tui --help)`;
    case 'bug':
      return `internal error, a bug in kubesup-tui: ${text} (please report it with KUBESUP_DEBUG=1's stack)`;
    default:
      return text;
  }
}
