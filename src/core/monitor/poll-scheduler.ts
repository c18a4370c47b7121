/**
 * When the monitor polls supervisord. At rest, every `restMs`; when nudged (a watched log file changed: a
 * crash writes supervisord's main log, kubelet writes its own), at once, but never closer than `minMs` to the
 * last poll, so that a log flood still costs one poll per `minMs`. A poll under way is never doubled: a nudge
 * during it makes the next one come `minMs` after it.
 */
import type { Clock, FileReader } from '../host.js';

export class PollScheduler {
  private cancel: (() => void) | null = null;
  private dueAt = Number.POSITIVE_INFINITY;
  private lastRun = Number.NEGATIVE_INFINITY;
  private running = false;
  private inFlight = false;
  private nudged = false;

  /** `poll` returns how long to wait before the next poll when nothing nudges. */
  constructor(
    private readonly clock: Clock,
    private readonly poll: () => Promise<number>,
    private readonly minMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.at(0);
  }

  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = null;
  }

  nudge(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.nudged = true;
      return;
    }
    const now = this.clock.now();
    const earliest = Math.max(now, this.lastRun + this.minMs);
    if (earliest < this.dueAt) this.at(earliest - now);
  }

  private at(ms: number): void {
    this.cancel?.();
    this.dueAt = this.clock.now() + ms;
    this.cancel = this.clock.schedule(() => void this.fire(), ms);
  }

  private async fire(): Promise<void> {
    this.cancel = null;
    this.dueAt = Number.POSITIVE_INFINITY;
    this.inFlight = true;
    this.lastRun = this.clock.now();
    const next = await this.poll();
    this.inFlight = false;
    if (!this.running) return;
    this.at(this.nudged ? this.minMs : next);
    this.nudged = false;
  }
}

/**
 * The files whose changes wake the scheduler. Each watch fires once and is armed again after the next poll:
 * a flood of writes (10,000 log lines a second) costs one wake-up per poll, not one per write.
 */
export class Wakers {
  private readonly paths = new Set<string>();
  private readonly armed = new Map<string, () => void>();

  constructor(
    private readonly files: FileReader,
    /** Told which file changed: the followed log's lines ask less of a poll than supervisord's own log. */
    private readonly wake: (path: string) => void,
  ) {}

  get active(): boolean {
    return this.paths.size > 0;
  }

  add(path: string): void {
    this.paths.add(path);
    this.arm(path);
  }

  remove(path: string): void {
    this.paths.delete(path);
    this.armed.get(path)?.();
    this.armed.delete(path);
  }

  /** After a poll: listen again to every file that woke us. */
  rearm(): void {
    for (const path of this.paths) this.arm(path);
  }

  clear(): void {
    for (const path of [...this.paths]) this.remove(path);
  }

  private arm(path: string): void {
    if (this.armed.has(path)) return;
    const stop = this.files.watch(path, () => {
      stop();
      this.armed.delete(path);
      this.wake(path);
    });
    this.armed.set(path, stop);
  }
}

/**
 * Which poll comes next. A logging kubelet wakes the monitor twice a second: woken only by the followed log,
 * before a whole poll is due, it reads just the new lines. A change of supervisord's own files (a crash, a
 * start: its main log; the agent's record) or a failure asks for a whole poll (state, processes, the log).
 */
export class PollKind {
  private wholeWanted = true;
  private wholeDueAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly nudge: () => void,
  ) {}

  /** A watched file changed: a poll now, a whole one unless only the followed log's lines came. */
  woke(byFollowedLog: boolean): void {
    if (!byFollowedLog) this.wholeWanted = true;
    this.nudge();
  }

  /** Whether this poll reads only the followed log (`canRead`: connected and following one). */
  next(canRead: boolean): boolean {
    const linesOnly = canRead && !this.wholeWanted && this.clock.now() < this.wholeDueAt;
    if (!linesOnly) this.wholeWanted = false;
    return linesOnly;
  }

  failed(retryMs: number): number {
    this.wholeWanted = true;
    return retryMs;
  }

  /** After a whole poll: the next one is due in `ms`. */
  wholeIn(ms: number): number {
    this.wholeDueAt = this.clock.now() + ms;
    return ms;
  }

  untilWhole(): number {
    return Math.max(0, this.wholeDueAt - this.clock.now());
  }
}
