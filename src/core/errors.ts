/**
 * Errors that end a command, sorted by who must act. The CLI turns each into one line on stderr and an exit
 * code in one place (errorLine and exitCodeFor below), for every command and the TUI's error display.
 *   the user:   UsageError (bad command line), ToolError (a refusal or bad input: the reason says what to change)
 *   the world:  ExternalFailure (a command or service failed: its command line and exit, or the service's fault)
 *   the tool:   BugError (an invariant broke); any other thrown value is read as one too
 * Expected problems found while looking at the node (a broken unit file, an unreadable env file) are not
 * errors: they are warnings in the detection result.
 */
import { escapeControls } from './text.js';

/** Bad command-line usage: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user must act: a refusal or bad input, the message saying what to change. Exit 1. */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** What failed outside the tool: a command line and its exit code, or a service (supervisord) and its fault. */
export interface ExternalSource {
  readonly command?: string;
  readonly exitCode?: number;
  readonly service?: string;
}

/** A command or service the tool relies on failed; the message carries its own words. Exit 1. */
export class ExternalFailure extends Error {
  override name = 'ExternalFailure';
  constructor(
    message: string,
    readonly source: ExternalSource = {},
  ) {
    super(message);
  }
}

/** An invariant of the tool broke: a bug to report. Exit 1. */
export class BugError extends Error {
  override name = 'BugError';
}

export type ErrorKind = 'usage' | 'user' | 'external' | 'bug';

/** Who must act on a thrown value. A system call's error (it has an errno code) is the world's, not a bug. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof UsageError) return 'usage';
  if (error instanceof ToolError) return 'user';
  if (error instanceof ExternalFailure) return 'external';
  if (error instanceof BugError) return 'bug';
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') return 'external';
  return 'bug';
}

/** Reduce any thrown value to one line, for stderr. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}

/** Exit codes: 2 bad usage, 1 every other failure (status keeps its own 3 and 4). */
export function exitCodeFor(error: unknown): number {
  return errorKind(error) === 'usage' ? 2 : 1;
}

/** The error's one line, without the program name: what stderr and the TUI show. */
export function errorLine(error: unknown): string {
  // Paths and values in a message may come from the node: shown escaped, never as cursor moves.
  const text = escapeControls(oneLine(error));
  switch (errorKind(error)) {
    case 'usage':
      return `${text} (see kubesup-tui --help)`;
    case 'bug':
      return `internal error, a bug in kubesup-tui: ${text} (please report it with KUBESUP_DEBUG=1's stack)`;
    default:
      return text;
  }
}
