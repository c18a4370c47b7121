/**
 * A clock moved by hand. `sleep` lets one turn of the event loop pass and moves time on by what it asked
 * for (so loops that poll and sleep finish at once); timers from `schedule` fire only when a test calls
 * `advance`, in time order.
 */
import type { Clock } from '../../../src/core/host.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Lets pending promise chains and one event-loop turn run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(public t = Date.UTC(2026, 10, 27, 3, 0, 0)) {}

  now(): number {
    return this.t;
  }

  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
    await settle();
  }

  schedule(fn: () => void, ms: number): () => void {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x.id !== timer.id);
    };
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, firing each timer that falls due, in order, letting its work settle in between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      // Work already under way may schedule the next timer: let it run first.
      for (let i = 0; i < 5; i++) await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x.id !== due.id);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = Math.max(this.t, end);
  }
}
