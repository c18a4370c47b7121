/** The live monitor: programs, kubelet health, the selected program's restart history and log. */
import { Box, Text } from 'ink';
import React from 'react';
import { formatDuration } from '../../core/monitor/words.js';
import { useApp } from '../../store/store-context.js';
import { LogView, type LogWindow } from '../components/log-view.js';
import { ProgramTable } from '../components/program-table.js';

export function MonitorScreen({ width, height, window, logHeight }: { readonly width: number; readonly height: number; readonly window: LogWindow; readonly logHeight: number }) {
  const m = useApp((s) => s.monitor);
  const selected = useApp((s) => s.selected);
  const view = useApp((s) => s.log);
  const warning = useApp((s) => s.warning);
  if (!m) return <Text>connecting to supervisord…</Text>;
  const p = m.programs[selected];
  const h = m.health.result;
  const sinceOk = m.health.lastOkAt && !h?.ok ? ` (last ok ${formatDuration((Date.now() - m.health.lastOkAt) / 1000)} ago)` : '';
  const exits = p?.history.exits.slice(-3).reverse() ?? [];
  return (
    <Box flexDirection="column" height={height}>
      {!m.connected ? (
        <Text color="red" inverse wrap="truncate-end">
          {' '}{m.stale ? 'STALE · ' : ''}supervisord unreachable, reconnecting: {m.problem}{' '}
        </Text>
      ) : (
        <Text wrap="truncate-end">
          supervisord <Text color="green">{m.supervisord?.statename}</Text> pid {m.supervisordPid} · {m.url}
          {m.historyComplete ? '' : <Text color="yellow"> · restart counts partial (main log rotated)</Text>}
        </Text>
      )}
      <Text wrap="truncate-end">
        kubelet healthz{' '}
        {h ? (
          <Text color={h.ok ? 'green' : 'red'}>{h.ok ? `ok ${Math.round(h.latencyMs)} ms` : `FAILING: ${h.error ?? `HTTP ${h.status}`}${sinceOk}`}</Text>
        ) : (
          <Text dimColor>checking…</Text>
        )}
        <Text dimColor> · {m.health.url}</Text>
      </Text>
      {warning ? (
        <Text color="yellow" wrap="truncate-end">
          ! {warning}
        </Text>
      ) : null}
      <ProgramTable programs={m.programs} selected={selected} stale={m.stale} width={width} />
      {p ? (
        <Text wrap="truncate-end" dimColor>
          {p.namespec}: {p.history.restarts} restarts since supervisord started
          {exits.length ? ` · last exits: ${exits.map((e) => `${new Date(e.time).toLocaleTimeString()} ${e.signal ?? `exit ${e.status}`}${e.duringStart ? ' (at start)' : ''}`).join(', ')}` : ''}
        </Text>
      ) : null}
      <LogView window={window} view={view} width={width} height={logHeight} title={`${p?.namespec ?? '-'} log${m.logNotice ? ` · ${m.logNotice}` : ''}`} />
    </Box>
  );
}
