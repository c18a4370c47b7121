/**
 * An operation that changes the node must not stop half-way because its terminal went away (an SSH link
 * that drops: SIGHUP, then EIO or EPIPE on every write). While one runs, a hang-up is noted, not obeyed,
 * and output to a terminal that is gone is dropped instead of crashing the process; the operation goes on to
 * its verified end or its rollback, its progress in the journal and the log under /var/lib/kubesup-tui.
 */

export interface TerminalGuard {
  /** True once the terminal went away: output is then dropped. */
  readonly gone: boolean;
  /** Writes the lines as they happen (stdout, or stderr when stdout is kept for a result) while it can. */
  write(text: string): void;
  /** Writes the command's result to stdout while it can. */
  result(text: string): void;
  /** Called when the terminal goes away (at most once). */
  onGone(listener: () => void): void;
  dispose(): void;
}

const LOST = new Set(['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ECONNRESET']);

export function guardAgainstTerminalLoss(lines: 'stdout' | 'stderr' = 'stdout'): TerminalGuard {
  let gone = false;
  const listeners: (() => void)[] = [];
  const lose = () => {
    if (gone) return;
    gone = true;
    for (const l of listeners) l();
  };
  const onError = (error: NodeJS.ErrnoException) => {
    if (LOST.has(error.code ?? '')) lose();
    // Anything else on a standard stream is no reason to stop changing the node either.
  };
  process.on('SIGHUP', lose);
  for (const stream of [process.stdout, process.stderr, process.stdin]) stream.on('error', onError);
  return {
    get gone() {
      return gone;
    },
    write(text) {
      if (gone) return;
      try {
        process[lines].write(text);
      } catch (error) {
        onError(error as NodeJS.ErrnoException);
      }
    },
    result(text) {
      if (gone) return;
      try {
        process.stdout.write(text);
      } catch (error) {
        onError(error as NodeJS.ErrnoException);
      }
    },
    onGone(listener) {
      listeners.push(listener);
    },
    dispose() {
      process.off('SIGHUP', lose);
      for (const stream of [process.stdout, process.stderr, process.stdin]) stream.off('error', onError);
    },
  };
}

/**
 * Ctrl-C or SIGTERM during an operation: the first asks it to stop (it rolls back); further ones are only
 * answered, since a rollback under way must finish. Returns the signal to pass on, and a way to stop listening.
 */
export function stopOnInterrupt(say: (line: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      say(`${name}: stopping after the current step, then rolling back (the node is never left half-way)\n`);
      controller.abort();
    } else say(`${name}: still rolling back; it finishes by itself\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
