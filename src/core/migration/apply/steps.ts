/**
 * What each kind of plan step does. Every step is safe to run again: a run killed at any moment resumes from
 * the journal, and a step met half-done finishes (a file already as planned, a program already added).
 */
import posix from 'node:path/posix';
import type { FileMeta, Host } from '../../host.js';
import { ignoreFaults, isFault } from '../../supervisor/client.js';
import { FaultCode } from '../../supervisor/xmlrpc.js';
import { systemctl } from '../../systemd/systemctl.js';
import { unitState } from '../../systemd/unit-state.js';
import { sha256 } from '../journal/digest.js';
import { backupDir, type Journal, saveJournal } from '../journal/journal.js';
import type { Plan, PlannedFile, PlanStep } from '../plan/plan.js';
import { compileAgent, startAgent } from './agent-steps.js';
import type { GapMeter } from './gap-meter.js';
import { MigrationStepFailed, waitForSupervisor, withSupervisor } from './supervisor-link.js';
import { copyFiles } from './tool-steps.js';
import { verifyMigration } from './verify.js';

export interface StepContext {
  readonly host: Host;
  readonly plan: Plan;
  readonly journal: Journal;
  readonly gap: GapMeter;
  readonly verifyTimeoutMs: number;
}

/** Where a chain of links ends (the path itself when it is no link); a loop ends after 40 links. */
async function linkEnd(host: Host, path: string): Promise<string> {
  let at = path;
  for (let i = 0; i < 40; i++) {
    const target = await host.files.readLink(at);
    if (target === undefined) return at;
    at = posix.resolve(posix.dirname(at), target);
  }
  throw new MigrationStepFailed(`${path} is a loop of links`);
}

/**
 * The mode to write: as planned, but never open to group or others where the file it replaces was not (a
 * wrapper made 0700 by its owner stays so).
 */
const noMoreOpen = (planned: number, before: FileMeta | null | undefined) =>
  before ? planned & ~(0o077 & ~before.mode) : planned;

/**
 * Writes a planned file, keeping the original (bytes, mode, owner, hash) in the journal's backups first. The
 * file is root's whoever owned the one it replaces. supervisord's config is written through a link (configuration
 * management keeps it one: its target is written, the link stays); any other link at a planned path is replaced
 * by the file, and put back as that link by rollback, its target untouched.
 */
async function backupThenWrite(c: StepContext, file: PlannedFile): Promise<string> {
  const { host, journal } = c;
  const { content } = file;
  const path = file.role === 'supervisor-config' ? await linkEnd(host, file.path) : file.path;
  const link = await host.files.readLink(path);
  const current = link === undefined ? await host.files.read(path) : undefined;
  if (current && current.toString('utf8') === content) return 'already as planned';
  if (!(path in journal.backups)) {
    const meta = current ? await host.writer.stat(path) : undefined;
    let backup: string | null = null;
    if (current) {
      backup = `${backupDir(journal.plan)}${path}`;
      await host.writer.writeAtomic(backup, current, { mode: 0o600 });
    }
    journal.backups[path] = {
      backup,
      meta: meta ?? null,
      sha256: current ? sha256(current) : null,
      ...(link !== undefined ? { link } : {}),
    };
    await saveJournal(host, journal);
  }
  const record = journal.backups[path];
  await host.writer.writeAtomic(path, content, { mode: noMoreOpen(file.mode, record?.meta), uid: 0, gid: 0 });
  if (record?.link !== undefined) return `link to ${record.link} replaced (put back by rollback)`;
  return current ? 'replaced (backup kept)' : 'created';
}

/** supervisord re-reads its config: the kubelet program must be among what it found (nothing starts yet). */
async function reread(c: StepContext): Promise<string> {
  const { plan } = c;
  return withSupervisor(c.host, plan, async (supervisor) => {
    let changes: Awaited<ReturnType<typeof supervisor.reloadConfig>>;
    try {
      changes = await supervisor.reloadConfig();
    } catch (error) {
      if (isFault(error, FaultCode.CANT_REREAD))
        throw new MigrationStepFailed(`supervisord cannot read its config: ${error.faultString}`);
      throw error;
    }
    const present = (await supervisor.getAllProcessInfo()).some((p) => p.group === plan.program);
    if (!changes.added.includes(plan.program) && !changes.changed.includes(plan.program) && !present) {
      throw new MigrationStepFailed(
        `supervisord did not pick up ${plan.supervisor.programFile}: check its [include] files`,
      );
    }
    return `added: ${changes.added.join(', ') || '-'}`;
  });
}

