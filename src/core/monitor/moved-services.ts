/**
 * The health of every unit other than kubelet that kubesup-tui moved under supervisord, each by its own check
 * (from its migration's journal): for `status` and the monitor, as verify checked it.
 */
import { type HealthResult, probeHealth } from '../health/probe.js';
import { describeHealth, type HealthCheck } from '../health/service-health.js';
import type { Host } from '../host.js';
import { nodeJournals } from '../migration/journal/node-journals.js';

export interface MovedService {
  readonly unit: string;
  readonly program: string;
  readonly check: HealthCheck;
  /** Type=notify with kubesup-agent: its READY=1 marks it started (migration/plan/agent-ready.ts). */
  readonly notify?: boolean;
}

export interface ServiceHealth {
  readonly unit: string;
  readonly program: string;
  /** The check in words: "/run/containerd/containerd.sock accepts a connection". */
  readonly check: string;
  readonly health: 'ok' | 'failing';
  readonly detail: string;
}

/** The units migrated by kubesup-tui besides kubelet, from their journals. */
export async function movedServices(host: Host): Promise<MovedService[]> {
  return (await nodeJournals(host.files))
    .filter((j) => j.state === 'migrated' && j.plan.service.unit !== 'kubelet.service')
    .map((j) => ({
      unit: j.plan.service.unit,
      program: j.plan.program,
      check: j.plan.service.health,
      notify: j.plan.agent?.notify === true,
    }));
}

/** A service with no endpoint: healthy once its program has been RUNNING its whole start window. */
function aliveHealth(up: number | null, seconds: number): HealthResult {
  if (up === null) return { ok: false, detail: 'not running' };
  if (up >= seconds) return { ok: true, detail: `up ${up} s` };
  return { ok: false, detail: `up ${up} s of ${seconds}` };
}

/** One look at each; a service with no endpoint is healthy while its program has been RUNNING its window. */
export async function servicesHealth(
  host: Host,
  services: readonly MovedService[],
  uptimeOf: (program: string) => number | null,
): Promise<ServiceHealth[]> {
  return Promise.all(
    services.map(async (s) => {
      const up = uptimeOf(s.program);
      const r = s.check.kind === 'alive' ? aliveHealth(up, s.check.seconds) : await probeHealth(host, s.check, 2000);
      return {
        unit: s.unit,
        program: s.program,
        check: describeHealth(s.check),
        health: r.ok ? 'ok' : 'failing',
        detail: r.detail,
      } as const;
    }),
  );
}
