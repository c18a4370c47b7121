// Commands inside a test node, whatever boots it (the stand-in node, or real systemd under systemd-nspawn).
import { execa } from 'execa';

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export abstract class NodeShell {
  /** argv that runs `argv` inside the node (for execa, tmux and the like). */
  abstract enterArgv(argv: readonly string[]): string[];

  async exec(
    argv: readonly string[],
    options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    const [file, ...args] = this.enterArgv(argv);
    const r = await execa(file as string, args, {
      reject: false,
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...options.env },
      extendEnv: false,
      timeout: options.timeoutMs ?? 60_000,
      stripFinalNewline: false,
    });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /** `bash -c script` inside the node; throws with the output when it fails. */
  async sh(script: string, options: { timeoutMs?: number } = {}): Promise<string> {
    const r = await this.exec(['bash', '-c', script], options);
    if (r.exitCode !== 0) throw new Error(`in node: ${script}\nexit ${r.exitCode}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** Polls a condition inside the node until it holds. */
  async waitFor(script: string, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last: ExecResult | undefined;
    while (Date.now() < until) {
      last = await this.exec(['bash', '-c', script]);
      if (last.exitCode === 0) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting in node for: ${script}\n${last?.stdout ?? ''}${last?.stderr ?? ''}`);
  }
}
