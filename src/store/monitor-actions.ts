/**
 * The store's part that watches: the monitor's data (its redraws batched on the injected clock), the selected
 * program whose log is followed, the actions on it after y, and its log saved to a file.
 */
import type { MonitorData } from '../core/monitor/monitor-data.js';
import { FRESH_LOG, shown } from './log-view.js';
import type { AppActions, AppServices, AppState } from './types.js';

/** How long an action's result stays on screen when nothing else happens. */
const RESULT_MS = 5000;

/** Unexpected exits of every program: one more is the next event, which an older result must not outlive. */
const crashes = (m: MonitorData | null) =>
  m?.programs.reduce((n, p) => n + p.history.exits.filter((e) => !e.expected).length, 0) ?? 0;

type Get = () => AppState;
type Set = (patch: Partial<AppState>) => void;

export function createMonitorActions(
  services: AppServices,
  get: Get,
  set: Set,
): Pick<AppActions, 'startMonitor' | 'stopMonitor' | 'select' | 'askAction' | 'saveLog'> {
  let monitor: ReturnType<AppServices['startMonitor']> | null = null;
  let pending: MonitorData | null = null;
  let cancelFlush: (() => void) | null = null;
  let lastFlush = Number.NEGATIVE_INFINITY;
  /** An action's result on screen: it goes after a few seconds, or at the next crash. */
  let result: { notice: AppState['notice']; crashes: number; cancel: () => void } | null = null;
  const dropResult = () => {
    result?.cancel();
    if (result && get().notice === result.notice) set({ notice: null });
    result = null;
  };
  const showResult = (notice: NonNullable<AppState['notice']>) => {
    dropResult();
    set({ notice });
    const cancel = services.clock.schedule(dropResult, RESULT_MS);
    result = { notice, crashes: crashes(get().monitor), cancel };
  };

  /**
   * Follow the selected program's log. Decided on every batch of data, whatever came first: a first batch
   * holding only kubelet's health (supervisord slow to answer on a loaded node) must not leave the log
   * following nothing for good. A batch without programs (supervisord restarting) changes nothing.
   */
  const followSelected = () => {
    const p = get().monitor?.programs[get().selected];
    if (p) monitor?.follow(p.namespec);
  };
  return {
    startMonitor() {
      if (monitor) return set({ screen: 'monitor' });
      monitor = services.startMonitor((d) => {
        // Batch: the engine may report many times a second; the screen redraws at most every 100 ms. After a
        // quiet spell at once: a log line must be on screen within 250 ms of kubelet writing it.
        pending = d;
        if (cancelFlush) return;
        const wait = Math.max(0, lastFlush + 100 - services.clock.now());
        cancelFlush = services.clock.schedule(() => {
          cancelFlush = null;
          lastFlush = services.clock.now();
          if (result && crashes(pending) > result.crashes) dropResult();
          set({ monitor: pending, logRing: monitor?.log ?? null });
          followSelected();
        }, wait);
      });
      set({ screen: 'monitor', logRing: monitor.log, log: FRESH_LOG });
      void services.nodeWarning?.().then(
        (warning) => set({ warning }),
        () => undefined,
      );
    },
    stopMonitor() {
      cancelFlush?.();
      cancelFlush = null;
      result?.cancel();
      monitor?.stop();
      monitor = null;
    },
    select(delta) {
      const n = get().monitor?.programs.length ?? 0;
      if (!n) return;
      set({ selected: Math.min(n - 1, Math.max(0, get().selected + delta)), log: FRESH_LOG });
      followSelected();
    },
    askAction(action) {
      const p = get().monitor?.programs[get().selected];
      if (!p || !monitor) return;
      const m = monitor;
      const verb = p.state === 'FATAL' && action === 'start' ? 'recover (start) FATAL' : action;
      set({
        confirm: {
          message: `${verb} ${p.namespec}?`,
          run: () => {
            set({ confirm: null, busy: `${action} ${p.namespec}…` });
            void m.act(action, p.namespec).then((o) => {
              const record = { time: services.clock.now(), action, program: p.namespec, ok: o.ok, message: o.message };
              set({ busy: null, monitorActions: [...get().monitorActions, record] });
              showResult({ text: o.message, ok: o.ok });
            });
          },
        },
      });
    },
    saveLog() {
      const { log, logRing, monitor: m, selected } = get();
      // The pane shows the selected program's log.
      const program = m?.programs[selected]?.namespec;
      if (!program || !logRing || !services.saveLog) return;
      const q = log.query.toLowerCase();
      const lines = shown(logRing, log)
        .filter((l) => !q || l.text.toLowerCase().includes(q))
        .map((l) => l.text);
      const which = [
        log.minSeverity === 'info' ? null : `level ≥ ${log.minSeverity}`,
        q ? `matching "${log.query}"` : null,
      ]
        .filter(Boolean)
        .join(', ');
      services.saveLog(program, lines).then(
        // The path first: it is what the notice is for, and a narrow screen cuts the end.
        (path) =>
          set({ notice: { text: `saved ${lines.length} lines to ${path}${which ? ` (${which})` : ''}`, ok: true } }),
        (error: Error) => set({ notice: { text: `could not save the log: ${error.message}`, ok: false } }),
      );
    },
  };
}
