/** Watches kubelet's healthz from just before the systemd kubelet stops: how long it did not answer. */
import type { Clock, HttpProbe } from '../host.js';

export class GapMeter {
  private firstFail: number | null = null;
  private okAfterFail: number | null = null;
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly http: HttpProbe,
    private readonly clock: Clock,
    private readonly url: string,
  ) {}

  start(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (this.running) {
        const r = await this.http.get(this.url, 1000);
        const t = this.clock.now();
        if (!r.ok) {
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
