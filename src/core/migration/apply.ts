/**
 * Carries out a Plan, step by step, journaled, verified, and rolled back by itself when anything fails.
 *
 * Order keeps kubelet's downtime short: everything is written and supervisord has re-read its config before
 * the systemd kubelet stops; then supervisord adds and starts only the kubelet program (other programs keep
 * their pid: supervisord itself is never restarted). Every step is safe to run again, so a run killed at any
 * moment resumes from the journal.
 */
import { findKubeletProcesses } from '../kubelet/processes.js';
import { unitState } from '../systemd/unit-state.js';
import type { CommandRunner, FileReader, FileWriter, HttpProbe, ProcessTable, RpcTransport } from '../host.js';
import { createSupervisorApi, toProcessInfo } from '../supervisor/client.js';
import { parseSupervisorConfig, resolveEndpoint } from '../supervisor/config.js';
import { FaultCode, RpcFault, type RpcValue } from '../supervisor/xmlrpc.js';
import { digestSources, saveJournal, sha256, type Journal } from './journal.js';
import { STATE_DIR, type Plan, type PlanStep } from './plan.js';

export interface MigrationDeps {
  readonly files: FileReader;
  readonly writer: FileWriter;
  readonly runner: CommandRunner;
  readonly procs: ProcessTable;
  readonly http: HttpProbe;
  readonly env: Readonly<Record<string, string | undefined>>;
  connect(options: { url: string; username?: string; password?: string; timeoutMs?: number }): RpcTransport & { close(): void };
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** How long verification may take before it counts as failed. */
  readonly verifyTimeoutMs?: number;
}

export type MigrationEvent =
  | { readonly type: 'step-start'; readonly step: PlanStep; readonly resumed: boolean }
  | { readonly type: 'step-done'; readonly step: PlanStep; readonly ms: number; readonly detail?: string; readonly skipped?: boolean }
  | { readonly type: 'step-failed'; readonly step: PlanStep; readonly error: string }
  | { readonly type: 'rollback-start'; readonly reason: string }
  | { readonly type: 'rollback-step'; readonly title: string; readonly ok: boolean; readonly detail?: string }
  | { readonly type: 'rollback-done'; readonly ok: boolean };

export interface MigrationResult {
  readonly ok: boolean;
  readonly healthzGapMs: number | null;
  readonly error: string | null;
  readonly rolledBack: boolean;
}

export class StepFailed extends Error {}

