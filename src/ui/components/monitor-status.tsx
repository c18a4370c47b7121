/** The monitor's top lines: supervisord (or why it cannot be reached), kubelet's healthz, the node's warning. */
import { Text } from 'ink';
import { memo } from 'react';
import type { MonitorData } from '../../core/monitor/monitor-data.js';
import { formatClock, healthWord, uptimeWord } from '../../core/monitor/words.js';

/** Rows taken: supervisord, healthz, the moved units' health when there are some, the warning when there is one. */
export const statusRows = (warning: string | null, services = false) => 2 + (warning ? 1 : 0) + (services ? 1 : 0);

/** kubelet's healthz in words: ok and how fast, or what failed and since when it was last ok. */
function healthzWords(h: NonNullable<MonitorData['health']['result']>, sinceOk: string): string {
  if (h.ok) return `ok ${Math.round(h.latencyMs)} ms`;
  return `${healthWord(h).toUpperCase()}: ${h.error ?? `HTTP ${h.status}`}${sinceOk}`;
}

function StatusLines({
  m,
  warning,
  nowMs,
}: {
  readonly m: MonitorData;
  readonly warning: string | null;
  readonly nowMs: number;
}) {
  const h = m.health.result;
  // From the engine's own look, not the screen's moment: the failing check is when "ago" was true.
  const { lastOkAt, checkedAt } = m.health;
  const sinceOk =
    h?.ok || checkedAt === null
      ? ''
      : lastOkAt === null
        ? ' (not ok since the monitor opened)'
        : ` (last ok ${uptimeWord((checkedAt - lastOkAt) / 1000)} ago)`;
  return (
    <>
      {!m.connected ? (
        <Text color="red" inverse wrap="truncate-end">
          {' '}
          {m.stale ? `STALE${m.updatedAt === null ? '' : ` since ${formatClock(m.updatedAt, nowMs)}`} · ` : ''}
          supervisord unreachable, reconnecting: {m.problem}{' '}
        </Text>
      ) : (
        <Text wrap="truncate-end">
          {/* What qualifies the counts before the address: a narrow screen cuts the address. */}
          supervisord <Text color="green">{m.supervisord?.statename}</Text> pid {m.supervisordPid}
          {m.historyComplete ? '' : <Text color="yellow"> · restart counts partial (main log rotated)</Text>}
          {m.agentWarning ? <Text color="yellow"> · agent-state.json unusable</Text> : ''} · {m.url}
        </Text>
      )}
      <Text wrap="truncate-end">
        kubelet healthz{' '}
        {h ? <Text color={h.ok ? 'green' : 'red'}>{healthzWords(h, sinceOk)}</Text> : <Text dimColor>checking…</Text>}
        <Text dimColor> · {m.health.url}</Text>
      </Text>
      {m.services?.length ? (
        <Text wrap="truncate-end">
          {m.services.map((x, i) => (
            <Text key={x.unit}>
              {i ? ' · ' : ''}
              {x.program}{' '}
              <Text color={x.health === 'ok' ? 'green' : 'red'}>
                {x.health === 'ok' ? 'ok' : `FAILING: ${x.detail}`}
              </Text>
            </Text>
          ))}
        </Text>
      ) : null}
      {warning ? (
        <Text color="yellow" wrap="truncate-end">
          ! {warning}
        </Text>
      ) : null}
    </>
  );
}

/** What the lines read of the data: a log line changes none of it, and so does not redraw them. */
const SHOWN = [
  'connected',
  'stale',
  'updatedAt',
  'problem',
  'supervisord',
  'supervisordPid',
  'historyComplete',
  'agentWarning',
  'url',
  'health',
  'services',
] as const satisfies readonly (keyof MonitorData)[];

export const MonitorStatus = memo(
  StatusLines,
  (a, b) => a.warning === b.warning && a.nowMs === b.nowMs && SHOWN.every((k) => a.m[k] === b.m[k]),
);
