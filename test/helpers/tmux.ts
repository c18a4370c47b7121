// Drives a terminal program as a person would: tmux with its own socket (never the user's sessions),
// keys in with send-keys, the screen out with capture-pane, conditions waited for.
import { execFileSync } from 'node:child_process';

export class TmuxSession {
  private readonly socket = `kubesup-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly name = 'tui';

  constructor(argv: readonly string[], size: { columns: number; rows: number }, env: Record<string, string> = {}) {
    const command = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const envPrefix = Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    // `; sleep` keeps the pane after exit so the last screen and the exit code can be read.
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      `${envPrefix} ${command}; echo "[exit $?]"; sleep 600`,
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Keys by tmux name (Enter, Escape, Down) or literal text with literal=true. */
  send(keys: string, literal = false): void {
    this.tmux('send-keys', '-t', this.name, ...(literal ? ['-l', keys] : [keys]));
  }

  /** The terminal resized, as a person dragging the window (the program gets SIGWINCH). */
  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** The screen as text, or with its colours (ANSI escapes) for pictures. */
  capture(ansi = false): string {
    return this.tmux('capture-pane', '-p', ...(ansi ? ['-e'] : []), '-t', this.name);
  }

  async waitFor(
    predicate: (screen: string) => boolean,
    what: string,
    timeoutMs = 20_000,
    pollMs = 100,
  ): Promise<string> {
    const until = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < until) {
      screen = this.capture();
      if (predicate(screen)) return screen;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    throw new Error(`the screen never showed ${what}:\n${screen}`);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
