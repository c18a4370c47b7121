/**
 * kubesup-tui's entry: parse the command line, wire the real host, run one command, map errors to exit codes.
 * Headless commands never load React or Ink: the TUI is imported only when it is about to be drawn.
 */
import { enterFullScreen } from '../adapters/full-screen.js';
import { BugError, ToolError } from '../core/errors.js';
import type { CliOptions } from './args.js';
import { createRealHost } from './host.js';
import { runCommandLine, write } from './run.js';

/**
 * Ink's layout engine (yoga-layout) is WebAssembly kept inline as a data: URL, which its loader reads with
 * fetch() whenever fetch exists. On Node.js that first fetch loads all of undici (~25 ms of a 300 ms start)
 * to decode bytes that are already in memory; with no fetch in sight, the loader decodes them itself.
 * Nothing of kubesup-tui uses fetch, and the TUI is imported before anything else runs.
 */
async function importWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!saved?.configurable) return load();
  Reflect.deleteProperty(globalThis, 'fetch');
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', saved);
  }
}

async function dispatch(options: CliOptions): Promise<number> {
  const host = createRealHost();
  switch (options.command) {
    // Each command loads only its own code: `status` must start faster than `supervisorctl status`.
    case 'status':
      return (await import('./commands/status.js')).runStatus(host, options, write);
    case 'detect':
      return (await import('./commands/detect.js')).runDetect(host, options, write);
    case 'plan':
      return (await import('./commands/plan.js')).runPlan(host, options, write);
    case 'rollback':
      return (await import('./commands/rollback.js')).runRollback(host, options);
    case 'start-line':
      return (await import('./commands/start-line.js')).runStartLine(host, options, write);
    case undefined:
    case 'migrate':
    case 'monitor':
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        if (options.command === 'migrate' && options.yes)
          return (await import('./commands/migrate.js')).runMigrate(host, options);
        throw new ToolError(
          `no terminal: the ${options.command ?? 'interactive'} screen needs a TTY; ` +
            'for scripts use status, detect, plan or migrate --yes',
        );
      }
      if (options.command === 'migrate' && options.yes)
        return (await import('./commands/migrate.js')).runMigrate(host, options);
      // A terminal that cannot move its cursor would print every frame after the last, escapes and all.
      if (process.env.TERM === 'dumb')
        throw new ToolError(
          'TERM=dumb: this terminal cannot draw the screens; use status, detect, plan or migrate --yes instead',
        );
      // Colours off when asked: chalk reads FORCE_COLOR when Ink is first imported, just below.
      if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
      // Ink draws only a final frame when CI is set (is-in-ci, read at import). We checked for a TTY above:
      // a person is looking at it, whatever the environment of the shell says.
      delete process.env.CI;
      delete process.env.CONTINUOUS_INTEGRATION;
      {
        // The screen and its header first, then the TUI's code (React and Ink take a while to load).
        const screen = enterFullScreen(process.stdout, host.hostname);
        try {
          return await (await importWithoutFetch(() => import('./tui.js'))).runTui(host, options, screen);
        } finally {
          screen.leave();
        }
      }
    default:
      throw new BugError(`unknown command ${String(options.command)}`);
  }
}

export function main(argv: readonly string[]): Promise<number> {
  return runCommandLine(argv, dispatch);
}
