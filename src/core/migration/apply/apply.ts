/**
 * Carries out a Plan from its journal, step by step, saving the journal around every step.
 *
 * Order keeps kubelet's downtime short: everything is written and supervisord has re-read its config before
 * the systemd kubelet stops; then supervisord adds and starts only the kubelet program (other programs keep
 * their pid: supervisord itself is never restarted). A failed step ends apply; the session (session.ts)
 * then rolls back.
 */

import { ToolError } from '../../errors.js';
import { probeHealth } from '../../health/probe.js';
import type { Host } from '../../host.js';
import { RpcFault } from '../../supervisor/xmlrpc.js';
import { type Journal, saveJournal } from '../journal/journal.js';
import type { PlanStep } from '../plan/plan.js';
import { GapMeter } from './gap-meter.js';
import { runStep } from './steps.js';

export type MigrationEvent =
  | { readonly type: 'step-start'; readonly step: PlanStep; readonly resumed: boolean }
  | {
      readonly type: 'step-done';
      readonly step: PlanStep;
      readonly ms: number;
      readonly detail?: string;
      readonly skipped?: boolean;
    }
  | { readonly type: 'step-failed'; readonly step: PlanStep; readonly error: string }
  | { readonly type: 'rollback-start'; readonly reason: string }
  | { readonly type: 'rollback-step'; readonly title: string; readonly ok: boolean; readonly detail?: string }
  | { readonly type: 'rollback-done'; readonly ok: boolean };

export type OnMigrationEvent = (e: MigrationEvent) => void;

export interface MigrationResult {
  readonly ok: boolean;
  readonly healthzGapMs: number | null;
  readonly error: string | null;
  readonly rolledBack: boolean;
}

export interface ApplyOptions {
  /** How long verification may take before it counts as failed. */
  readonly verifyTimeoutMs?: number;
  /**
   * The operator's stop (q or Ctrl-C, confirmed): apply ends before its next step, as if that step had failed,
   * so the session rolls back. A step under way is finished first: none is left half-done.
   */
  readonly signal?: AbortSignal;
}

export type ApplyOutcome =
  | { readonly ok: true; readonly healthzGapMs: number | null }
  | { readonly ok: false; readonly error: string };

/**
 * Carries out the journal's plan from its first unfinished step; stops at the first failure
 * (journal state 'failed').
 */
export async function applyPlan(
  host: Host,
  journal: Journal,
  onEvent: OnMigrationEvent,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const plan = journal.plan;
  const health = plan.service.health;
  const gap = new GapMeter(async () => (await probeHealth(host, health, 1000)).ok, host.clock);
  const at = () => new Date(host.clock.now()).toISOString();
  // A resumed run whose systemd service was already stopped measures from now on.
  const stop = plan.steps.find((s) => s.kind === 'stop-systemd-unit' || s.kind === 'stop-systemd-kubelet');
  if (stop && journal.steps[stop.id]?.status === 'done') gap.start();
  const context = { host, plan, journal, gap, verifyTimeoutMs: options.verifyTimeoutMs ?? 60_000 };
  for (const step of plan.steps) {
    const record = journal.steps[step.id];
    if (record?.status === 'done') {
      onEvent({ type: 'step-done', step, ms: 0, skipped: true, detail: 'done in an earlier run' });
      continue;
    }
    onEvent({ type: 'step-start', step, resumed: record?.status === 'running' });
    journal.steps[step.id] = { status: 'running', at: at() };
    await saveJournal(host, journal);
    const started = host.clock.now();
    try {
      if (options.signal?.aborted) throw new ToolError('stopped by the operator before this step');
      const detail = await runStep(step, context);
      const ms = Math.round(host.clock.now() - started);
      journal.steps[step.id] = { status: 'done', at: at(), ms, ...(detail ? { detail } : {}) };
      await saveJournal(host, journal);
      onEvent({ type: 'step-done', step, ms, ...(detail ? { detail } : {}) });
    } catch (error) {
      const message = error instanceof RpcFault ? `supervisord: ${error.faultString}` : (error as Error).message;
      journal.steps[step.id] = { status: 'failed', at: at(), detail: message };
      journal.state = 'failed';
      journal.error = `${step.title}: ${message}`;
      await saveJournal(host, journal);
      onEvent({ type: 'step-failed', step, error: message });
      await gap.stop();
      return { ok: false, error: journal.error };
    }
  }
  journal.healthzGapMs = await gap.stop();
  journal.state = 'migrated';
  await saveJournal(host, journal);
  return { ok: true, healthzGapMs: journal.healthzGapMs };
}
