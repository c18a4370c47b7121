/**
 * The interactive screens, wired to the real node. Imported only when a terminal is about to be drawn,
 * so that headless commands never load React or Ink.
 */
import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import type { FullScreen } from '../adapters/full-screen.js';
import { guardAgainstTerminalLoss } from '../adapters/terminal-loss.js';
import type { Host } from '../core/host.js';
import { readJournal } from '../core/migration/journal.js';
import { createAppStore } from '../store/app-store.js';
import { StoreProvider } from '../store/store-context.js';
import { App } from '../ui/app.js';
import { createAppServices } from './app-services.js';
import type { CliOptions } from './args.js';
import { sessionSummary } from './session-summary.js';

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

export async function runTui(host: Host, options: CliOptions, screen: FullScreen): Promise<number> {
  const store = createAppStore(createAppServices(host, options), { screen: 'detect' });
  const a = store.getState().actions;
  // Met again, it is said and offered: a migration or rollback left half-way comes first, whatever the command.
  const interrupted = options.command !== 'monitor' && (await a.checkInterruption());
  if (!interrupted) {
    const journal = options.command === undefined ? await readJournal(host.files).catch(() => null) : null;
    if (options.command === 'monitor' || journal?.state === 'migrated') a.startMonitor();
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
