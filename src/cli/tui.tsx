/**
 * The interactive screens, wired to the real node. Imported only when a terminal is about to be drawn,
 * so that headless commands never load React or Ink.
 */
import { setFlagsFromString } from 'node:v8';
import { render } from 'ink';
import type { FullScreen } from '../adapters/full-screen.js';
import { renderStats } from '../adapters/render-stats.js';
import { guardAgainstTerminalLoss } from '../adapters/terminal-loss.js';
import type { Host } from '../core/host.js';
import { createAppStore } from '../store/app-store.js';
import { StoreProvider } from '../store/store-context.js';
import { App } from '../ui/app.js';
import { createAppServices } from './app-services.js';
import type { CliOptions } from './args.js';
import { sessionSummary } from './session-summary.js';

/**
 * The TUI may stay open for hours on a node short of memory and CPU. Node.js: V8's young generation is kept at
 * its first size (1 MB semi-spaces) instead of growing to 16 MB ones under a log flood's garbage, and the old
 * generation grows as for a small device. Both flags are read by V8 as it runs, so they take effect set here
 * (measured: 105 MB at rest and 110-180 MB under a 10,000 lines/s flood before; about 80 MB, flat, after).
 * Bun (the single file) has no V8, and its --smol made the start slower without making the monitor smaller;
 * but its JIT kept compiling at rest, beside a logging kubelet: a third of the monitor's CPU was its JITWorker
 * thread. Tier-up 1000 times more reluctant (Bun.unsafe.setJITPolicy) leaves the monitor's code in the
 * interpreter and baseline tiers (measured with bench/profile-at-rest.ts: at rest at 2 lines/s 1.17 % to
 * 1.03 % of a core and 89 to 80 MB; at 2,000 lines/s 3.9 % to 3.5 % and 133 to 104 MB).
 */
function keepTheRuntimeSmall(): void {
  if (process.versions.bun) {
    const bun = (globalThis as { Bun?: { unsafe?: { setJITPolicy?: (scale: number) => void } } }).Bun;
    bun?.unsafe?.setJITPolicy?.(1000);
    return;
  }
  setFlagsFromString('--semi-space-growth-factor=1 --optimize-for-size');
}

export async function runTui(host: Host, options: CliOptions, screen: FullScreen): Promise<number> {
  keepTheRuntimeSmall();
  const services = createAppServices(host, options);
  const store = createAppStore(services, { screen: 'detect' });
  const a = store.getState().actions;
  // Met again, it is said and offered: a migration or rollback left half-way comes first, whatever the command.
  const interrupted = options.command !== 'monitor' && (await a.checkInterruption());
  if (!interrupted) {
    // With no command, a node whose kubelet is already moved opens on the monitor rather than the wizard.
    const moved = options.command === undefined && (await services.kubeletMigrated());
    if (options.command === 'monitor' || moved) a.startMonitor();
    else void a.runDetect();
  }
  // The terminal going away (an SSH link that drops) must not stop a change to the node half-way: the
  // screen goes, the change goes on to its verified end or its rollback, and then the process exits.
  const terminal = guardAgainstTerminalLoss();
  const app = render(
    <StoreProvider store={store}>
      <App hostname={host.hostname} />
    </StoreProvider>,
    {
      exitOnCtrlC: false,
      patchConsole: false,
      // Keys are drawn within a frame (~33 ms); data updates are batched to 10 a second in the store anyway.
      maxFps: 30,
      // Not Ink's incrementalRendering: with it, going from the wizard to the monitor left a row of the frame
      // before standing ("connecting to supervisord…" above supervisord's state) and scrolled the title away.
      // KUBESUP_RENDER_STATS=FILE: frames and their cost, for bench/ (one line per second).
      ...(process.env.KUBESUP_RENDER_STATS ? { onRender: renderStats(process.env.KUBESUP_RENDER_STATS) } : {}),
    },
  );
  const lost = new Promise<void>((resolve) => terminal.onGone(resolve));
  await Promise.race([app.waitUntilExit(), lost]);
  if (terminal.gone) {
    try {
      app.unmount();
    } catch {
      // the terminal is gone: nothing to draw on
    }
  }
  await store.getState().actions.whenIdle();
  store.getState().actions.stopMonitor();
  terminal.dispose();
  if (!terminal.gone) {
    app.unmount();
    screen.leave();
    // What must outlive the screen: what this session did to the node, and how to undo it.
    process.stdout.write(sessionSummary(store.getState()));
  }
  // Nothing else may keep this process alive once the node is left as it should be (stdin in raw mode).
  if (terminal.gone) process.exit(store.getState().result?.ok === false ? 1 : 0);
  return 0;
}
