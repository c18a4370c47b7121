/**
 * The TUI's services on a real node (or a fake host in tests): what the store calls to detect, plan,
 * migrate and monitor. Built from one Host; the store never sees the Host itself.
 */
import { detect } from '../core/detect/detect.js';
import type { Host } from '../core/host.js';
import { driftWarning } from '../core/migration/drift.js';
import { beginMigration } from '../core/migration/session.js';
import { findMonitorTarget } from '../core/monitor/connect.js';
import { MonitorEngine } from '../core/monitor/engine.js';
import { LogRing } from '../core/monitor/log-ring.js';
import { type Action, emptyMonitorData } from '../core/monitor/monitor-data.js';
import type { AppServices } from '../store/app-store.js';
import { type CliOptions, supervisorOverrides } from './args.js';
import { buildPlan } from './plan-node.js';

export function createAppServices(host: Host, options: CliOptions): AppServices {
  return {
    isRoot: host.isRoot,
    hostname: host.hostname,
    detect: () => detect(host, { program: options.program, supervisor: supervisorOverrides(options) }),
    plan: () => buildPlan(host, options),
    driftWarning: () => driftWarning(host.files, host.hostname),
    migrate: (plan, onEvent) => beginMigration(host, plan, onEvent),
    startMonitor(onData) {
      let engine: MonitorEngine | null = null;
      let followName: string | null = null;
      let stopped = false;
      const ready = findMonitorTarget(host, supervisorOverrides(options)).then(({ target }) => {
        if (stopped) return null;
        engine = new MonitorEngine(host, target);
        engine.subscribe(onData);
        engine.followLog(followName);
        engine.start();
        return engine;
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
          engine?.stop();
        },
      };
      // Not even a place to connect to (no config, no socket): say why on the monitor, one line.
      ready.catch((error: Error) => onData(emptyMonitorData(options.supervisorUrl ?? '?', '?', error.message)));
      return handle;
    },
  };
}
