/**
 * The interactive screens, wired to the real node. Imported only when a terminal is about to be drawn,
 * so that headless commands never load React or Ink.
 */
import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import type { Host } from '../core/host.js';
import { readJournal } from '../core/migration/journal.js';
import { createAppStore, type Screen } from '../store/app-store.js';
import { StoreProvider } from '../store/store-context.js';
import { App } from '../ui/app.js';
import { createAppServices } from './app-services.js';
import type { CliOptions } from './args.js';

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
  const store = createAppStore(createAppServices(host, options), { screen: screen === 'monitor' ? 'detect' : screen });
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
