/**
 * The exact inverse of a migration, from its journal: the supervisord program removed (other programs
 * untouched), every file the migration created removed and every file it replaced restored byte for byte,
 * kubelet.service unmasked, enabled as before and running again.
 */
import { FaultCode, RpcFault } from '../supervisor/xmlrpc.js';
import { unitState } from '../systemd/unit-state.js';
import { supervisorTransport, systemctl as systemctlOrFail, type MigrationDeps, type MigrationEvent } from './apply.js';
import { saveJournal, sha256, type Journal } from './journal.js';

async function attempt(onEvent: (e: MigrationEvent) => void, title: string, fn: () => Promise<string | void>): Promise<boolean> {
  try {
    const detail = await fn();
    onEvent({ type: 'rollback-step', title, ok: true, ...(detail ? { detail } : {}) });
    return true;
  } catch (error) {
    onEvent({ type: 'rollback-step', title, ok: false, detail: (error as Error).message });
    return false;
  }
}

const ignoreFaults = (...codes: number[]) => (e: unknown) => {
  if (!(e instanceof RpcFault && codes.includes(e.code))) throw e;
};

export async function rollbackMigration(journal: Journal, deps: MigrationDeps, onEvent: (e: MigrationEvent) => void): Promise<boolean> {
  const plan = journal.plan;
  journal.state = 'rolling-back';
  await saveJournal(deps.writer, journal, deps.now());
  let ok = true;
  const step = async (title: string, fn: () => Promise<string | void>) => {
    ok = (await attempt(onEvent, title, fn)) && ok;
  };
  const systemctl = async (...args: string[]) => {
    await systemctlOrFail(deps.runner, args);
  };

  // 1. Only the kubelet program leaves supervisord.
  const supervisorUp = (await unitState(deps.runner, plan.supervisor.unit)).active === 'active';
  if (supervisorUp) {
    await step(`supervisord: stop and remove [program:${plan.program}]`, async () => {
      const t = await supervisorTransport(deps, plan);
      try {
        await t.call('supervisor.stopProcess', [plan.program, true], 60_000).catch(ignoreFaults(FaultCode.BAD_NAME, FaultCode.NOT_RUNNING));
        await t.call('supervisor.removeProcessGroup', [plan.program]).catch(ignoreFaults(FaultCode.BAD_NAME));
      } finally {
        t.close();
      }
    });
  }

  // 2. Files: created ones removed, replaced ones restored byte for byte (checked against the recorded hash).
  for (const [path, record] of Object.entries(journal.backups)) {
    await step(record.backup ? `restore ${path}` : `remove ${path}`, async () => {
      if (!record.backup) {
        await deps.writer.remove(path);
        return;
      }
      const original = await deps.files.read(record.backup);
      if (!original) throw new Error(`the backup ${record.backup} is missing`);
      if (record.sha256 && sha256(original) !== record.sha256) throw new Error(`the backup ${record.backup} does not match what was saved`);
      await deps.writer.writeAtomic(path, original, { mode: record.meta?.mode ?? 0o644, uid: record.meta?.uid ?? 0, gid: record.meta?.gid ?? 0 });
    });
  }
  if (supervisorUp) {
    await step('supervisord: reread its config', async () => {
      const t = await supervisorTransport(deps, plan);
      try {
        await t.call('supervisor.reloadConfig');
      } finally {
        t.close();
      }
    });
  }

  // 3. systemd as it was.
  if (plan.kubelet.mask) await step('systemctl unmask kubelet.service', () => systemctl('unmask', plan.kubelet.unit));
  await step('systemctl daemon-reload', () => systemctl('daemon-reload'));
  if (plan.kubelet.wasEnabled) await step('systemctl enable kubelet.service', () => systemctl('enable', plan.kubelet.unit));
  if (!plan.supervisor.wasEnabled && journal.steps['enable-supervisord']?.status === 'done') {
    await step(`systemctl disable ${plan.supervisor.unit}`, () => systemctl('disable', plan.supervisor.unit));
  }
  if (!plan.supervisor.wasRunning && supervisorUp) await step(`systemctl stop ${plan.supervisor.unit}`, () => systemctl('stop', plan.supervisor.unit));
  if (plan.kubelet.wasActive) {
    await step('systemctl start kubelet.service', () => systemctl('start', plan.kubelet.unit));
    await step('kubelet answers healthz under systemd', async () => {
      for (let i = 0; i < 150; i++) {
        if ((await deps.http.get(plan.kubelet.healthzUrl, 1000)).ok) return;
        await deps.sleep(200);
      }
      throw new Error(`${plan.kubelet.healthzUrl} did not answer within 30 s`);
    });
  }
  journal.state = ok ? 'rolled-back' : 'failed';
  await saveJournal(deps.writer, journal, deps.now());
  onEvent({ type: 'rollback-done', ok });
  return ok;
}
