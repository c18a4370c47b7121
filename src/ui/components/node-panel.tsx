/**
 * Why it crashed, beside the crash: the followed program's CPU, memory, threads and files; the node's load,
 * memory, pressure; the filesystems kubelet evicts on. Yellow when near a threshold, red past it.
 */
import { Text } from 'ink';
import { memo } from 'react';
import { formatBytes } from '../../core/kubelet/eviction.js';
import type { Level, NodeFacts } from '../../core/monitor/node-facts.js';
import { nodeLineWords } from '../../core/monitor/node-words.js';
import type { ProcessLine } from '../../core/monitor/process-line.js';
import { truncate } from '../../core/text.js';

const levelColor = (l: Level) => (l === 'over' ? 'red' : l === 'near' ? 'yellow' : undefined);
const levelMark = (l: Level) => (l === 'ok' ? '' : ` ${l.toUpperCase()}`);

/** Rows the panel takes: usage, node, disks. */
export const NODE_PANEL_ROWS = 3;

function NodePanelRows({
  node,
  process,
  width,
}: {
  readonly node: NodeFacts | null;
  /** The selected program's process: its figures, or its last process's marked as such (process-line.ts). */
  readonly process: ProcessLine;
  readonly width: number;
}) {
  if (!node)
    return <Text dimColor>{truncate('node: sampling… (only when supervisord runs on this node)', width)}</Text>;
  const mem = node.memory;
  const full = nodeLineWords(node, false);
  const mark = mem ? levelMark(mem.level).length : 0;
  const line = full.memory.length + mark + full.rest.length <= width ? full : nodeLineWords(node, true);
  const disks = node.disks.map((d) => ({
    text: `${d.path} ${formatBytes(d.availBytes)} free${levelMark(d.level)}`,
    level: d.level,
  }));
  return (
    <>
      <Text wrap="truncate-end" color={process.past ? 'yellow' : undefined}>
        {truncate(process.text, width)}
      </Text>
      {/* Memory and pressure first: what kills kubelet under load; the rest is cut first on a narrow screen. */}
      <Text wrap="truncate-end">
        <Text color={mem ? levelColor(mem.level) : undefined}>
          {line.memory}
          {mem ? levelMark(mem.level) : ''}
        </Text>
        {line.rest}
      </Text>
      <Text wrap="truncate-end">
        disks:
        {disks.map((d, i) => (
          <Text key={d.text}>
            {i === 0 ? ' ' : ' · '}
            <Text color={levelColor(d.level)}>{d.text}</Text>
          </Text>
        ))}
      </Text>
    </>
  );
}

/** Redrawn when its figures change, not with each log line (the process line is a new object each time). */
export const NodePanel = memo(
  NodePanelRows,
  (a, b) =>
    a.node === b.node && a.width === b.width && a.process.text === b.process.text && a.process.past === b.process.past,
);
