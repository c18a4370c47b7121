/**
 * The TUI's state: which screen, the wizard's data, the monitor's data, and the actions that change them.
 * A vanilla zustand store built per app with its services injected, so tests hand in fakes and screens only
 * read state and call actions (side effects start here, never during render).
 */
import { createStore } from 'zustand/vanilla';
import type { Plan } from '../core/migration/plan.js';
import type { MonitorData } from '../core/monitor/monitor-data.js';
import { createApplyActions } from './apply-run.js';
import { createLogViewActions, FRESH_LOG, shown } from './log-view.js';
import type { AppActions, AppServices, AppState, Screen } from './types.js';

export type { AppActions, AppServices, AppState, Confirm, Operation, Screen, StepView } from './types.js';

export function createAppStore(services: AppServices, initial: { screen: Screen }) {
  let monitor: ReturnType<AppServices['startMonitor']> | null = null;
  let pending: MonitorData | null = null;
  let cancelFlush: (() => void) | null = null;

  return createStore<AppState>()((set, get) => {
    /**
     * Follow the selected program's log. Decided on every batch of data, whatever came first: a first batch
     * holding only kubelet's health (supervisord slow to answer on a loaded node) must not leave the log
     * following nothing for good. A batch without programs (supervisord restarting) changes nothing.
     */
    const followSelected = () => {
      const p = get().monitor?.programs[get().selected];
      if (p) monitor?.follow(p.namespec);
    };
    const actions: AppActions = {
      async runDetect() {
        set({ busy: 'detecting how kubelet is started…', error: null });
        try {
          set({ detection: await services.detect(), busy: null });
        } catch (error) {
          set({ busy: null, error: (error as Error).message });
        }
      },
      toggleUnit(unit) {
        if (!services.planUnit) return;
        const chosen = get().chosenUnits;
        set({ chosenUnits: chosen.includes(unit) ? chosen.filter((u) => u !== unit) : [...chosen, unit] });
      },
      async toPreview() {
        set({ busy: 'planning…', error: null });
        try {
          const plan = await services.plan();
          // The other units in the order the node lists them (runtimes, then etcd): each before kubelet.
          const order = get().detection?.node.otherUnits.map((o) => o.unit) ?? [];
          const chosen = order.filter((u) => get().chosenUnits.includes(u));
          const otherPlans: Plan[] = [];
          for (const unit of chosen) if (services.planUnit) otherPlans.push(await services.planUnit(unit));
          set({ plan, otherPlans, busy: null, screen: 'preview', previewTab: 0, previewScroll: 0 });
        } catch (error) {
          set({ busy: null, error: (error as Error).message });
        }
      },
      back() {
        const s = get();
        if (s.help) return set({ help: false });
        if (s.confirm) return set({ confirm: null });
        if (s.log.typing) return actions.closeSearch(false);
        if (s.screen === 'preview') set({ screen: 'detect', error: null });
      },
      setPreviewTab(delta) {
        const n = [...get().otherPlans, get().plan].reduce((sum, p) => sum + (p?.files.length ?? 0), 0) + 1;
        set({ previewTab: (get().previewTab + delta + n) % n, previewScroll: 0 });
      },
      scrollPreview(delta) {
        set({ previewScroll: Math.max(0, get().previewScroll + delta) });
      },
      async checkInterruption() {
        const interruption = await services.interruption().catch(() => null);
        const stands = interruption !== null && interruption.runningPid === null;
        set({ interruption: stands ? interruption : null, ...(stands ? { screen: 'interrupted' } : {}) });
        return stands;
      },
      startMonitor() {
        if (monitor) return set({ screen: 'monitor' });
        monitor = services.startMonitor((d) => {
          // Batch: the engine may report many times a second; the screen redraws at most every 100 ms.
          pending = d;
          if (cancelFlush) return;
          cancelFlush = services.clock.schedule(() => {
            cancelFlush = null;
            set({ monitor: pending, logRing: monitor?.log ?? null });
            followSelected();
          }, 100);
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
              void m.act(action, p.namespec).then((o) => set({ busy: null, notice: { text: o.message, ok: o.ok } }));
            },
          },
        });
      },
      setConfirm(c) {
        set({ confirm: c });
      },
      toggleHelp() {
        set({ help: !get().help });
      },
      setNotice(notice) {
        set({ notice });
      },
      dismissNotice() {
        set({ notice: null });
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
      ...createLogViewActions(get, set),
      ...createApplyActions(services, get, set),
    };
    return {
      screen: initial.screen,
      help: false,
      confirm: null,
      notice: null,
      busy: null,
      detection: null,
      plan: null,
      chosenUnits: [],
      otherPlans: [],
      error: null,
      previewTab: 0,
      previewScroll: 0,
      steps: [],
      rollbackLines: [],
      result: null,
      operation: 'migrate',
      stopping: false,
      interruption: null,
      monitor: null,
      warning: null,
      selected: 0,
      log: FRESH_LOG,
      logRing: null,
      actions,
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;
