/** What sits over any screen: the y/n confirmation, a notice, and the help listing every key. */
import { Box, Text } from 'ink';
import { truncate, wrapWords } from '../../core/text.js';
import { useAppStore } from '../../store/store-context.js';
import type { Binding } from '../keymap.js';

/** The question's rows at this width: border and padding take 4 columns, ` [y/N]` 6 more. */
export const confirmLines = (message: string, columns: number) => wrapWords(message, Math.max(10, columns - 10));

/** Rows the dialog takes: its lines and its border. */
export const confirmRows = (message: string, columns: number) => confirmLines(message, columns).length + 2;

export function ConfirmBar({ width }: { readonly width: number }) {
  const confirm = useAppStore((s) => s.confirm);
  if (!confirm) return null;
  // Wrapped, never cut: every word of what is asked is read before y; the keys stay on its first row.
  const lines = confirmLines(confirm.message, width);
  return (
    <Box borderStyle="single" borderColor="yellow" paddingX={1} flexShrink={0}>
      <Box flexGrow={1} flexDirection="column">
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a row's place is its identity
          <Text key={i} color="yellow">
            {line}
          </Text>
        ))}
      </Box>
      <Text color="yellow" bold>
        {' '}
        [y/N]
      </Text>
    </Box>
  );
}

export function NoticeLine() {
  const notice = useAppStore((s) => s.notice);
  const busy = useAppStore((s) => s.busy);
  if (busy)
    return (
      <Text color="cyan" wrap="truncate-end">
        … {busy}
      </Text>
    );
  if (!notice) return null;
  return (
    <Text color={notice.ok ? 'green' : 'red'} wrap="truncate-end">
      {notice.ok ? '✓' : '✗'} {notice.text}
    </Text>
  );
}

/**
 * Every key of the screen, of dialogs and of everywhere, in as many columns as the terminal's height needs
 * (the monitor has more keys than 24 rows hold), each entry cut with an ellipsis, never wrapped.
 */
export function HelpOverlay({
  groups,
  width,
  height,
}: {
  readonly groups: readonly (readonly [string, Record<string, Binding>])[];
  readonly width: number;
  readonly height: number;
}) {
  const keyWidth = Math.max(...groups.flatMap(([, b]) => Object.values(b).map((x) => x.keys.join(' ').length)));
  const lines = groups
    .flatMap(([title, bindings], i) => [
      ...(i > 0 ? [{ text: '', title: false }] : []),
      { text: title, title: true },
      ...Object.values(bindings).map((b) => ({
        text: `${b.keys.join(' ').padEnd(keyWidth)}  ${b.help}`,
        title: false,
      })),
    ])
    .map((l, n) => ({ ...l, id: `line-${n}` }));
  // Border and padding take 4 columns and 2 rows; the title and the closing line 2 more rows.
  const columns = Math.ceil(lines.length / Math.max(1, height - 4));
  const rows = Math.ceil(lines.length / columns);
  const columnWidth = Math.max(10, Math.floor((width - 4) / columns) - 1);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height} overflow="hidden">
      <Text bold>Keys</Text>
      <Box>
        {Array.from({ length: columns }, (_, c) => lines.slice(c * rows, (c + 1) * rows)).map((column) => (
          <Box key={column[0]?.id} flexDirection="column" width={columnWidth + 1}>
            {column.map((l) => (
              <Text key={l.id} underline={l.title}>
                {truncate(l.text, columnWidth) || ' '}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <Text dimColor>esc or ? closes this help</Text>
    </Box>
  );
}
