/**
 * The selected program's log: the newest lines that fit, or a window scrolled back; klog errors and warnings
 * coloured. Lines live in the engine's ring buffer, not in React state; only the visible rows are rendered.
 */
import { Box, Text } from 'ink';
import type { Severity } from '../../core/kubelet/klog.js';
import type { LogViewState, LogWindow } from '../../store/log-view.js';
import { severityColor } from '../theme.js';

const LEVELS: Severity[] = ['info', 'warning', 'error'];
export const nextLevel = (s: Severity): Severity => LEVELS[(LEVELS.indexOf(s) + 1) % LEVELS.length] as Severity;

/** Tabs and other control characters would move the cursor or widen a line past the screen. */
function printable(text: string, width: number): string {
  return (
    text
      .replace(/\t/g, '  ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
      .replace(/[\u0000-\u001f\u007f]/g, '?')
      .slice(0, width)
  );
}

export function LogView({
  window,
  view,
  width,
  height,
  title,
}: {
  readonly window: LogWindow;
  readonly view: LogViewState;
  readonly width: number;
  readonly height: number;
  readonly title: string;
}) {
  const q = view.query.toLowerCase();
  // One text node for all the lines, coloured spans inside: a frame under a log flood costs one layout
  // measurement, not one per line.
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text wrap="truncate-end" dimColor>
        ── {title} · {view.follow ? 'following' : window.newer ? `paused · ${window.newer} new` : 'paused'} · level ≥{' '}
        {view.minSeverity}
        {view.query ? ` · "${view.query}" ${window.matches.length} matches` : ''} ─────
      </Text>
      <Text wrap="truncate-end">
        {window.lines.map((l, i) => {
          const current = view.matchSeq === l.seq;
          const hit = q !== '' && l.text.toLowerCase().includes(q);
          const text = `${printable(l.text, width) || ' '}${i < window.lines.length - 1 ? '\n' : ''}`;
          const color = severityColor(l.severity);
          return color || current || hit ? (
            <Text key={l.seq} color={color} inverse={current} bold={hit && !current}>
              {text}
            </Text>
          ) : (
            text
          );
        })}
      </Text>
    </Box>
  );
}
