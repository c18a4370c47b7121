/**
 * Why a program fell over: the node's load, memory, pressure and disks, and the program's own CPU, memory,
 * threads and open files, all from /proc and statfs. A few small reads per sample (every 2 s in the monitor,
 * once in `status`), so the idle budget holds.
 */
import type { FileReader } from '../host.js';
import { type EvictionSignal, type EvictionThresholds, type Threshold, thresholdBytes } from '../kubelet/eviction.js';

/** Pressure stall information: the share of the last 10 s some (or all) tasks waited for the resource, in %. */
export interface Pressure {
  readonly some: number;
  readonly full: number | null;
}

/** ok; near (within half the threshold again); over (kubelet evicts, or the node is out of memory). */
export type Level = 'ok' | 'near' | 'over';

export interface Space {
  readonly availBytes: number;
  readonly totalBytes: number;
  /** kubelet's hard eviction threshold for this resource, when it has one. */
  readonly threshold: Threshold | null;
  readonly level: Level;
}

export interface DiskFacts extends Space {
  readonly path: string;
  /** What kubelet calls it: nodefs (its root dir), imagefs (the runtime's), or the logs. */
  readonly role: string;
  readonly signal: EvictionSignal | null;
}

export interface NodeFacts {
  readonly cpus: number | null;
  /** 1, 5 and 15 minute load averages. */
  readonly load: readonly [number, number, number] | null;
  readonly memory: (Space & { readonly swapTotalBytes: number; readonly swapFreeBytes: number }) | null;
  /** Null when the kernel has no PSI (before 4.20, or psi=0: CentOS 7's 3.10 among them). */
  readonly pressure: {
    readonly cpu: Pressure | null;
    readonly memory: Pressure | null;
    readonly io: Pressure | null;
  } | null;
  readonly disks: readonly DiskFacts[];
}

export interface ProcessUsage {
  readonly pid: number;
  /** Share of one core since the previous sample; null on the first. */
  readonly cpuPercent: number | null;
  readonly cpuSeconds: number | null;
  readonly rssBytes: number | null;
  readonly threads: number | null;
  readonly openFiles: number | null;
}

/** A filesystem kubelet watches, and the signal it evicts on. */
export interface WatchedDisk {
  readonly path: string;
  readonly role: string;
  readonly signal: EvictionSignal | null;
}

export function levelOf(availBytes: number, totalBytes: number, threshold: Threshold | null | undefined): Level {
  if (!threshold || totalBytes <= 0) return 'ok';
  const limit = thresholdBytes(threshold, totalBytes);
  if (availBytes < limit) return 'over';
  return availBytes < limit * 1.5 ? 'near' : 'ok';
}

export function parseLoadavg(text: string): [number, number, number] | null {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return a !== undefined && b !== undefined && c !== undefined && [a, b, c].every(Number.isFinite) ? [a, b, c] : null;
}

/** /proc/meminfo's kB lines, in bytes. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^(\w+(?:\(\w+\))?):\s+(\d+)(?: kB)?$/gm)) out.set(m[1] as string, Number(m[2]) * 1024);
  return out;
}

/** /proc/pressure/*: `some avg10=1.23 ...` and `full avg10=...` (cpu has no full line before 5.13). */
export function parsePressure(text: string): Pressure | null {
  const some = /^some avg10=([\d.]+)/m.exec(text);
  if (!some) return null;
  const full = /^full avg10=([\d.]+)/m.exec(text);
  return { some: Number(some[1]), full: full ? Number(full[1]) : null };
}

/** utime + stime from /proc/PID/stat, in clock ticks (USER_HZ, 100 on every Linux kubelet runs on). */
export function cpuTicks(stat: string): number | null {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return Number.isFinite(ticks) ? ticks : null;
}

export function parseStatusField(status: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
  return m ? Number(m[1]) : null;
}

const text = async (files: FileReader, path: string) => (await files.read(path).catch(() => undefined))?.toString();

