/**
 * The store's part that changes the node: a migration, the resume of an interrupted one, or a rollback,
 * each asked for with y first, shown step by step, stoppable (a confirmed stop rolls back), and awaitable
 * (a TUI whose terminal went away lets it finish before it exits).
 */
import type { MigrationEvent, MigrationResult } from '../core/migration/apply/apply.js';
import type { Plan, PlanStep } from '../core/migration/plan/plan.js';
import type { ApplyActions, AppServices, AppState, Operation, StepView } from './types.js';

const unitName = (p: Plan) => p.service.unit.replace(/\.service$/, '');

type Get = () => AppState;
type Set = (patch: Partial<AppState>) => void;

export function createApplyActions(services: AppServices, get: Get, set: Set): ApplyActions {
  let controller: AbortController | null = null;
  let running: Promise<void> | null = null;

  const onEvent = (e: MigrationEvent) => {
    const patch = (id: string, v: Partial<StepView>) =>
      set({ steps: get().steps.map((s) => (s.id === id ? { ...s, ...v } : s)) });
    if (e.type === 'step-start') patch(e.step.id, { status: 'running' });
    else if (e.type === 'step-done') {
      patch(e.step.id, { status: e.skipped ? 'skipped' : 'done', ms: e.ms, ...(e.detail ? { detail: e.detail } : {}) });
    } else if (e.type === 'step-failed') patch(e.step.id, { status: 'failed', detail: e.error });
    else if (e.type === 'rollback-step') {
      const line = `${e.ok ? '✓' : '✗'} ${e.title}${e.detail && !e.ok ? `: ${e.detail}` : ''}`;
      set({ rollbackLines: [...get().rollbackLines, line] });
    }
  };

  const run = (
    operation: Operation,
    steps: readonly PlanStep[],
    start: (signal: AbortSignal) => Promise<MigrationResult>,
  ) => {
    controller = new AbortController();
    set({
      confirm: null,
      screen: 'apply',
      operation,
      stopping: false,
      steps: steps.map((s) => ({ id: s.id, title: s.title, status: 'pending' })),
      rollbackLines: [],
      result: null,
    });
    running = start(controller.signal)
      .then(
        (result) => set({ result, screen: result.ok && operation !== 'rollback' ? 'done' : 'apply' }),
        (error: Error) => set({ result: { ok: false, healthzGapMs: null, error: error.message, rolledBack: false } }),
      )
      .finally(() => {
        controller = null;
        running = null;
      });
  };

  /**
   * Each plan in turn, each with its own journal: a unit that fails is rolled back by itself and the next is
   * not begun (the ones before it stay moved, each a complete migration of its own).
   */
  const applyInTurn = async (plans: readonly Plan[], signal: AbortSignal): Promise<MigrationResult> => {
    let last: MigrationResult = { ok: true, healthzGapMs: null, error: null, rolledBack: false };
    for (const p of plans) {
      const unit = p.service.unit;
      if (signal.aborted) {
        const done = plans.slice(0, plans.indexOf(p)).map(unitName);
        const rest = plans.slice(plans.indexOf(p)).map(unitName);
        const error = `stopped before ${rest.join(', ')} (not begun); ${done.join(', ')} stay under supervisord`;
        return { ok: false, healthzGapMs: null, error, rolledBack: true };
      }
      const prefixed = (e: MigrationEvent) =>
        onEvent('step' in e ? { ...e, step: { ...e.step, id: `${unit}:${e.step.id}` } } : e);
      last = await services.migrate(p, prefixed, signal);
      if (!last.ok) {
        const before = plans.slice(0, plans.indexOf(p)).map(unitName);
        const kept = before.length ? ` (${before.join(', ')} stay under supervisord)` : '';
        return { ...last, error: `${unitName(p)}: ${last.error ?? 'failed'}${kept}` };
      }
    }
    return last;
  };

  const ask = (message: string, go: () => void) => {
    if (!services.isRoot) return set({ notice: { text: 'must run as root to change the node', ok: false } });
    set({ confirm: { message, run: go } });
  };

  return {
    askApply() {
      const plan = get().plan;
      if (!plan) return;
      const others = get().otherPlans;
      if (!others.length)
        return ask(
          `Apply this plan to ${services.hostname}? ${plan.steps.length} steps; ` +
            'rolled back by itself if anything fails',
          () => run('migrate', plan.steps, (signal) => services.migrate(plan, onEvent, signal)),
        );
      const plans = [...others, plan];
      const names = plans.map(unitName);
      const steps = plans.flatMap((p) =>
        p.steps.map((st) => ({ ...st, id: `${p.service.unit}:${st.id}`, title: `${unitName(p)}: ${st.title}` })),
      );
      ask(
        `Apply ${names.length} plans to ${services.hostname}, ${names.join(', then ')}? ${steps.length} steps; ` +
          'each unit rolled back by itself if anything of it fails, and the next not begun',
        () => run('migrate', steps, (signal) => applyInTurn(plans, signal)),
      );
    },
    askResume() {
      const i = get().interruption;
      if (i?.what !== 'migration') return;
      ask(
        `Resume the migration: ${i.remaining.length} steps left of ${i.total}; rolled back by itself if anything fails`,
        () => {
          // The plan carried on is the journal's: the done screen shows its files.
          set({ plan: i.journal.plan });
          run('resume', i.journal.plan.steps, (signal) =>
            services.resume(i.journal.plan.service.unit, onEvent, signal),
          );
        },
      );
    },
    askRollback() {
      const i = get().interruption;
      if (!i) return;
      const plan = i.journal.plan;
      ask(`Roll back: ${unitName(plan)} back under systemd, every file and link restored as it was`, () =>
        run('rollback', [], () => services.rollback(plan.service.unit, onEvent)),
      );
    },
    stopApply() {
      if (!controller) return;
      controller.abort();
      set({ confirm: null, stopping: true });
    },
    whenIdle() {
      return running ?? Promise.resolve();
    },
  };
}
