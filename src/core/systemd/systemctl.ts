/** systemctl as the migration calls it: a non-zero exit is an error carrying systemctl's own words. */

import { ExternalFailure } from '../errors.js';
import type { CommandRunner } from '../host.js';

export class SystemctlFailed extends ExternalFailure {
  override name = 'SystemctlFailed';
}

export async function systemctl(
  runner: CommandRunner,
  args: readonly string[],
  okExitCodes: readonly number[] = [0],
): Promise<string> {
  const r = await runner.run('systemctl', args, { timeoutMs: 120_000 });
  if (!okExitCodes.includes(r.exitCode)) {
    const command = `systemctl ${args.join(' ')}`;
    const said = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
    throw new SystemctlFailed(`${command} failed (exit ${r.exitCode}): ${said}`, { command, exitCode: r.exitCode });
  }
  return r.stdout;
}
