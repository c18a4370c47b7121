/**
 * The interactive screens, wired to the real node. Imported only when a terminal is about to be drawn,
 * so that headless commands never load React or Ink.
 */
import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import React from 'react';
import { LogRing } from '../core/monitor/log-ring.js';
import { emptyMonitorData, MonitorEngine, type Action } from '../core/monitor/engine.js';
import { applyPlan, startJournal } from '../core/migration/apply.js';
import { driftWarning } from '../core/migration/drift.js';
import { readJournal } from '../core/migration/journal.js';
import { rollbackMigration } from '../core/migration/rollback.js';
import { detect } from '../core/detect/detect.js';
import { createAppStore, type AppServices, type Screen } from '../store/app-store.js';
import { App } from '../ui/app.js';
import { StoreProvider } from '../store/store-context.js';
import type { CliOptions } from './args.js';
import { buildPlan, migrationDeps } from './commands/migration.js';
import type { Host } from './host.js';
import { connectMonitor } from '../core/monitor/connect.js';

function services(host: Host, options: CliOptions): AppServices {
  return {
    isRoot: host.isRoot,
    hostname: host.hostname,
    detect: () =>
      detect(host, {
        program: options.program,
        hostname: host.hostname,
        ...(options.supervisorConf ? { supervisorConf: options.supervisorConf } : {}),
        ...(options.supervisorUrl ? { supervisorUrl: options.supervisorUrl } : {}),
      }),
    plan: () => buildPlan(host, options),
    driftWarning: () => driftWarning(host.files, host.hostname),
    async migrate(plan, onEvent) {
      const journal = await startJournal(plan, migrationDeps(host));
      return applyPlan(journal, migrationDeps(host), onEvent, rollbackMigration);
    },
    startMonitor(onData) {
      let engine: MonitorEngine | null = null;
      let followName: string | null = null;
      let stopped = false;
      const ready = connectMonitor(host, options).then(({ deps }) => {
        if (stopped) return null;
        engine = new MonitorEngine(deps);
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

function renderStats(file: string): (m: { renderTime: number }) => void {
  let frames = 0;
  let ms = 0;
  let since = performance.now();
  return (m) => {
    frames++;
    ms += m.renderTime;
    if (performance.now() - since >= 1000) {
      appendFileSync(file, `${JSON.stringify({ frames, ms: Math.round(ms * 10) / 10 })}\n`);
      frames = 0;
      ms = 0;
      since = performance.now();
    }
  };
}

export async function runTui(host: Host, options: CliOptions): Promise<number> {
  let screen: Screen = options.command === 'monitor' ? 'monitor' : 'detect';
  if (options.command === undefined) {
    const journal = await readJournal(host.files).catch(() => null);
    if (journal?.state === 'migrated') screen = 'monitor';
  }
  const store = createAppStore(services(host, options), { screen: screen === 'monitor' ? 'detect' : screen });
  if (screen === 'monitor') store.getState().actions.startMonitor();
  else void store.getState().actions.runDetect();
  const app = render(
    <StoreProvider store={store}>
      <App hostname={host.hostname} />
    </StoreProvider>,
    {
      exitOnCtrlC: false,
      patchConsole: false,
      // Keys are drawn within a frame (~33 ms); data updates are batched to 10 a second in the store anyway.
      maxFps: 30,
      // KUBESUP_RENDER_STATS=FILE: frames and their cost, for bench/ (one line per second).
      ...(process.env.KUBESUP_RENDER_STATS ? { onRender: renderStats(process.env.KUBESUP_RENDER_STATS) } : {}),
    },
  );
  await app.waitUntilExit();
  store.getState().actions.stopMonitor();
  return 0;
}
