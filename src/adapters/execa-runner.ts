/** Commands on the node (systemctl, kubelet --version, package managers), through execa. Never throws on exit codes. */
import type { CommandRunner } from '../core/host.js';

/** What stderr says: the command's own, or why there is none (not found, or killed at the timeout). */
function stderrWords(
  file: string,
  r: { stderr?: unknown; timedOut: boolean },
  missing: boolean,
  timeoutMs: number,
): string {
  if (missing) return `${file}: command not found`;
  if (r.timedOut) return `${file} did not finish within ${timeoutMs} ms`;
  return String(r.stderr ?? '');
}

export function createExecaRunner(): CommandRunner {
  return {
    async run(file, args, options = {}) {
      // Loaded on first use: `status` runs no command and should not pay for execa's start-up.
      const { execa } = await import('execa');
      const r = await execa(file, [...args], {
        reject: false,
        // In a session of its own: a terminal that goes away (SIGHUP to its foreground group) or a Ctrl-C
        // (SIGINT) reaches kubesup-tui, which decides, and never kills systemctl half-way through a step.
        detached: true,
        timeout: options.timeoutMs ?? 30_000,
        ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
        env: { LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' },
      });
      const missing = (r as { code?: string }).code === 'ENOENT';
      return {
        exitCode: missing ? 127 : (r.exitCode ?? (r.timedOut ? 124 : 1)),
        stdout: String(r.stdout ?? ''),
        stderr: stderrWords(file, r, missing, options.timeoutMs ?? 30_000),
      };
    },
  };
}
