/**
 * The selected program's exits over time: one line with its restarts, a strip of the last hour and a
 * flapping badge; and, in place of the log when asked (h), every exit newest first with how long it ran.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { exitLines, exitStrip, isFlapping } from '../../core/monitor/exit-history.js';
import type { ProgramRow } from '../../core/monitor/monitor-data.js';
import { plural } from '../../core/monitor/words.js';
import { truncate } from '../../core/text.js';

const STRIP_COLOR = { crash: 'red', expected: 'yellow', none: undefined } as const;
const STRIP_CHAR = { crash: 'X', expected: 'o', none: '·' } as const;

function HistoryStrip({
  program,
  nowMs,
  width,
}: {
  readonly program: ProgramRow;
  readonly nowMs: number;
  readonly width: number;
}) {
  const flapping = isFlapping(program.history.exits, nowMs);
  const badge = flapping ? ' FLAPPING ' : '';
  const restarts = `${program.namespec}: ${plural(program.history.restarts, 'restart')}`;
  // The count and FLAPPING are never cut: the words around them shorten first, then the strip narrows.
  const room = width - badge.length - 1;
  // The agent's counts run since it began (kept across supervisord's restarts), the log's since supervisord's start.
  const since = program.history.source === 'agent' ? 'counted by kubesup-agent' : 'since supervisord started';
  const long = `${restarts} ${since} · last hour `;
  const head = long.length + 12 <= room ? long : `${restarts} · last hour `;
  const cells = Math.min(60, room - head.length);
  const strip = cells >= 6 ? exitStrip(program.history.exits, nowMs, cells) : [];
  // Runs of the same mark as one span each: a quiet hour is one span, not sixty (each span costs every frame).
  const runs: { cell: (typeof strip)[number]; text: string; at: number }[] = [];
  strip.forEach((cell, at) => {
    const last = runs.at(-1);
    if (last?.cell === cell) last.text += STRIP_CHAR[cell];
    else runs.push({ cell, text: STRIP_CHAR[cell], at });
  });
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{strip.length ? head : truncate(restarts, room)}</Text>
      {runs.map((r) => (
        <Text key={r.at} color={STRIP_COLOR[r.cell]} dimColor={r.cell === 'none'}>
          {r.text}
        </Text>
      ))}
      {flapping ? (
        <Text color="red" inverse>
          {strip.length ? badge : ` ${badge.trim()} `}
        </Text>
      ) : null}
    </Text>
  );
}

export function ExitList({
  program,
  nowMs,
  width,
  height,
}: {
  readonly program: ProgramRow | undefined;
  readonly nowMs: number;
  readonly width: number;
  readonly height: number;
}) {
  const exits = program?.history.exits ?? [];
  const lines = exitLines(exits, nowMs, Math.max(0, height - 1), program?.history.requests);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">
        {truncate(
          `${program?.namespec ?? '-'} exits, newest first (${plural(exits.length, 'exit')} kept) · h: back to the log`,
          width,
        )}
      </Text>
      {lines.length === 0 ? (
        <Text dimColor>
          {program?.history.source === 'agent' ? 'no exits recorded' : 'no exits since supervisord started'}
        </Text>
      ) : null}
      {lines.map((line) => (
        <Text key={`${line.time}:${line.text}`} wrap="truncate-end" color={line.crash ? 'red' : undefined}>
          {truncate(line.text, width)}
        </Text>
      ))}
    </Box>
  );
}

/** Its strip moves with the program's exits and the clock of a poll, not with each log line. */
export const HistoryLine = memo(HistoryStrip);
