/**
 * The wrapper's part that sets the environment and "$@" at each start: from the unit's files now (asked of
 * `kubesup-tui start-line`, see start-line.ts), reused while those files are unchanged, else the last good line,
 * else migration day's.
 */
import { quote } from 'shell-quote';
import { startLinePaths } from './start-line.js';

/** Wrapper lines that set the environment and "$@" from the files now, else from the last good line. */
export function startLineShell(
  w: { readonly program: string; readonly unit: string; readonly command: readonly string[] },
  migrationDay: string,
): string[] {
  const { lastGood, inputs, failed } = startLinePaths(w.program);
  const command = quote([...w.command]);
  return [
    '',
    `# What systemd would run for ${w.unit} now: its file, drop-ins and environment files as they are at this`,
    "# start, read by kubesup-tui with systemd's rules (a shell sourcing them would not be exact). When they cannot",
    '# be read, the last good line is used (else the one of migration day), and the log and kubesup-tui status say so.',
    'migration_day() {',
    ...migrationDay
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
    '}',
    `last_good=${lastGood} kubesup_was=${inputs} failed=${failed}`,
    '# Asking costs a start of kubesup-tui (about half a second, tens of MB): skipped when none of the files the',
    '# last good line came from changed since it was computed (their inode, size and times, and the host name).',
    "# Its own names start with kubesup_: the line it evaluates exports the unit's variables, whatever their names.",
    'kubesup_inputs=()',
    '[ -r "$last_good" ] && while IFS= read -r kubesup_line; do',
    '  case $kubesup_line in kubesup_inputs=*) eval "$kubesup_line" 2>/dev/null; break ;; esac',
    'done < "$last_good"',
    'files_now() {',
    `  [ "\${#kubesup_inputs[@]}" -gt 0 ] && stat -L -c '%n %i %s %y %z' -- "\${kubesup_inputs[@]}" 2>&1`,
    '  echo "host $HOSTNAME"',
    '}',
    `kubesup_known=\${kubesup_inputs[*]-} kubesup_seen=$(files_now)`,
    'if [ -n "$kubesup_known" ] && [ -r "$kubesup_was" ] && [ "$kubesup_seen" = "$(< "$kubesup_was")" ]; then',
    '  eval "$(< "$last_good")"',
    `elif line=$(timeout 60 ${command} 2>"$failed.err"); then`,
    `  printf '%s\\n' "$line" > "$last_good.new" && mv -f "$last_good.new" "$last_good"; rm -f "$failed" "$failed.err"`,
    '  eval "$line"',
    '  # What was seen before asking holds only for the same files; a change after it shows at the next start.',
    '  rm -f "$kubesup_was"',
    `  if [ "\${kubesup_inputs[*]-}" = "$kubesup_known" ]; then`,
    `    printf '%s\\n' "$kubesup_seen" > "$kubesup_was.new" && mv -f "$kubesup_was.new" "$kubesup_was"`,
    '  fi',
    'else',
    '  reason=$(tail -n 1 "$failed.err" 2>/dev/null)',
    `  echo "kubesup-tui: cannot compute ${w.program}'s command line from ${w.unit} now ($reason): ` +
      `starting with the last good one" >&2`,
    `  printf '%s %s\\n' "$(date +%s)" "$reason" > "$failed"`,
    '  if [ -r "$last_good" ]; then eval "$(cat "$last_good")"; else migration_day; fi',
    'fi',
  ];
}
