/**
 * The selected program's log: the newest lines that fit, or a window scrolled back; klog errors and warnings
 * coloured. Lines live in the engine's ring buffer, not in React state; only the visible rows are rendered.
 */
import { Box, Text } from 'ink';
import type { Severity } from '../../core/kubelet/klog.js';
import { withoutTime } from '../../core/monitor/log-text.js';
import { lineRows, printable } from '../../core/text.js';
import type { LogViewState, LogWindow } from '../../store/log-view.js';
import { severityColor } from '../theme.js';

const LEVELS: Severity[] = ['info', 'warning', 'error'];
export const nextLevel = (s: Severity): Severity => LEVELS[(LEVELS.indexOf(s) + 1) % LEVELS.length] as Severity;

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
  // Each line becomes its rows (one, or more when wrapping); the newest rows that fit are drawn.
  const rows = window.lines
    .flatMap((l) =>
      lineRows(printable(view.timestamps ? l.text : withoutTime(l)) || ' ', width, view.wrap).map((text) => ({
        l,
        text,
      })),
    )
    .slice(-height);
  const modes = [view.wrap ? 'wrap' : null, view.timestamps ? null : 'no times'].filter(Boolean).join(' · ');
  // One text node for all the rows, coloured spans inside: a frame under a log flood costs one layout
  // measurement, not one per line.
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text wrap="truncate-end" dimColor>
        ── {title} · {view.follow ? 'following' : window.newer ? `paused · ${window.newer} new` : 'paused'} · level ≥{' '}
        {view.minSeverity}
        {modes ? ` · ${modes}` : ''}
        {view.query ? ` · "${view.query}" ${window.matches.length} matches` : ''} ─────
      </Text>
      <Text wrap="truncate-end">
        {rows.map(({ l, text: row }, i) => {
          const current = view.matchSeq === l.seq;
          const hit = q !== '' && l.text.toLowerCase().includes(q);
          const text = `${row}${i < rows.length - 1 ? '\n' : ''}`;
          const color = l.mark ? 'cyan' : severityColor(l.severity);
          return color || current || hit ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: a wrapped line's rows share its seq
            <Text key={`${l.seq}:${i}`} color={color} inverse={current} bold={hit && !current}>
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