/** Runs systemctl; a non-zero exit fails the step with systemctl's own words. */
export async function systemctl(runner: CommandRunner, args: readonly string[], ok: readonly number[] = [0]): Promise<string> {
  const r = await runner.run('systemctl', args, { timeoutMs: 120_000 });
  if (!ok.includes(r.exitCode)) throw new StepFailed(`systemctl ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

/** supervisord's endpoint from its config now (after an install the config only exists once installed). */
export async function supervisorTransport(deps: MigrationDeps, plan: Plan, timeoutMs = 30_000): Promise<RpcTransport & { close(): void }> {
  const bytes = await deps.files.read(plan.supervisor.config);
  const endpoint = bytes ? resolveEndpoint(parseSupervisorConfig(bytes.toString('utf8'), plan.supervisor.config), deps.env) : undefined;
  const url = endpoint?.url ?? plan.supervisor.url;
  if (!url) throw new StepFailed(`cannot tell how to reach supervisord from ${plan.supervisor.config}`);
  return deps.connect({ url, ...(endpoint?.username ? { username: endpoint.username, password: endpoint.password ?? '' } : {}), timeoutMs });
}

async function waitForSupervisor(deps: MigrationDeps, plan: Plan, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    const t = await supervisorTransport(deps, plan, 5000).catch((e: Error) => {
      last = e.message;
      return null;
    });
    if (t) {
      try {
        const state = (await t.call('supervisor.getState')) as { statename?: string };
        if (state.statename === 'RUNNING') return;
      } catch (error) {
        last = (error as Error).message;
      } finally {
        t.close();
      }
    }
    await deps.sleep(200);
  }
  throw new StepFailed(`supervisord did not come up within ${timeoutMs / 1000} s: ${last}`);
}

/** Watches kubelet's healthz from just before the systemd kubelet stops: how long it did not answer. */
class GapMeter {
  private firstFail: number | null = null;
  private lastFail: number | null = null;
  private okAfterFail: number | null = null;
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly http: HttpProbe,
    private readonly url: string,
  ) {}

  start(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (this.running) {
        const r = await this.http.get(this.url, 1000);
        const t = performance.now();
        if (!r.ok) {
          this.firstFail ??= t;
          this.lastFail = t;
          this.okAfterFail = null;
        } else if (this.firstFail !== null && this.okAfterFail === null) {
          this.okAfterFail = t;
        }
        await new Promise((res) => setTimeout(res, 25));
      }
    })();
  }

  get recovered(): boolean {
    return this.firstFail === null || this.okAfterFail !== null;
  }

  async stop(): Promise<number | null> {
    this.running = false;
    await this.loop;
    if (this.firstFail === null) return 0;
    if (this.okAfterFail === null) return null;
    return Math.round(this.okAfterFail - this.firstFail);
  }
}

async function backupThenWrite(deps: MigrationDeps, journal: Journal, path: string, content: string, mode: number, stamp: string): Promise<string> {
  const current = await deps.files.read(path);
  if (current && current.toString('utf8') === content) return 'already as planned';
  if (!(path in journal.backups)) {
    const meta = current ? await deps.writer.stat(path) : undefined;
    let backup: string | null = null;
    if (current) {
      backup = `${STATE_DIR}/backups/${stamp}${path}`;
      await deps.writer.writeAtomic(backup, current, { mode: 0o600 });
    }
    journal.backups[path] = { backup, meta: meta ?? null, sha256: current ? sha256(current) : null };
    await saveJournal(deps.writer, journal, deps.now());
  }
  const meta = journal.backups[path]?.meta;
  await deps.writer.writeAtomic(path, content, { mode, uid: meta?.uid ?? 0, gid: meta?.gid ?? 0 });
  return current ? 'replaced (backup kept)' : 'created';
}

async function verify(deps: MigrationDeps, plan: Plan, gap: GapMeter): Promise<string> {
  const timeoutMs = deps.verifyTimeoutMs ?? 60_000;
  const until = Date.now() + timeoutMs;
  const t = await supervisorTransport(deps, plan);
  let why = '';
  try {
    while (Date.now() < until) {
      const info = toProcessInfo(await t.call('supervisor.getProcessInfo', [plan.program]));
      if (info.state === 'FATAL' || info.state === 'STOPPED') throw new StepFailed(`${plan.program} is ${info.state} under supervisord: ${info.spawnerr || info.description}`);
      // RUNNING past its start window (startsecs=1), with some margin.
      if (info.state !== 'RUNNING' || info.now - info.start < 2) {
        why = `${plan.program} is ${info.state}`;
      } else {
        const proc = await deps.procs.full(info.pid);
        const argv = proc?.argv ?? [];
        const kubelets = (await findKubeletProcesses(deps.procs)).filter((k) => !k.pidNamespace || k.pidNamespace === proc?.pidNamespace);
        const health = await deps.http.get(plan.kubelet.healthzUrl, 2000);
        if (JSON.stringify(argv) !== JSON.stringify(plan.argv)) why = `the supervised process (pid ${info.pid}) runs ${JSON.stringify(argv.slice(0, 3))}…, not the detected command line`;
        else if (kubelets.length !== 1) why = `${kubelets.length} kubelet processes run (pids ${kubelets.map((k) => k.pid).join(', ')})`;
        else if (!health.ok) why = `healthz at ${plan.kubelet.healthzUrl}: ${health.error ?? `HTTP ${health.status}`}`;
        else if (!gap.recovered) why = 'healthz has not answered yet';
        else return `${plan.program} RUNNING as pid ${info.pid}, healthz ok, same command line, one kubelet`;
      }
      await deps.sleep(200);
    }
  } finally {
    t.close();
  }
  throw new StepFailed(`not healthy within ${timeoutMs / 1000} s: ${why}`);
}

async function runStep(step: PlanStep, plan: Plan, deps: MigrationDeps, journal: Journal, gap: GapMeter, stamp: string): Promise<string | undefined> {
  switch (step.kind) {
    case 'install-supervisor': {
      const r = await deps.runner.run(step.command[0] as string, step.command.slice(1), { timeoutMs: 600_000 });
      if (r.exitCode !== 0) throw new StepFailed(`${step.command.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').at(-1) ?? ''}`);
      if (!(await deps.files.read(plan.supervisor.config))) throw new StepFailed(`supervisord was installed but ${plan.supervisor.config} is not there`);
      return 'installed';
    }
    case 'mkdir':
      await deps.writer.mkdirp(step.path, 0o755);
      return undefined;
    case 'write': {
      const f = plan.files.find((x) => x.path === step.path);
      if (!f) throw new StepFailed(`the plan has no content for ${step.path}`);
      return backupThenWrite(deps, journal, f.path, f.content, f.mode, stamp);
    }
    case 'systemctl':
      await systemctl(deps.runner, step.args, step.okExitCodes);
      return undefined;
    case 'supervisor-reread': {
      const t = await supervisorTransport(deps, plan);
      try {
        const answer = (await t.call('supervisor.reloadConfig')) as string[][][];
        const [added = [], changed = []] = answer[0] ?? [];
        const groups = (await t.call('supervisor.getAllProcessInfo')) as RpcValue[];
        const present = groups.map(toProcessInfo).some((p) => p.group === plan.program);
        if (!added.includes(plan.program) && !changed.includes(plan.program) && !present) {
          throw new StepFailed(`supervisord did not pick up ${plan.supervisor.programFile}: check its [include] files`);
        }
        return `added: ${added.join(', ') || '-'}`;
      } catch (error) {
        if (error instanceof RpcFault && error.code === FaultCode.CANT_REREAD) throw new StepFailed(`supervisord cannot read its config: ${error.faultString}`);
        throw error;
      } finally {
        t.close();
      }
    }
    case 'stop-systemd-kubelet':
      gap.start();
      await systemctl(deps.runner, ['stop', plan.kubelet.unit]);
      return undefined;
    case 'supervisor-add': {
      const t = await supervisorTransport(deps, plan);
      try {
        await t.call('supervisor.addProcessGroup', [plan.program]);
        return 'added; supervisord starts it (autostart)';
      } catch (error) {
        if (!(error instanceof RpcFault && error.code === FaultCode.ALREADY_ADDED)) throw error;
        // Resumed after a kill: already there; make sure it runs.
        await t.call('supervisor.startProcess', [plan.program, false]).catch((e: unknown) => {
          if (!(e instanceof RpcFault && e.code === FaultCode.ALREADY_STARTED)) throw e;
        });
        return 'already added';
      } finally {
        t.close();
      }
    }
    case 'supervisor-start-unit': {
      const active = (await unitState(deps.runner, plan.supervisor.unit)).active === 'active';
      if (!active) {
        await systemctl(deps.runner, ['start', plan.supervisor.unit]);
        await waitForSupervisor(deps, plan, 30_000);
        return `started ${plan.supervisor.unit}`;
      }
      // Already running (e.g. the package's postinst started it): load only the kubelet program.
      await waitForSupervisor(deps, plan, 30_000);
      const t = await supervisorTransport(deps, plan);
      try {
        await t.call('supervisor.reloadConfig');
        await t.call('supervisor.addProcessGroup', [plan.program]).catch((e: unknown) => {
          if (!(e instanceof RpcFault && e.code === FaultCode.ALREADY_ADDED)) throw e;
        });
      } finally {
        t.close();
      }
      return `${plan.supervisor.unit} was running: kubelet program added`;
    }
    case 'verify':
      return verify(deps, plan, gap);
  }
}

