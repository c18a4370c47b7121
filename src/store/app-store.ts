/**
 * The TUI's state: which screen, the wizard's data, the monitor's data, and the actions that change them.
 * A vanilla zustand store built per app with its services injected, so tests hand in fakes and screens only
 * read state and call actions (side effects start here, never during render).
 */
import { createStore } from 'zustand/vanilla';
import { errorLine } from '../core/errors.js';
import { nextWatchdogChoice } from '../core/migration/plan/agent.js';
import type { Plan } from '../core/migration/plan/plan.js';
import { createApplyActions } from './apply-run.js';
import { createLogViewActions, FRESH_LOG } from './log-view.js';
import { createMonitorActions } from './monitor-actions.js';
import type { AppActions, AppServices, AppState, Screen } from './types.js';

export type {
  AppActions,
  AppServices,
  AppState,
  Confirm,
  MonitorActionRecord,
  Operation,
  Screen,
  StepView,
} from './types.js';

type Get = () => AppState;
type Set = (patch: Partial<AppState>) => void;

/** The wizard before it changes anything: detect, the units chosen along with kubelet, the plans, the preview. */
function createWizardActions(
  services: AppServices,
  get: Get,
  set: Set,
): Pick<
  AppActions,
  'runDetect' | 'toggleUnit' | 'toPreview' | 'setPreviewTab' | 'scrollPreview' | 'checkInterruption' | 'cycleWatchdog'
> {
  return {
    async runDetect() {
      set({ busy: 'detecting how kubelet is started…', error: null });
      try {
        set({ detection: await services.detect(), busy: null });
      } catch (error) {
        set({ busy: null, error: errorLine(error) });
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
        const watchdog = get().watchdog;
        const plan = await (watchdog ? services.plan(watchdog) : services.plan());
        // The other units in the order the node lists them (runtimes, then etcd): each before kubelet.
        const order = get().detection?.node.otherUnits.map((o) => o.unit) ?? [];
        const chosen = order.filter((u) => get().chosenUnits.includes(u));
        const otherPlans: Plan[] = [];
        for (const unit of chosen) if (services.planUnit) otherPlans.push(await services.planUnit(unit));
        set({ plan, otherPlans, busy: null, screen: 'preview', previewTab: 0, previewScroll: 0 });
      } catch (error) {
        set({ busy: null, error: errorLine(error) });
      }
    },
    setPreviewTab(delta) {
      const n = [...get().otherPlans, get().plan].reduce((sum, p) => sum + (p?.files.length ?? 0), 0) + 1;
      set({ previewTab: (get().previewTab + delta + n) % n, previewScroll: 0 });
    },
    scrollPreview(delta) {
      set({ previewScroll: Math.max(0, get().previewScroll + delta) });
    },
    async cycleWatchdog() {
      const watchdog = nextWatchdogChoice(get().watchdog ?? { kind: 'default' });
      set({ busy: 'planning…', error: null });
      try {
        set({ plan: await services.plan(watchdog), watchdog, busy: null });
      } catch (error) {
        set({ busy: null, error: errorLine(error) });
      }
    },
    async checkInterruption() {
      const interruption = await services.interruption().catch(() => null);
      const stands = interruption !== null && interruption.runningPid === null;
      set({ interruption: stands ? interruption : null, ...(stands ? { screen: 'interrupted' } : {}) });
      return stands;
    },
  };
}

export function createAppStore(services: AppServices, initial: { screen: Screen }) {
  return createStore<AppState>()((set, get) => {
    const actions: AppActions = {
      back() {
        const s = get();
        if (s.help) return set({ help: false });
        if (s.confirm) return set({ confirm: null });
        if (s.log.typing) return actions.closeSearch(false);
        // A kept search: esc clears it, and the log follows again.
        if (s.screen === 'monitor' && s.log.query) return actions.clearSearch();
        if (s.screen === 'preview') set({ screen: 'detect', error: null });
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
      ...createWizardActions(services, get, set),
      ...createMonitorActions(services, get, set),
      ...createLogViewActions(get, set),
      ...createApplyActions(services, get, set),
    };
    return {
      screen: initial.screen,
      help: false,
      confirm: null,
      notice: null,
      monitorActions: [],
      busy: null,
      detection: null,
      plan: null,
      chosenUnits: [],
      otherPlans: [],
      error: null,
      previewTab: 0,
      previewScroll: 0,
      watchdog: null,
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
