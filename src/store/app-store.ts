/**
 * The TUI's state: which screen, the wizard's data, the monitor's data, and the actions that change them.
 * A vanilla zustand store built per app with its services injected, so tests hand in fakes and screens only
 * read state and call actions (side effects start here, never during render).
 */
import { createStore } from 'zustand/vanilla';
import type { Detection } from '../core/detect/detect.js';
import type { MigrationEvent, MigrationResult } from '../core/migration/apply.js';
import type { Plan } from '../core/migration/plan.js';
import type { LogRing } from '../core/monitor/log-ring.js';
import type { Action, ActionOutcome, MonitorData } from '../core/monitor/monitor-data.js';
import { createLogViewActions, FRESH_LOG, type LogViewActions, type LogViewState } from './log-view.js';

export type Screen = 'detect' | 'preview' | 'apply' | 'done' | 'monitor';

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
  migrate(plan: Plan, onEvent: (e: MigrationEvent) => void): Promise<MigrationResult>;
  /** Starts the monitor; returns the log ring it fills and a way to stop it. */
  startMonitor(onData: (d: MonitorData) => void): {
    log: LogRing;
    follow(name: string | null): void;
    act(a: Action, name: string): Promise<ActionOutcome>;
    stop(): void;
  };
  /** Why the monitored node is not what its unit says (drift since the migration), if it is not. */
  driftWarning?(): Promise<string | null>;
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
  readonly error: string | null;
  readonly previewTab: number;
  readonly previewScroll: number;
  readonly steps: StepView[];
  readonly rollbackLines: string[];
  readonly result: MigrationResult | null;
  // monitor
  readonly monitor: MonitorData | null;
  readonly warning: string | null;
  readonly selected: number;
  readonly log: LogViewState;
  readonly logRing: LogRing | null;
  readonly actions: AppActions;
}

export interface AppActions extends LogViewActions {
  runDetect(): Promise<void>;
  toPreview(): Promise<void>;
  back(): void;
  setPreviewTab(delta: number): void;
  scrollPreview(delta: number): void;
  askApply(): void;
  startMonitor(): void;
  stopMonitor(): void;
  select(delta: number): void;
  askAction(action: Action): void;
  setConfirm(c: Confirm | null): void;
  toggleHelp(): void;
  dismissNotice(): void;
}

export function createAppStore(services: AppServices, initial: { screen: Screen }) {
  let monitor: ReturnType<AppServices['startMonitor']> | null = null;
  let pending: MonitorData | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  return createStore<AppState>()((set, get) => {
    const followSelected = () => {
      const m = get().monitor;
      const p = m?.programs[get().selected];
      monitor?.follow(p ? p.namespec : null);
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
      async toPreview() {
        set({ busy: 'planning…', error: null });
        try {
          const plan = await services.plan();
          set({ plan, busy: null, screen: 'preview', previewTab: 0, previewScroll: 0 });
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
        const n = (get().plan?.files.length ?? 0) + 1;
        set({ previewTab: (get().previewTab + delta + n) % n, previewScroll: 0 });
      },
      scrollPreview(delta) {
        set({ previewScroll: Math.max(0, get().previewScroll + delta) });
      },
      askApply() {
        const plan = get().plan;
        if (!plan) return;
        if (!services.isRoot) return set({ notice: { text: 'must run as root to change the node', ok: false } });
        set({
          confirm: {
            message: `Apply this plan to ${services.hostname}? ${plan.steps.length} steps; rolled back by itself if anything fails`,
            run: () => {
              set({
                confirm: null,
                screen: 'apply',
                steps: plan.steps.map((s) => ({ id: s.id, title: s.title, status: 'pending' })),
                rollbackLines: [],
                result: null,
              });
              void services
                .migrate(plan, (e) => {
                  const patch = (id: string, v: Partial<StepView>) =>
                    set({ steps: get().steps.map((s) => (s.id === id ? { ...s, ...v } : s)) });
                  if (e.type === 'step-start') patch(e.step.id, { status: 'running' });
                  else if (e.type === 'step-done')
                    patch(e.step.id, {
                      status: e.skipped ? 'skipped' : 'done',
                      ms: e.ms,
                      ...(e.detail ? { detail: e.detail } : {}),
                    });
                  else if (e.type === 'step-failed') patch(e.step.id, { status: 'failed', detail: e.error });
                  else if (e.type === 'rollback-step')
                    set({
                      rollbackLines: [
                        ...get().rollbackLines,
                        `${e.ok ? '✓' : '✗'} ${e.title}${e.detail && !e.ok ? `: ${e.detail}` : ''}`,
                      ],
                    });
                })
                .then(
                  (result) => set({ result, screen: result.ok ? 'done' : 'apply' }),
                  (error: Error) =>
                    set({ result: { ok: false, healthzGapMs: null, error: error.message, rolledBack: false } }),
                );
            },
          },
        });
      },
      startMonitor() {
        if (monitor) return set({ screen: 'monitor' });
        monitor = services.startMonitor((d) => {
          // Batch: the engine may report many times a second; the screen redraws at most every 100 ms.
          pending = d;
          if (flushTimer) return;
          flushTimer = setTimeout(() => {
            flushTimer = null;
            const first = get().monitor === null;
            set({ monitor: pending, logRing: monitor?.log ?? null });
            if (first) followSelected();
          }, 100);
        });
        set({ screen: 'monitor', logRing: monitor.log, log: FRESH_LOG });
        void services.driftWarning?.().then(
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
      dismissNotice() {
        set({ notice: null });
      },
      ...createLogViewActions(get, set),
    };
    return {
      screen: initial.screen,
      help: false,
      confirm: null,
      notice: null,
      busy: null,
      detection: null,
      plan: null,
      error: null,
      previewTab: 0,
      previewScroll: 0,
      steps: [],
      rollbackLines: [],
      result: null,
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
