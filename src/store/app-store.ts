/**
 * The TUI's state: which screen, the wizard's data, the monitor's data, and the actions that change them.
 * A vanilla zustand store built per app with its services injected, so tests hand in fakes and screens only
 * read state and call actions (side effects start here, never during render).
 */
import { createStore } from 'zustand/vanilla';
import { errorLine } from '../cli/error-line.js';
import type { Detection } from '../core/detect/detect.js';
import type { MigrationEvent, MigrationResult } from '../core/migration/apply.js';
import type { Interruption } from '../core/migration/interruption.js';
import type { Plan } from '../core/migration/plan.js';
import type { LogRing } from '../core/monitor/log-ring.js';
import type { Action, ActionOutcome, MonitorData } from '../core/monitor/monitor-data.js';
import { type ApplyActions, createApplyActions, type Operation } from './apply-run.js';
import { createLogViewActions, FRESH_LOG, type LogViewActions, type LogViewState, shown } from './log-view.js';

export type Screen = 'interrupted' | 'detect' | 'preview' | 'apply' | 'done' | 'monitor';

export interface StepView {
  readonly id: string;
  readonly title: string;
  readonly status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  readonly ms?: number;
  readonly detail?: string;
}

/** What the store needs from the world; the CLI wires real ones, tests fakes. */
export interface AppServices {
  detect(): Promise<Detection>;
  plan(): Promise<Plan>;
  /** The plan for another critical unit (containerd, etcd...) moved along with kubelet. */
  planUnit?(unit: string): Promise<Plan>;
  migrate(plan: Plan, onEvent: (e: MigrationEvent) => void, signal: AbortSignal): Promise<MigrationResult>;
  /** Carries the interrupted migration's journal on from its first unfinished step. */
  resume(onEvent: (e: MigrationEvent) => void, signal: AbortSignal): Promise<MigrationResult>;
  /** Rolls the journal's migration back (ok when every step of it succeeded). */
  rollback(onEvent: (e: MigrationEvent) => void): Promise<MigrationResult>;
  /** A migration or rollback left half-way on the node, if any. */
  interruption(): Promise<Interruption | null>;
  /** Starts the monitor; returns the log ring it fills and a way to stop it. */
  startMonitor(onData: (d: MonitorData) => void): {
    log: LogRing;
    follow(name: string | null): void;
    act(a: Action, name: string): Promise<ActionOutcome>;
    stop(): void;
  };
  /** What stands on the node (an interrupted migration, drift since the migration), if anything. */
  nodeWarning?(): Promise<string | null>;
  /** Writes a program's log lines to a new file; says where. */
  saveLog?(program: string, lines: readonly string[]): Promise<string>;
  readonly isRoot: boolean;
  readonly hostname: string;
}

export interface Confirm {
  readonly message: string;
  readonly run: () => void;
}

export interface AppState {
  readonly screen: Screen;
  readonly help: boolean;
  readonly confirm: Confirm | null;
  readonly notice: { readonly text: string; readonly ok: boolean } | null;
  readonly busy: string | null;
  // wizard
  readonly detection: Detection | null;
  readonly plan: Plan | null;
  /** Other critical units chosen on the detect screen, to move before kubelet (their units' names). */
  readonly chosenUnits: readonly string[];
  /** Their plans, in the order they are applied (all before kubelet's `plan`). */
  readonly otherPlans: readonly Plan[];
  readonly error: string | null;
  readonly previewTab: number;
  readonly previewScroll: number;
  readonly steps: StepView[];
  readonly rollbackLines: string[];
  readonly result: MigrationResult | null;
  /** What is changing the node on the apply screen. */
  readonly operation: Operation;
  /** A stop was asked for: the current step finishes, then the rollback. */
  readonly stopping: boolean;
  /** The migration or rollback left half-way that the first screen offers to finish. */
  readonly interruption: Interruption | null;
  // monitor
  readonly monitor: MonitorData | null;
  readonly warning: string | null;
  readonly selected: number;
  readonly log: LogViewState;
  readonly logRing: LogRing | null;
  readonly actions: AppActions;
}

export interface AppActions extends LogViewActions, ApplyActions {
  runDetect(): Promise<void>;
  /** Chooses (or drops) another critical unit to move along with kubelet. */
  toggleUnit(unit: string): void;
  toPreview(): Promise<void>;
  back(): void;
  setPreviewTab(delta: number): void;
  scrollPreview(delta: number): void;
  /** Looks for an interrupted migration; shows the screen that offers to finish it when there is one. */
  checkInterruption(): Promise<boolean>;
  startMonitor(): void;
  stopMonitor(): void;
  select(delta: number): void;
  askAction(action: Action): void;
  setConfirm(c: Confirm | null): void;
  setNotice(notice: { text: string; ok: boolean }): void;
  toggleHelp(): void;
  dismissNotice(): void;
  /** The log lines the pane holds after its filter and search, to a file; the notice says where. */
  saveLog(): void;
}

export function createAppStore(services: AppServices, initial: { screen: Screen }) {
  let monitor: ReturnType<AppServices['startMonitor']> | null = null;
  let pending: MonitorData | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

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
          const plan = await services.plan();
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
          if (flushTimer) return;
          flushTimer = setTimeout(() => {
            flushTimer = null;
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
        if (flushTimer) clearTimeout(flushTimer);
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