async function addProgram(c: StepContext): Promise<string> {
  const { plan } = c;
  return withSupervisor(c.host, plan, async (supervisor) => {
    try {
      await supervisor.addProcessGroup(plan.program);
      return 'added; supervisord starts it (autostart)';
    } catch (error) {
      if (!isFault(error, FaultCode.ALREADY_ADDED)) throw error;
      // Resumed after a kill: already there; make sure it runs.
      await supervisor.startProcess(plan.program, false).catch(ignoreFaults(FaultCode.ALREADY_STARTED));
      return 'already added';
    }
  });
}

async function startSupervisorUnit(c: StepContext): Promise<string> {
  const { host, plan } = c;
  const active = (await unitState(host.runner, plan.supervisor.unit)).active === 'active';
  if (!active) {
    await systemctl(host.runner, ['start', plan.supervisor.unit]);
    await waitForSupervisor(host, plan, 30_000);
    return `started ${plan.supervisor.unit}`;
  }
  // Already running (e.g. the package's postinst started it): load only the kubelet program.
  await waitForSupervisor(host, plan, 30_000);
  await withSupervisor(host, plan, async (supervisor) => {
    await supervisor.reloadConfig();
    await supervisor.addProcessGroup(plan.program).catch(ignoreFaults(FaultCode.ALREADY_ADDED));
  });
  return `${plan.supervisor.unit} was running: kubelet program added`;
}

/** Carries out one step; returns a detail for people, or undefined. Throws when the step failed. */
export async function runStep(step: PlanStep, c: StepContext): Promise<string | undefined> {
  const { host, plan } = c;
  switch (step.kind) {
    case 'install-supervisor': {
      const r = await host.runner.run(step.command[0] as string, step.command.slice(1), { timeoutMs: 600_000 });
      if (r.exitCode !== 0) {
        const lastLine = (r.stderr || r.stdout).trim().split('\n').at(-1) ?? '';
        throw new MigrationStepFailed(`${step.command.join(' ')} failed (exit ${r.exitCode}): ${lastLine}`);
      }
      if (!(await host.files.read(plan.supervisor.config)))
        throw new MigrationStepFailed(`supervisord was installed but ${plan.supervisor.config} is not there`);
      return 'installed';
    }
    case 'mkdir':
      await host.writer.mkdirp(step.path, 0o755);
      return undefined;
    case 'write': {
      const f = plan.files.find((x) => x.path === step.path);
      if (!f) throw new MigrationStepFailed(`the plan has no content for ${step.path}`);
      return backupThenWrite(c, f);
    }
    case 'write-files': {
      const details: string[] = [];
      for (const path of step.paths) {
        const f = plan.files.find((x) => x.path === path);
        if (!f) throw new MigrationStepFailed(`the plan has no content for ${path}`);
        details.push(await backupThenWrite(c, f));
      }
      const counts = new Map<string, number>();
      for (const d of details) counts.set(d, (counts.get(d) ?? 0) + 1);
      return [...counts].map(([d, n]) => `${n} ${d}`).join(', ');
    }
    case 'systemctl':
      await systemctl(host.runner, step.args, step.okExitCodes);
      return undefined;
    case 'supervisor-reread':
      return reread(c);
    case 'stop-systemd-unit':
    case 'stop-systemd-kubelet':
      c.gap.start();
      await systemctl(host.runner, ['stop', plan.service.unit]);
      return undefined;
    case 'supervisor-add':
      return addProgram(c);
    case 'supervisor-start-unit':
      return startSupervisorUnit(c);
    case 'verify':
      return verifyMigration(host, plan, c.gap, c.verifyTimeoutMs);
    case 'agent-compile':
      return compileAgent(host, step);
    case 'agent-start':
      return startAgent(host, plan);
    case 'copy-files':
      return copyFiles(host, step);
  }
}
