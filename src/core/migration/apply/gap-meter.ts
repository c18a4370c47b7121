/** Watches the service's health from just before systemd's process stops: how long it did not answer. */
import type { Clock } from '../../host.js';

export class GapMeter {
  private firstFail: number | null = null;
  private okAfterFail: number | null = null;
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    /** One look at the service's health: true when it answers. */
    private readonly healthy: () => Promise<boolean>,
    private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (this.running) {
        const ok = await this.healthy();
        const t = this.clock.now();
        if (!ok) {
          this.firstFail ??= t;
          this.okAfterFail = null;
        } else if (this.firstFail !== null && this.okAfterFail === null) {
          this.okAfterFail = t;
        }
        await this.clock.sleep(25);
      }
    })();
  }

  get recovered(): boolean {
    return this.firstFail === null || this.okAfterFail !== null;
  }

  /** The gap in ms: 0 when healthz never failed, null when it has not answered since. */
  async stop(): Promise<number | null> {
    this.running = false;
    await this.loop;
    if (this.firstFail === null) return 0;
    if (this.okAfterFail === null) return null;
    return Math.round(this.okAfterFail - this.firstFail);
  }
}
