/**
 * supervisord's programs: state (coloured, and a word), pid, uptime, restarts, last exit. As the terminal
 * narrows, the name shrinks first (to 8), then UPTIME goes, then PID; state, restarts and the last exit stay,
 * the last exit cut at its end (its time and how it ended come first).
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { endedBy } from '../../core/monitor/exit-history.js';
import { type ProgramRow, uptimeSeconds } from '../../core/monitor/monitor-data.js';
import { shortClock, stateWord, uptimeWord } from '../../core/monitor/words.js';
import { truncate } from '../../core/text.js';
import { stateColor } from '../theme.js';

type Column = 'name' | 'state' | 'pid' | 'uptime' | 'restarts' | 'exit';
const HEAD: Record<Column, string> = {
  name: 'PROGRAM',
  state: 'STATE',
  pid: 'PID',
  uptime: 'UPTIME',
  restarts: 'RESTARTS',
  exit: 'LAST EXIT',
};
/** `WAITING 12s` and `EXITED?` fit the state; a pid up to 4194304 (pid_max), `2d 04h` the uptime. */
const FIXED: Record<Exclude<Column, 'name' | 'exit'>, number> = { state: 11, pid: 7, uptime: 7, restarts: 8 };
const MIN_NAME = 8;
const MIN_EXIT = 18;

/** The columns shown and their widths at this width: each followed by one space, after a 2-column marker. */
export function tableColumns(width: number, longestName: number): [Column, number][] {
  const optional: Column[] = ['uptime', 'pid'];
  for (let dropped = 0; dropped <= optional.length; dropped++) {
    const gone = optional.slice(0, dropped);
    const fixed = Object.entries(FIXED).filter(([c]) => !gone.includes(c as Column));
    const used = 2 + fixed.reduce((sum, [, w]) => sum + w + 1, 0);
    const room = width - used - 1;
    if (room < MIN_NAME + 1 + MIN_EXIT && dropped < optional.length) continue;
    const name = Math.max(MIN_NAME, Math.min(longestName, room - 1 - MIN_EXIT, 32));
    const exit = Math.max(1, room - name - 1);
    const cols: [Column, number][] = [['name', name], ...(fixed as [Column, number][]), ['exit', exit]];
    return cols;
  }
  return [];
}

const cell = (text: string, width: number) => truncate(text, width).padEnd(width);

function ProgramRows({
  programs,
  selected,
  stale,
  width,
  nowMs,
}: {
  readonly programs: readonly ProgramRow[];
  readonly selected: number;
  readonly stale: boolean;
  readonly width: number;
  readonly nowMs: number;
}) {
  const columns = tableColumns(width, Math.max(0, ...programs.map((p) => p.namespec.length)));
  const line = (cells: Record<Column, string>, from: number, to: number) =>
    columns
      .slice(from, to)
      .map(([c, w]) => cell(cells[c], w))
      .join(' ');
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {'  '}
        {line(HEAD, 0, columns.length)}
      </Text>
      {programs.length === 0 ? <Text dimColor> (no programs configured)</Text> : null}
      {programs.map((p, i) => {
        const deadPid = p.pidAlive === false && p.state === 'RUNNING';
        const last = p.history.lastExit;
        const cells: Record<Column, string> = {
          name: p.namespec,
          state: deadPid ? 'EXITED?' : stateWord(p.state, p.waiting),
          pid: p.pid ? String(p.pid) : '-',
          uptime: p.waiting ? '-' : uptimeWord(uptimeSeconds(p)),
          restarts: String(p.history.restarts),
          exit: last ? `${shortClock(last.time, nowMs)} ${endedBy(last)}` : '-',
        };
        return (
          <Text key={p.namespec} wrap="truncate-end" inverse={i === selected} dimColor={stale}>
            {i === selected ? '› ' : '  '}
            {line(cells, 0, 1)}{' '}
            <Text color={stale ? undefined : stateColor(deadPid ? 'EXITED' : p.waiting ? 'BACKOFF' : p.state)}>
              {line(cells, 1, 2)}
            </Text>{' '}
            {line(cells, 2, columns.length)}
          </Text>
        );
      })}
    </Box>
  );
}

/** Its rows change with a poll, not with each log line: not redrawn then. */
export const ProgramTable = memo(ProgramRows);
