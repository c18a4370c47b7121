/** supervisord's programs: state (coloured, and a word), pid, uptime, restarts, last exit. */
import { Box, Text } from 'ink';
import { endedBy } from '../../core/monitor/exit-history.js';
import { type ProgramRow, uptimeSeconds } from '../../core/monitor/monitor-data.js';
import { formatClock, stateWord, uptimeWord } from '../../core/monitor/words.js';
import { stateColor } from '../theme.js';

function row(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) =>
      c.length > (widths[i] as number) ? `${c.slice(0, (widths[i] as number) - 1)}…` : c.padEnd(widths[i] as number),
    )
    .join(' ');
}

export function ProgramTable({
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
  // Narrow terminals drop the last-exit column first, then shrink the name.
  const wide = width >= 90;
  // Cells are joined by one space, after a 2-column selection marker: the sum must stay under the width.
  const widths = wide ? [Math.max(8, width - 67), 9, 8, 11, 8, 22] : [Math.max(8, width - 43), 9, 8, 11, 8];
  const head = wide
    ? ['PROGRAM', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'LAST EXIT']
    : ['PROGRAM', 'STATE', 'PID', 'UPTIME', 'RESTARTS'];
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {'  '}
        {row(head, widths)}
      </Text>
      {programs.length === 0 ? <Text dimColor> (no programs configured)</Text> : null}
      {programs.map((p, i) => {
        const deadPid = p.pidAlive === false && p.state === 'RUNNING';
        const state = deadPid ? 'EXITED?' : stateWord(p.state, p.waiting);
        const cells = [
          p.namespec,
          state,
          p.pid ? String(p.pid) : '-',
          uptimeWord(uptimeSeconds(p)),
          String(p.history.restarts),
          p.history.lastExit ? `${formatClock(p.history.lastExit.time, nowMs)} ${endedBy(p.history.lastExit)}` : '-',
        ];
        const text = row(wide ? cells : cells.slice(0, 5), widths);
        const [name, ...rest] = [text.slice(0, (widths[0] as number) + 1), text.slice((widths[0] as number) + 1)];
        return (
          <Text key={p.namespec} wrap="truncate-end" inverse={i === selected} dimColor={stale}>
            {i === selected ? '› ' : '  '}
            {name}
            <Text color={stale ? undefined : stateColor(deadPid ? 'EXITED' : p.waiting ? 'BACKOFF' : p.state)}>
              {state.padEnd(10)}
            </Text>
            {rest.join('').slice(10)}
          </Text>
        );
      })}
    </Box>
  );
}
