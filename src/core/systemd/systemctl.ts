/** systemctl as the migration calls it: a non-zero exit is an error carrying systemctl's own words. */
import type { CommandRunner } from '../host.js';

export class SystemctlFailed extends Error {
  override name = 'SystemctlFailed';
}

export async function systemctl(
  runner: CommandRunner,
  args: readonly string[],
  okExitCodes: readonly number[] = [0],
): Promise<string> {
  const r = await runner.run('systemctl', args, { timeoutMs: 120_000 });
  if (!okExitCodes.includes(r.exitCode)) {
    throw new SystemctlFailed(
      `systemctl ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`,
    );
  }
  return r.stdout;
}
