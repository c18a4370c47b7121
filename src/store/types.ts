/** The store's types: its state, its actions and the services it is handed, apart so its modules share them. */
import type { Detection } from '../core/detect/detect.js';
import type { Clock } from '../core/host.js';
import type { MigrationEvent, MigrationResult } from '../core/migration/apply/apply.js';
import type { Interruption } from '../core/migration/journal/interruption.js';
import type { WatchdogChoice } from '../core/migration/plan/agent.js';
import type { Plan } from '../core/migration/plan/plan.js';
import type { LogRing } from '../core/monitor/log-ring.js';
import type { Action, ActionOutcome, MonitorData } from '../core/monitor/monitor-data.js';
import type { LogViewActions, LogViewState } from './log-view.js';

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
  /** The plan for kubelet; with a watchdog choice (the preview's `w`), that one instead of the command line's. */
  plan(watchdog?: WatchdogChoice): Promise<Plan>;
  /** The plan for another critical unit (containerd, etcd...) moved along with kubelet. */
  planUnit?(unit: string): Promise<Plan>;
  migrate(plan: Plan, onEvent: (e: MigrationEvent) => void, signal: AbortSignal): Promise<MigrationResult>;
  /** Carries the interrupted migration's journal on from its first unfinished step. */
  resume(unit: string, onEvent: (e: MigrationEvent) => void, signal: AbortSignal): Promise<MigrationResult>;
  /** Rolls the journal's migration back (ok when every step of it succeeded). */
  rollback(unit: string, onEvent: (e: MigrationEvent) => void): Promise<MigrationResult>;
  /** A migration or rollback left half-way on the node, if any. */
  interruption(): Promise<Interruption | null>;
  /** kubelet's migration finished on this node (its journal says migrated). */
  kubeletMigrated(): Promise<boolean>;
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
  /** The store's timers (the monitor's redraw batching). */
  readonly clock: Clock;
  readonly isRoot: boolean;
  readonly hostname: string;
}

export interface MonitorActionRecord {
  /** The store's clock, in ms since the epoch. */
  readonly time: number;
  readonly action: Action;
  readonly program: string;
  readonly ok: boolean;
  readonly message: string;
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
  /** What was asked from the monitor (start, stop, restart) and how it went: the session's summary lists it. */
  readonly monitorActions: readonly MonitorActionRecord[];
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
  /** kubelet's watchdog as chosen in the preview (`w`); null: as the command line said. */
  readonly watchdog: WatchdogChoice | null;
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

export type Operation = 'migrate' | 'resume' | 'rollback';

export interface ApplyActions {
  askApply(): void;
  /** Resume the interrupted migration (its remaining steps), after y. */
  askResume(): void;
  /** Roll the interrupted migration back, after y. */
  askRollback(): void;
  /** Stop after the current step and roll back (asked for by q or Ctrl-C, confirmed). */
  stopApply(): void;
  /** Settles when nothing is changing the node. */
  whenIdle(): Promise<void>;
}

export interface AppActions extends LogViewActions, ApplyActions {
  runDetect(): Promise<void>;
  /** Chooses (or drops) another critical unit to move along with kubelet. */
  toggleUnit(unit: string): void;
  toPreview(): Promise<void>;
  back(): void;
  setPreviewTab(delta: number): void;
  scrollPreview(delta: number): void;
  /** The next watchdog choice for kubelet (core's nextWatchdogChoice), planned again. */
  cycleWatchdog(): Promise<void>;
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
