/** The live monitor: programs, kubelet health, the node, the selected program's history and log, and its keys. */
import { Box, Text } from 'ink';
import { useState } from 'react';
import { processLine } from '../../core/monitor/process-line.js';
import { logWindow } from '../../store/log-view.js';
import { useAppStore, useAppStoreApi, useAppStoreWith } from '../../store/store-context.js';
import { ExitList, HistoryLine } from '../components/history-panel.js';
import { LogPane, monitorBesidesLog } from '../components/log-pane.js';
import { nextLevel } from '../components/log-view.js';
import { MonitorStatus, statusRows } from '../components/monitor-status.js';
import { NODE_PANEL_ROWS, NodePanel } from '../components/node-panel.js';
import { ProgramTable } from '../components/program-table.js';
import { useKeys, useLatestInput } from '../hooks/use-keys.js';
import { type Binding, keyName } from '../keymap.js';

export const MONITOR_KEYS = {
  down: { keys: ['j', 'down'], hint: 'j/k select', help: 'select the next program' },
  up: { keys: ['k', 'up'], help: 'select the previous program' },
  restart: { keys: ['r'], hint: 'r restart', help: 'restart it (asks y)' },
  stop: { keys: ['x'], hint: 'x stop', help: 'stop it (asks y)' },
  start: { keys: ['s'], hint: 's start', help: 'start, or recover FATAL (asks y)' },
  follow: { keys: ['f', 'space'], hint: 'f follow', help: 'pause or follow the log' },
  search: { keys: ['/'], hint: '/ search', help: 'search (n, N: next, previous)' },
  filter: { keys: ['&'], hint: '& filter', help: 'only the lines matching the search, or all again' },
  nextMatch: { keys: ['n'], help: 'next match' },
  prevMatch: { keys: ['N'], help: 'previous match' },
  level: { keys: ['l'], hint: 'l level', help: 'level: warnings+, errors, all' },
  logUp: { keys: ['pageup', 'K'], help: 'scroll the log back' },
  logDown: { keys: ['pagedown', 'J'], help: 'scroll the log forward' },
  logTop: { keys: ['g'], help: 'oldest line kept' },
  logBottom: { keys: ['G'], help: 'newest line, following' },
  history: { keys: ['h'], hint: 'h exits', help: 'its exits, newest first' },
  nextError: { keys: ['e'], hint: 'e/E error', help: 'the next error in the log' },
  prevError: { keys: ['E'], help: 'the previous error in the log' },
  wrap: { keys: ['w'], help: 'wrap long lines, or cut them' },
  timestamps: { keys: ['t'], help: "show or hide each line's time" },
  save: {
    keys: ['ctrl-s'],
    hint: '^s save',
    help: 'save the lines kept to a file',
  },
} satisfies Record<string, Binding>;

/** Rows above the log besides the status lines and the programs: the table's header, history, log title. */
const CHROME_ROWS = 3 + NODE_PANEL_ROWS;

export function MonitorScreen({
  width,
  height,
  keysActive,
}: {
  readonly width: number;
  readonly height: number;
  readonly keysActive: boolean;
}) {
  // Not redrawn for the log's lines: the pane below follows them on its own.
  const m = useAppStoreWith((s) => s.monitor, monitorBesidesLog);
  const selected = useAppStore((s) => s.selected);
  const warning = useAppStore((s) => s.warning);
  const a = useAppStore((s) => s.actions);
  const store = useAppStoreApi();
  const [showExits, setShowExits] = useState(false);
  const logHeight = Math.max(
    2,
    height - CHROME_ROWS - statusRows(warning, Boolean(m?.services?.length)) - Math.max(1, m?.programs.length ?? 0),
  );
  // The log's matches and level as they are when a key arrives (the pane draws them; this screen does not).
  const matchesNow = () => logWindow(store.getState().logRing, store.getState().log, logHeight).matches;

  // The search box takes every key while it is open: asked as each key arrives, so that `/` and what is
  // typed after it in the same read (a paste, a fast typist over SSH) all reach the box. Registered before
  // the screen's keys: the `/` that opens the box is not typed into it.
  useLatestInput(
    (input, key) => {
      const now = store.getState();
      if (!now.log.typing) return;
      const k = keyName(input, key);
      if (k === 'enter') {
        const matches = matchesNow();
        a.closeSearch(true);
        a.nextMatch(-1, matches);
      } else if (k === 'escape') a.closeSearch(false);
      else if (k === 'backspace') a.eraseSearch();
      // Several characters can arrive in one read (a paste, a fast typist over SSH): take them all.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is kept out
      else if (input && !key.ctrl && !key.meta && !/[\x00-\x1f]/.test(input)) a.typeSearch(input);
    },
    { isActive: keysActive },
  );
  useKeys(
    MONITOR_KEYS,
    {
      down: () => a.select(1),
      up: () => a.select(-1),
      restart: () => a.askAction('restart'),
      stop: () => a.askAction('stop'),
      start: () => a.askAction('start'),
      follow: a.toggleFollow,
      search: a.openSearch,
      filter: a.toggleFilter,
      nextMatch: () => a.nextMatch(1, matchesNow()),
      prevMatch: () => a.nextMatch(-1, matchesNow()),
      level: () => a.setMinSeverity(nextLevel(store.getState().log.minSeverity)),
      logUp: () => a.scrollLog(-(logHeight - 1), logHeight),
      logDown: () => a.scrollLog(logHeight - 1, logHeight),
      logTop: () => a.logTop(logHeight),
      logBottom: a.logBottom,
      history: () => setShowExits((v) => !v),
      nextError: () => a.jumpToError(1),
      prevError: () => a.jumpToError(-1),
      wrap: a.toggleWrap,
      timestamps: a.toggleTimestamps,
      save: a.saveLog,
    },
    keysActive,
    () => !store.getState().log.typing,
  );

  if (!m) return <Text>connecting to supervisord…</Text>;
  const p = m.programs[selected];
  // supervisord's clock, as the uptimes: the exits' times come from its log. With no program, the moment of
  // the engine's last look (the screen reads no clock of its own).
  const nowMs = p ? p.now * 1000 : (m.health.checkedAt ?? m.updatedAt ?? 0);
  return (
    <Box flexDirection="column" height={height}>
      <MonitorStatus m={m} warning={warning} nowMs={nowMs} />
      <ProgramTable programs={m.programs} selected={selected} stale={m.stale} width={width} nowMs={nowMs} />
      {p ? <HistoryLine program={p} nowMs={nowMs} width={width} /> : <Text> </Text>}
      <NodePanel node={m.node} process={processLine(p, m, nowMs)} width={width} />
      {showExits ? (
        <ExitList program={p} nowMs={nowMs} width={width} height={logHeight + 1} />
      ) : (
        <LogPane program={p?.namespec ?? null} width={width} height={logHeight} />
      )}
    </Box>
  );
}
