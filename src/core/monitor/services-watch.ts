/**
 * The monitor's look at every unit kubesup-tui moved besides kubelet (containerd, etcd...), each by its own
 * health check, every 2 s beside kubelet's healthz. Nothing runs on a node where only kubelet was moved.
 */

import type { Host } from '../host.js';
import type { ProgramRow } from './monitor-data.js';
import { uptimeSeconds } from './monitor-data.js';
import { type MovedService, movedServices, type ServiceHealth, servicesHealth } from './moved-services.js';

export class ServicesWatch {
  private cancel: (() => void) | null = null;
  private running = false;
  private shown = '';

  constructor(
    private readonly host: Host,
    private readonly everyMs = 2000,
  ) {}

  /** Calls `onChange` with every look whose words differ from the last one shown. */
  async start(programs: () => readonly ProgramRow[], onChange: (s: readonly ServiceHealth[]) => void): Promise<void> {
    const moved: MovedService[] = await movedServices(this.host).catch(() => []);
    if (!moved.length) return;
    this.running = true;
    const look = async () => {
      if (!this.running) return;
      const uptime = (name: string) => {
        const p = programs().find((x) => x.name === name);
        return p ? uptimeSeconds(p) : null;
      };
      const health = await servicesHealth(this.host, moved, uptime).catch(() => null);
      const words = JSON.stringify(health?.map((h) => [h.program, h.health, h.detail]));
      if (health && words !== this.shown && this.running) {
        this.shown = words;
        onChange(health);
      }
      if (this.running) this.cancel = this.host.clock.schedule(() => void look(), this.everyMs);
    };
    await look();
  }

  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = null;
  }
}
