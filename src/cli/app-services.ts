/**
 * The TUI's services on a real node (or a fake host in tests): what the store calls to detect, plan,
 * migrate and monitor. Built from one Host; the store never sees the Host itself.
 */
import { detect } from '../core/detect/detect.js';
import { ToolError } from '../core/errors.js';
import type { Host } from '../core/host.js';
import type { MigrationEvent, MigrationResult } from '../core/migration/apply/apply.js';
import { findInterruption, interruptionWarning } from '../core/migration/journal/interruption.js';
import { readJournal } from '../core/migration/journal/journal.js';
import { withLock } from '../core/migration/journal/lock.js';
import type { PlanStep } from '../core/migration/plan/plan.js';
import { beginMigration, carryOut, resumeDecision, rollBack, rollbackDecision } from '../core/migration/session.js';
import { findMonitorTarget } from '../core/monitor/connect.js';
import { MonitorEngine } from '../core/monitor/engine.js';
import { LogRing } from '../core/monitor/log-ring.js';
import { type Action, emptyMonitorData, type MonitorData } from '../core/monitor/monitor-data.js';
import { ServicesWatch } from '../core/monitor/services-watch.js';
import type { AppServices } from '../store/app-store.js';
import { type CliOptions, supervisorOverrides } from './args.js';
import { kubeletDriftWarning } from './kubelet-drift.js';
import { migrationLog, printEvents } from './migration-lines.js';
import { buildPlan } from './plan-node.js';

/** Changes the node holding its lock, each event also written to the migration log (the terminal may go). */
async function changeNode(
  host: Host,
  steps: readonly PlanStep[],
  onEvent: (e: MigrationEvent) => void,
  run: (onEvent: (e: MigrationEvent) => void) => Promise<MigrationResult>,
): Promise<MigrationResult> {
  const log = migrationLog(host);
  const toLog = printEvents(steps, log.write);
  try {
    return await withLock(host, 'tui', () =>
      run((e) => {
        toLog(e);
        onEvent(e);
      }),
    );
  } finally {
    await log.flush();
  }
}

/** Where the monitor saves the log lines asked for. */
const SAVED_LOGS = '/var/tmp/kubesup-tui';

export function createAppServices(host: Host, options: CliOptions): AppServices {
  return {
    clock: host.clock,
    isRoot: host.isRoot,
    hostname: host.hostname,
    async detect() {
      const detection = await detect(host, { program: options.program, supervisor: supervisorOverrides(options) });
      const drift = await kubeletDriftWarning(host);
      return drift ? { ...detection, warnings: [drift, ...detection.warnings] } : detection;
    },
    plan: (watchdog) => buildPlan(host, watchdog ? { ...options, watchdog } : options),
    planUnit: (unit) => buildPlan(host, { ...options, unit, program: unit.replace(/\.service$/, '') }),
    async nodeWarning() {
      const interruption = await findInterruption(host);
      if (interruption) return interruptionWarning(interruption);
      // Drift against the kubelet that runs (once, as the monitor opens): its flags, environment and binary.
      return kubeletDriftWarning(host);
    },
    interruption: () => findInterruption(host),
    async kubeletMigrated() {
      return (await readJournal(host.files).catch(() => null))?.state === 'migrated';
    },
    async saveLog(program, lines) {
      // /var/tmp: kept across a reboot (the node may be rebooted next), and root's to write. 0600: logs
      // can hold tokens and addresses.
      // 20261127-102900: short enough for the notice on an 80-column screen.
      const stamp = new Date(host.clock.now()).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      const path = `${SAVED_LOGS}/${program.replace(/[^\w.-]/g, '_')}-${stamp}.log`;
      await host.writer.mkdirp(SAVED_LOGS, 0o700);
      await host.writer.writeAtomic(path, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
      return path;
    },
    migrate: (plan, onEvent, signal) =>
      changeNode(host, plan.steps, onEvent, (on) => beginMigration(host, plan, on, { signal })),
    async resume(unit, onEvent, signal) {
      const decision = await resumeDecision(host, unit);
      if ('refused' in decision) throw new ToolError(decision.refused);
      const { journal } = decision;
      return changeNode(host, journal.plan.steps, onEvent, (on) => carryOut(host, journal, on, { signal }));
    },
    async rollback(unit, onEvent) {
      const decision = await rollbackDecision(host, unit);
      if ('refused' in decision) throw new ToolError(decision.refused);
      const { journal } = decision;
      return changeNode(host, [], onEvent, async (on) => {
        const undone = await rollBack(host, journal, on);
        const error = undone.ok ? null : 'rollback incomplete: see the lines above';
        return { ok: undone.ok, healthzGapMs: null, error, rolledBack: undone.ok };
      });
    },
    startMonitor(onData) {
      let engine: MonitorEngine | null = null;
      let followName: string | null = null;
      let stopped = false;
      // Moved units' health rides along with the engine's data (nothing to watch on a kubelet-only node).
      const watch = new ServicesWatch(host);
      let services: MonitorData['services'];
      const ready = findMonitorTarget(host, supervisorOverrides(options)).then(({ target }) => {
        if (stopped) return null;
        const e = new MonitorEngine(host, target);
        engine = e;
        e.subscribe((d) => onData(services ? { ...d, services } : d));
        e.followLog(followName);
        e.start();
        void watch.start(
          () => e.current.programs,
          (s) => {
            services = s;
            onData({ ...e.current, services });
          },
        );
        return e;
      });
      const empty = new LogRing(1);
      const handle = {
        /** The engine's ring once connected; an empty one until then. */
        get log() {
          return engine?.log ?? empty;
        },
        follow(name: string | null) {
          followName = name;
          engine?.followLog(name);
        },
        async act(a: Action, name: string) {
          const e = await ready.catch(() => null);
          return e ? e.act(a, name) : { ok: false, message: 'not connected to supervisord' };
        },
        stop() {
          stopped = true;
          watch.stop();
          engine?.stop();
        },
      };
      // Not even a place to connect to (no config, no socket): say why on the monitor, one line.
      ready.catch((error: Error) => onData(emptyMonitorData(options.supervisorUrl ?? '?', '?', error.message)));
      return handle;
    },
  };
}
