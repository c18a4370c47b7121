/**
 * The selected program's log: the newest lines that fit, or a window scrolled back; klog errors and warnings
 * coloured. Lines live in the engine's ring buffer, not in React state; only the visible rows are rendered.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogLine, Severity } from '../../core/kubelet/klog.js';
import { withoutTime } from '../../core/monitor/log-text.js';
import { plural } from '../../core/monitor/words.js';
import { lineRows, printable, truncate } from '../../core/text.js';
import type { LogViewState, LogWindow } from '../../store/log-view.js';
import { severityColor } from '../theme.js';

const LEVELS: Severity[] = ['info', 'warning', 'error'];
export const nextLevel = (s: Severity): Severity => LEVELS[(LEVELS.indexOf(s) + 1) % LEVELS.length] as Severity;

/** Whether the pane follows the newest lines, or is paused (and how many came in since). */
function followWords(follow: boolean, newer: number): string {
  if (follow) return 'following';
  return newer ? `paused · ${newer} new` : 'paused';
}

/** The search as the header shows it: only matching lines or all, the query, where the cursor is among the matches. */
function searchWords(view: LogViewState, window: LogWindow): string | null {
  if (!view.query) return view.filter ? 'only: type a search' : null;
  const found = window.current
    ? `${window.current} of ${window.matches.length}`
    : plural(window.matches.length, 'match', 'matches');
  return `${view.filter ? 'only ' : ''}"${view.query}" ${found}`;
}

/** Why the pane shows no line: nothing matches the filter, nothing yet, or nothing at the chosen level. */
function emptyWords(view: LogViewState): string {
  if (view.filter && view.query) return `no line matches "${view.query}"`;
  if (view.minSeverity === 'info') return 'no lines yet';
  return `no line at level ≥ ${view.minSeverity}`;
}

const kept = new WeakMap<LogLine, { readonly how: string; readonly rows: readonly string[] }>();

/** A line's rows on the screen, kept with the line: a frame beside a logging kubelet cuts one line, not all. */
function rowsOf(l: LogLine, width: number, view: LogViewState): readonly string[] {
  const how = `${width}:${view.wrap}:${view.timestamps}`;
  const known = kept.get(l);
  if (known?.how === how) return known.rows;
  const rows = lineRows(printable(view.timestamps ? l.text : withoutTime(l)) || ' ', width, view.wrap);
  kept.set(l, { how, rows });
  return rows;
}

/** One row: redrawn only when its own words or marks change, not when the rows around it move. */
const Row = memo(function Row({
  text,
  color,
  current,
  hit,
}: {
  readonly text: string;
  readonly color: string | undefined;
  readonly current: boolean;
  readonly hit: boolean;
}) {
  return (
    <Text wrap="truncate-end" color={color} inverse={current} bold={hit}>
      {text}
    </Text>
  );
});

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
    .flatMap((l) => rowsOf(l, width, view).map((text, part) => ({ l, text, part })))
    .slice(-height);
  const modes = [view.wrap ? 'wrap' : null, view.timestamps ? null : 'no times'];
  const search = searchWords(view, window);
  const state = followWords(view.follow, window.newer);
  // What the pane is doing comes before its name: a narrow screen cuts the name, never the count.
  const tail = [state, search, `level ≥ ${view.minSeverity}`, ...modes].filter(Boolean).join(' · ');
  const head = truncate(title, Math.max(8, width - tail.length - 12));
  const empty = window.total > 0 ? null : emptyWords(view);
  // A text node per row, keyed by its line: a new line adds one row, and the rows already drawn keep their
  // text (Ink measures a text once per distinct string and keeps every one it measured for good: one node for
  // the whole pane was a new string of a screenful at every frame, tens of MB an hour beside a logging kubelet).
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text wrap="truncate-end" dimColor>
        ── {head} · {tail} ─────
      </Text>
      {empty ? <Text dimColor>{empty}</Text> : null}
      {rows.map(({ l, text, part }) => {
        const current = view.matchSeq === l.seq;
        return (
          <Row
            key={`${l.seq}:${part}`}
            text={text}
            color={l.mark ? 'cyan' : severityColor(l.severity)}
            current={current}
            hit={q !== '' && !current && l.text.toLowerCase().includes(q)}
          />
        );
      })}
    </Box>
  );
}
