/**
 * Errors that end a command. Each carries a one-line reason for stderr; the CLI maps them to exit codes.
 * Expected problems found while looking at the node (a broken unit file, an unreadable env file) are not
 * errors: they are warnings in the detection result.
 */

/** Bad command-line usage: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command could not do its job, for a reason the user can act on: exit 1. */
export class ToolError extends Error {
  override name = 'ToolError';
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
