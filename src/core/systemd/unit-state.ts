/** What systemctl says of a unit now: is-active and is-enabled, as printed ("active", "masked", ...). */
import type { CommandRunner } from '../host.js';

export interface UnitState {
  /** active, inactive, failed, activating, ... ; "" when systemctl printed nothing. */
  readonly active: string;
  /** enabled, disabled, masked, static, ... ; "" when systemctl printed nothing. */
  readonly enabled: string;
}

export async function unitState(runner: CommandRunner, unit: string): Promise<UnitState> {
  const [active, enabled] = await Promise.all(
    ['is-active', 'is-enabled'].map(async (verb) =>
      (await runner.run('systemctl', [verb, unit], { timeoutMs: 10_000 })).stdout.trim(),
    ),
  );
  return { active: active ?? '', enabled: enabled ?? '' };
}
