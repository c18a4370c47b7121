/**
 * The monitor's log pane, wired to the store: the only part of the monitor redrawn when lines arrive. A
 * kubelet writes a line or two a second; the rest of the screen (the programs, the node, the keys) is drawn
 * again only when what it shows changes (monitorBesidesLog).
 */
import type { MonitorData } from '../../core/monitor/monitor-data.js';
import { logWindow } from '../../store/log-view.js';
import { useAppStore } from '../../store/store-context.js';
import { LogView } from './log-view.js';

/** What changes with the followed log alone: its lines' version and the note in its title. */
const LOG_FIELDS: ReadonlySet<string> = new Set(['logVersion', 'logNotice'] satisfies (keyof MonitorData)[]);

/** Whether two monitor snapshots differ only in the followed log: the rest of the screen need not redraw. */
export function monitorBesidesLog(a: MonitorData | null, b: MonitorData | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (Object.keys(b) as (keyof MonitorData)[]).every((k) => LOG_FIELDS.has(k) || a[k] === b[k]);
}

export function LogPane({
  program,
  width,
  height,
}: {
  readonly program: string | null;
  readonly width: number;
  readonly height: number;
}) {
  const view = useAppStore((s) => s.log);
  const ring = useAppStore((s) => s.logRing);
  useAppStore((s) => s.monitor?.logVersion); // redraw when lines arrive (at most every 100 ms, batched in the store)
  const notice = useAppStore((s) => s.monitor?.logNotice ?? null);
  const window = logWindow(ring, view, height);
  return (
    <LogView
      window={window}
      view={view}
      width={width}
      height={height}
      title={`${program ?? '-'} log${notice ? ` · ${notice}` : ''}`}
    />
  );
}
