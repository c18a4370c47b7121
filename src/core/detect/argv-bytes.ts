/**
 * Bytes of a command line that are not UTF-8 are read back as U+FFFD: the wrapper would carry the replacement
 * character, not the bytes, and the check after the move would compare the same replacement on both sides and
 * call it the same command line. Refused before anything changes instead.
 */
export function notUtf8Refusal(program: string, argv: readonly string[]): string | null {
  const index = argv.findIndex((arg) => arg.includes('\uFFFD'));
  if (index < 0) return null;
  return (
    `argument ${index} of ${program}'s command line is not valid UTF-8: kubesup-tui cannot carry its bytes ` +
    `exactly, so it does not migrate ${program}`
  );
}