export function newJournal(plan: Plan, sourceDigests: Record<string, string | null>, now: Date): Journal {
  return { version: 1, state: 'in-progress', plan, steps: {}, backups: {}, sourceDigests, healthzGapMs: null, error: null, updatedAt: now.toISOString() };
}

export async function startJournal(plan: Plan, deps: MigrationDeps): Promise<Journal> {
  const journal = newJournal(plan, await digestSources(deps.files, plan.kubelet.sources), deps.now());
  await saveJournal(deps.writer, journal, deps.now());
  return journal;
}

/**
 * Carries out the journal's plan from its first unfinished step. On failure, rolls back by itself
 * (through `rollback`, passed in to keep the two halves apart) and reports why.
 */
export async function applyPlan(
  journal: Journal,
  deps: MigrationDeps,
  onEvent: (e: MigrationEvent) => void,
  rollback: (journal: Journal, deps: MigrationDeps, onEvent: (e: MigrationEvent) => void) => Promise<boolean>,
): Promise<MigrationResult> {
  const plan = journal.plan;
  const stamp = plan.createdAt.replace(/[:.]/g, '-');
  const gap = new GapMeter(deps.http, plan.kubelet.healthzUrl);
  // A resumed run whose systemd kubelet was already stopped measures from now on.
  if (journal.steps['stop-kubelet']?.status === 'done') gap.start();
  for (const step of plan.steps) {
    const record = journal.steps[step.id];
    if (record?.status === 'done') {
      onEvent({ type: 'step-done', step, ms: 0, skipped: true, detail: 'done in an earlier run' });
      continue;
    }
    onEvent({ type: 'step-start', step, resumed: record?.status === 'running' });
    journal.steps[step.id] = { status: 'running', at: deps.now().toISOString() };
    await saveJournal(deps.writer, journal, deps.now());
    const started = performance.now();
    try {
      const detail = await runStep(step, plan, deps, journal, gap, stamp);
      const ms = Math.round(performance.now() - started);
      journal.steps[step.id] = { status: 'done', at: deps.now().toISOString(), ms, ...(detail ? { detail } : {}) };
      await saveJournal(deps.writer, journal, deps.now());
      onEvent({ type: 'step-done', step, ms, ...(detail ? { detail } : {}) });
    } catch (error) {
      const message = error instanceof RpcFault ? `supervisord: ${error.faultString}` : (error as Error).message;
      journal.steps[step.id] = { status: 'failed', at: deps.now().toISOString(), detail: message };
      journal.state = 'failed';
      journal.error = `${step.title}: ${message}`;
      await saveJournal(deps.writer, journal, deps.now());
      onEvent({ type: 'step-failed', step, error: message });
      await gap.stop();
      onEvent({ type: 'rollback-start', reason: journal.error });
      const ok = await rollback(journal, deps, onEvent);
      return { ok: false, healthzGapMs: null, error: journal.error, rolledBack: ok };
    }
  }
  journal.healthzGapMs = await gap.stop();
  journal.state = 'migrated';
  await saveJournal(deps.writer, journal, deps.now());
  return { ok: true, healthzGapMs: journal.healthzGapMs, error: null, rolledBack: false };
}
