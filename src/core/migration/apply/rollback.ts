/**
 * The exact inverse of a migration, from its journal: the supervisord program removed (other programs
 * untouched), every file the migration created removed and every file it replaced restored byte for byte,
 * kubelet.service unmasked, enabled as before and running again.
 */

import { ExternalFailure, ToolError } from '../../errors.js';
import { healthTarget, probeHealth } from '../../health/probe.js';
import type { Host } from '../../host.js';
import { systemctl } from '../../systemd/systemctl.js';
import { enableLinks, type UnitLink } from '../../systemd/unit-links.js';
import { unitState } from '../../systemd/unit-state.js';
import { sha256 } from '../journal/digest.js';
import { type BackupRecord, type Journal, saveJournal } from '../journal/journal.js';
import type { Plan } from '../plan/plan-model.js';
import { startLinePaths } from '../plan/start-line.js';
import { TOOL_DIR } from '../plan/tool-copy.js';
import { agentRollback } from './agent-steps.js';
import type { OnMigrationEvent } from './apply.js';
import { handOver, keepsChildrenAlive, keptWhy, outlivingChildren } from './shim-handover.js';
import { makeSupervisorLetGo, SupervisorHoldsProgram, supervisedProcesses } from './supervisor-hold.js';
import { withSupervisor } from './supervisor-link.js';
import { madeToolCopy, removeToolCopy, toolCopyUsers } from './tool-steps.js';

async function attempt(onEvent: OnMigrationEvent, title: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    const detail = await fn();
    onEvent({ type: 'rollback-step', title, ok: true, ...(typeof detail === 'string' && detail ? { detail } : {}) });
    return true;
  } catch (error) {
    onEvent({ type: 'rollback-step', title, ok: false, detail: (error as Error).message });
    return false;
  }
}

/** Puts the unit's enable links back as recorded, and removes any other link to it that appeared since. */
async function restoreLinks(host: Host, unit: string, links: readonly UnitLink[]): Promise<string> {
  for (const link of await enableLinks(host.files, unit)) {
    if (!links.some((l) => l.path === link.path)) await host.writer.remove(link.path);
  }
  for (const link of links) {
    if ((await host.files.readLink(link.path)) !== link.target) await host.writer.symlink(link.target, link.path);
  }
  return links.map((l) => `${l.path} -> ${l.target}`).join(', ');
}

type Step = (title: string, fn: () => Promise<unknown>) => Promise<void>;

/**
 * A file the migration wrote, undone: removed when it created it, restored byte for byte when it replaced one
 * (checked against the recorded hash); kept when changed since the migration wrote it, and the step says so.
 */
async function undoWrite(host: Host, plan: Plan, path: string, record: BackupRecord, step: Step): Promise<void> {
  const written = plan.files.find((f) => f.path === path)?.content;
  const now = record.backup ? await host.files.read(path).catch(() => undefined) : undefined;
  if (record.backup && now && written !== undefined && now.toString('utf8') !== written) {
    await step(`keep ${path}`, async () => 'left as it is now: changed since the migration wrote it');
    return;
  }
  await step(record.backup ? `restore ${path}` : `remove ${path}`, async () => {
    if (!record.backup) {
      await host.writer.remove(path);
      return;
    }
    const original = await host.files.read(record.backup);
    if (!original) throw new ToolError(`the backup ${record.backup} is missing`);
    if (record.sha256 && sha256(original) !== record.sha256)
      throw new ToolError(`the backup ${record.backup} does not match what was saved`);
    await host.writer.writeAtomic(path, original, {
      mode: record.meta?.mode ?? 0o644,
      uid: record.meta?.uid ?? 0,
      gid: record.meta?.gid ?? 0,
    });
  });
}

