/** What sits over any screen: the y/n confirmation, a notice, and the help listing every key. */
import { Box, Text } from 'ink';
import { useAppStore } from '../../store/store-context.js';
import type { Binding } from '../keymap.js';

export function ConfirmBar() {
  const confirm = useAppStore((s) => s.confirm);
  if (!confirm) return null;
  return (
    <Box borderStyle="single" borderColor="yellow" paddingX={1}>
      {/* The message may be cut to the width; the keys never are. */}
      <Box flexGrow={1}>
        <Text color="yellow" wrap="truncate-end">
          {confirm.message}
        </Text>
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

export function HelpOverlay({ groups }: { readonly groups: readonly (readonly [string, Record<string, Binding>])[] }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {groups.map(([title, bindings]) => (
        <Box key={title} flexDirection="column" marginTop={1}>
          <Text underline>{title}</Text>
          {Object.values(bindings).map((b) => (
            <Text key={b.keys.join()} wrap="truncate-end">
              {b.keys.join(' ').padEnd(16)} {b.help}
            </Text>
          ))}
        </Box>
      ))}
      <Text dimColor>esc or ? closes this help</Text>
    </Box>
  );
}
