/**
 * How a migration reaches supervisord: from its config as it is now (after an install, the config exists only
 * once installed), one connection per use, always closed.
 */

import { ExternalFailure } from '../../errors.js';
import type { Host, SupervisorConnection } from '../../host.js';
import { type SupervisorClient, supervisorClient } from '../../supervisor/client.js';
import { parseSupervisorConfig, resolveEndpoint } from '../../supervisor/config.js';
import type { Plan } from '../plan/plan.js';

export class MigrationStepFailed extends ExternalFailure {
  override name = 'MigrationStepFailed';
}

export async function connectPlanSupervisor(host: Host, plan: Plan, timeoutMs = 30_000): Promise<SupervisorConnection> {
  const bytes = await host.files.read(plan.supervisor.config);
  const endpoint = bytes
    ? resolveEndpoint(parseSupervisorConfig(bytes.toString('utf8'), plan.supervisor.config), host.env)
    : undefined;
  const url = endpoint?.url ?? plan.supervisor.url;
  if (!url) throw new MigrationStepFailed(`cannot tell how to reach supervisord from ${plan.supervisor.config}`);
  return host.connect({
    url,
    ...(endpoint?.username ? { username: endpoint.username, password: endpoint.password ?? '' } : {}),
    timeoutMs,
  });
}

/** Runs `use` with a client of the plan's supervisord, and closes the connection whatever happens. */
export async function withSupervisor<T>(
  host: Host,
  plan: Plan,
  use: (supervisor: SupervisorClient) => Promise<T>,
  timeoutMs?: number,
): Promise<T> {
  const connection = await connectPlanSupervisor(host, plan, timeoutMs);
  try {
    return await use(supervisorClient(connection));
  } finally {
    connection.close();
  }
}

/** Waits until supervisord answers and says RUNNING (it was just started, or is restarting). */
export async function waitForSupervisor(host: Host, plan: Plan, timeoutMs: number): Promise<void> {
  const until = host.clock.now() + timeoutMs;
  let last = '';
  while (host.clock.now() < until) {
    try {
      const state = await withSupervisor(host, plan, (s) => s.getState(), 5000);
      if (state.statename === 'RUNNING') return;
      last = `supervisord is ${state.statename}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await host.clock.sleep(200);
  }
  throw new MigrationStepFailed(`supervisord did not come up within ${timeoutMs / 1000} s: ${last}`);
}