/** Every step is attempted even when one fails (each says so): as much of the node as possible is restored. */
export async function rollbackMigration(host: Host, journal: Journal, onEvent: OnMigrationEvent): Promise<boolean> {
  const plan = journal.plan;
  journal.state = 'rolling-back';
  await saveJournal(host, journal);
  let ok = true;
  const step = async (title: string, fn: () => Promise<unknown>) => {
    ok = (await attempt(onEvent, title, fn)) && ok;
  };
  const run = async (...args: string[]) => {
    await systemctl(host.runner, args);
  };

  // 1. Only the kubelet program leaves supervisord; while supervisord keeps it, nothing else is undone.
  const supervisorUp = (await unitState(host.runner, plan.supervisor.unit)).active === 'active';
  if (supervisorUp) {
    const released = await attempt(onEvent, `supervisord: stop and remove [program:${plan.program}]`, () =>
      makeSupervisorLetGo(host, plan),
    );
    if (!released) {
      journal.state = 'failed';
      await saveJournal(host, journal);
      onEvent({ type: 'rollback-done', ok: false });
      return false;
    }
  }

  // The face runs (its log forwarder): stopped now, or `systemctl start` below would find it active and start
  // nothing. The program is out of supervisord already, so its ExecStop stops nothing.
  // The wrapper's last good command line goes with it (start-line.ts).
  if (plan.service.face)
    await step(`systemctl stop ${plan.service.unit} (its face)`, async () => {
      await run('stop', plan.service.unit);
      const { lastGood, inputs, failed } = startLinePaths(plan.program);
      for (const p of [lastGood, inputs, failed, `${failed}.err`]) await host.writer.remove(p);
    });
  if (plan.service.face && madeToolCopy(plan)) {
    const users = await toolCopyUsers(host, journal);
    if (!users.length)
      await step(`remove ${TOOL_DIR} (the copy of kubesup-tui that the wrapper ran)`, () => removeToolCopy(host, plan));
  }

  // The agent's shared files stay while another moved unit needs them; the last unit takes them all away.
  const agent = await agentRollback(host, journal, supervisorUp);
  // 2. Files: created ones removed, replaced ones restored byte for byte (checked against the recorded hash),
  // unless changed since the migration wrote them (a package upgrade, kubeadm, an operator): then what is there
  // now stays, and the step says so. Only what the migration itself changed is undone. supervisord's drop-in that
  // keeps containerd's shims alive waits for the end (4).
  for (const path of agent.removeToo) await step(`remove ${path}`, () => host.writer.remove(path));
  const children = outlivingChildren(plan);
  const keptAlive = (path: string) => {
    const file = plan.files.find((f) => f.path === path);
    return children !== null && file !== undefined && keepsChildrenAlive(file);
  };
  const undoFile = (path: string, record: BackupRecord) => undoWrite(host, plan, path, record, step);
  for (const [path, record] of Object.entries(journal.backups)) {
    if (!keptAlive(path) && !agent.keep.has(path)) await undoFile(path, record);
  }
  // Links the migration replaced by its files (removed just above): put back as those links, targets untouched.
  for (const [path, { link }] of Object.entries(journal.backups)) {
    if (link !== undefined && !keptAlive(path))
      await step(`restore the link ${path} -> ${link}`, () => host.writer.symlink(link, path));
  }
  if (supervisorUp) {
    await step('supervisord: reread its config', () =>
      withSupervisor(host, plan, async (supervisor) => void (await supervisor.reloadConfig())),
    );
  }
  await agent.after(step);

  // 3. systemd as it was.
  if (plan.service.mask) await step(`systemctl unmask ${plan.service.unit}`, () => run('unmask', plan.service.unit));
  const links = plan.service.links;
  if (links) {
    // Exactly the links there were, pointing where they pointed: `systemctl enable` may link elsewhere.
    if (links.length || plan.service.wasEnabled) {
      await step(`restore ${plan.service.unit}'s enable links`, () => restoreLinks(host, plan.service.unit, links));
    }
  } else if (plan.service.wasEnabled) {
    await step(`systemctl enable ${plan.service.unit}`, () => run('enable', plan.service.unit));
  }
  await step('systemctl daemon-reload', () => run('daemon-reload'));
  if (!plan.supervisor.wasEnabled && journal.steps['enable-supervisord']?.status === 'done') {
    await step(`systemctl disable ${plan.supervisor.unit}`, () => run('disable', plan.supervisor.unit));
  }
  if (!plan.supervisor.wasRunning && supervisorUp)
    await step(`systemctl stop ${plan.supervisor.unit}`, () => run('stop', plan.supervisor.unit));
  if (plan.service.wasActive) {
    const { unit, health } = plan.service;
    await step(`systemctl start ${unit}`, async () => {
      // The last look before a second one could start: supervisord must not run it now.
      const held = await supervisedProcesses(host, plan);
      if (held.length)
        throw new SupervisorHoldsProgram(
          `not started: supervisord runs [program:${plan.program}] again (pid ${held.map((p) => p.pid).join(', ')})`,
        );
      await run('start', unit);
    });
    // A service without a health endpoint: systemd's is-active is what there is to ask.
    if (health.kind !== 'alive')
      await step(`${unit} answers (${healthTarget(health)}) under systemd`, async () => {
        let last = '';
        for (let i = 0; i < 150; i++) {
          const r = await probeHealth(host, health, 1000);
          if (r.ok) return;
          last = r.detail;
          await host.clock.sleep(200);
        }
        throw new ExternalFailure(`${healthTarget(health)} did not answer within 30 s (${last})`);
      });
  }
  // 4. containerd runs under systemd again: its shims left in supervisord's cgroup move into its own, and only
  // then does the drop-in that kept them alive go (shim-handover.ts).
  for (const [path, record] of Object.entries(journal.backups)) {
    if (!keptAlive(path) || children === null) continue;
    const handedOver = await handOver(host, plan, children, onEvent);
    if (handedOver) {
      await undoFile(path, record);
      const { link } = record;
      if (link !== undefined) await step(`restore the link ${path} -> ${link}`, () => host.writer.symlink(link, path));
      await step('systemctl daemon-reload', () => run('daemon-reload'));
    } else {
      ok = false;
      onEvent({ type: 'rollback-step', title: `keep ${path} (KillMode=process)`, ok: false, detail: keptWhy(plan) });
    }
  }
  journal.state = ok ? 'rolled-back' : 'failed';
  await saveJournal(host, journal);
  onEvent({ type: 'rollback-done', ok });
  return ok;
}
