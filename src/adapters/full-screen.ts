/**
 * The terminal's alternate screen, as k9s and htop use: the TUI draws on a page of its own, and the shell's
 * page comes back as it was on quit. Entered before the TUI's code is even loaded, with its header drawn at
 * once: over a slow link, or on Node.js that takes a few hundred ms to load React, the operator sees at once
 * that it started. Left on every way out (an exception, a signal), never twice.
 */
export interface FullScreen {
  leave(): void;
}

export function enterFullScreen(out: NodeJS.WriteStream, hostname: string): FullScreen {
  let on = true;
  const leave = () => {
    if (!on) return;
    on = false;
    out.write('\x1b[?1049l');
  };
  const title = 'kubesup-tui · starting';
  const columns = out.columns || 80;
  const pad = ' '.repeat(Math.max(1, columns - title.length - hostname.length));
  // Alternate screen, cursor home, clear; the header as the TUI draws it (bold name, host on the right); the
  // cursor back home, where the TUI's first frame then overwrites it.
  out.write(`\x1b[?1049h\x1b[H\x1b[2J\x1b[1mkubesup-tui\x1b[22m · starting${pad}\x1b[2m${hostname}\x1b[22m\x1b[H`);
  process.once('exit', leave);
  return { leave };
}