/** Samples the node and one process; keeps the previous CPU reading to give a rate. */
export class NodeSampler {
  private last: { pid: number; ticks: number; atMs: number } | null = null;

  constructor(
    private readonly files: FileReader,
    private readonly disks: readonly WatchedDisk[],
    private readonly thresholds: EvictionThresholds,
  ) {}

  async node(): Promise<NodeFacts> {
    const [loadavg, meminfo, stat, cpu, memory, io, disks] = await Promise.all([
      text(this.files, '/proc/loadavg'),
      text(this.files, '/proc/meminfo'),
      text(this.files, '/proc/stat'),
      text(this.files, '/proc/pressure/cpu'),
      text(this.files, '/proc/pressure/memory'),
      text(this.files, '/proc/pressure/io'),
      Promise.all(this.disks.map((d) => this.disk(d))),
    ]);
    const mem = meminfo ? parseMeminfo(meminfo) : null;
    const total = mem?.get('MemTotal');
    const avail = mem?.get('MemAvailable');
    const threshold = this.thresholds['memory.available'] ?? null;
    return {
      cpus: stat ? (stat.match(/^cpu\d+ /gm)?.length ?? null) : null,
      load: loadavg ? parseLoadavg(loadavg) : null,
      memory:
        total !== undefined && avail !== undefined
          ? {
              availBytes: avail,
              totalBytes: total,
              threshold,
              level: levelOf(avail, total, threshold),
              swapTotalBytes: mem?.get('SwapTotal') ?? 0,
              swapFreeBytes: mem?.get('SwapFree') ?? 0,
            }
          : null,
      pressure:
        cpu === undefined && memory === undefined && io === undefined
          ? null
          : {
              cpu: cpu ? parsePressure(cpu) : null,
              memory: memory ? parsePressure(memory) : null,
              io: io ? parsePressure(io) : null,
            },
      disks: disks.filter((d) => d !== null),
    };
  }

  private async disk(d: WatchedDisk): Promise<DiskFacts | null> {
    const space = await this.files.space(d.path).catch(() => undefined);
    if (!space) return null;
    const threshold = d.signal ? (this.thresholds[d.signal] ?? null) : null;
    return { ...d, ...space, threshold, level: levelOf(space.availBytes, space.totalBytes, threshold) };
  }

  /** The node, and the followed program's process (else kubelet's): what the monitor's panel shows. */
  async sampleFor(
    programs: readonly { readonly name: string; readonly namespec: string; readonly pid: number }[],
    followed: string | null,
    nowMs: number,
  ): Promise<{ node: NodeFacts; usage: ProcessUsage | null }> {
    const p = programs.find((x) => x.namespec === followed) ?? programs.find((x) => x.name === 'kubelet');
    const [node, usage] = await Promise.all([this.node(), p && p.pid > 0 ? this.process(p.pid, nowMs) : null]);
    return { node, usage };
  }

  async process(pid: number, nowMs: number): Promise<ProcessUsage | null> {
    const [stat, status, fds] = await Promise.all([
      text(this.files, `/proc/${pid}/stat`),
      text(this.files, `/proc/${pid}/status`),
      this.files.list(`/proc/${pid}/fd`).catch(() => null),
    ]);
    if (!stat) return null;
    const ticks = cpuTicks(stat);
    const prev = this.last?.pid === pid ? this.last : null;
    const cpuPercent =
      ticks !== null && prev && nowMs > prev.atMs
        ? ((ticks - prev.ticks) / 100 / ((nowMs - prev.atMs) / 1000)) * 100
        : null;
    this.last = ticks === null ? null : { pid, ticks, atMs: nowMs };
    const rssKb = status ? parseStatusField(status, 'VmRSS') : null;
    return {
      pid,
      cpuPercent: cpuPercent === null ? null : Math.max(0, cpuPercent),
      cpuSeconds: ticks === null ? null : ticks / 100,
      rssBytes: rssKb === null ? null : rssKb * 1024,
      threads: status ? parseStatusField(status, 'Threads') : null,
      openFiles: fds ? fds.length : null,
    };
  }
}
