/** The node panel in words, the same in `status` and the TUI: one line each, shortest first to be cut. */
import { describeThreshold, formatBytes } from '../kubelet/eviction.js';
import type { DiskFacts, NodeFacts, Pressure, ProcessUsage } from './node-facts.js';
import { plural } from './words.js';

const pct = (p: Pressure | null | undefined) => (p ? `${p.some.toFixed(1)}%` : '-');

export function loadWords(n: NodeFacts): string {
  if (!n.load) return 'load ?';
  const load = `load ${n.load.map((x) => x.toFixed(2)).join(' ')}`;
  if (!n.cpus) return load;
  return `${load} on ${plural(n.cpus, 'cpu')}`;
}

export function memoryWords(n: NodeFacts): string {
  const m = n.memory;
  if (!m) return 'memory ?';
  const evicts = m.threshold ? ` (evicts below ${describeThreshold(m.threshold)})` : '';
  return `memory ${formatBytes(m.availBytes)} of ${formatBytes(m.totalBytes)} available${evicts}`;
}

/**
 * The node's line in two forms: in full, and short enough for 80 columns with memory, pressure and load all
 * there (`mem 120 MiB free (evicts <100 MiB)` · `psi cpu 13% mem 41% io 1%` · `load 7.9`); swap goes first.
 */
export function nodeLineWords(n: NodeFacts, short: boolean): { memory: string; rest: string } {
  if (!short) return { memory: memoryWords(n), rest: ` · ${pressureWords(n)} · ${loadWords(n)} · ${swapWords(n)}` };
  const m = n.memory;
  const evicts = m?.threshold ? ` (evicts <${describeThreshold(m.threshold)})` : '';
  const memory = m ? `mem ${formatBytes(m.availBytes)} free${evicts}` : 'mem ?';
  const p = n.pressure;
  const whole = (x: Pressure | null | undefined) => (x ? `${Math.round(x.some)}%` : '-');
  const psi = p ? `psi cpu ${whole(p.cpu)} mem ${whole(p.memory)} io ${whole(p.io)}` : 'no psi';
  return { memory, rest: ` · ${psi} · load ${n.load ? n.load[0].toFixed(1) : '?'}` };
}

export function swapWords(n: NodeFacts): string {
  const m = n.memory;
  if (!m) return 'swap ?';
  return m.swapTotalBytes > 0 ? `swap ${formatBytes(m.swapTotalBytes - m.swapFreeBytes)} used` : 'no swap';
}

/** Pressure stall information (the share of the last 10 s that tasks waited), or why there is none. */
export function pressureWords(n: NodeFacts): string {
  if (!n.pressure) return 'no pressure figures in this kernel';
  return `pressure cpu ${pct(n.pressure.cpu)} memory ${pct(n.pressure.memory)} io ${pct(n.pressure.io)}`;
}

export function diskWords(d: DiskFacts): string {
  const evicts = d.threshold ? ` (evicts below ${describeThreshold(d.threshold)})` : '';
  return `${d.path} ${d.role}: ${formatBytes(d.availBytes)} of ${formatBytes(d.totalBytes)} free${evicts}`;
}

export function usageWords(name: string, u: ProcessUsage): string {
  return [`${name} pid ${u.pid}`, figureWords(u)].filter(Boolean).join(' · ');
}

/** A process's figures without its name: `cpu 3.0% · 120 MiB resident · 14 threads · 30 open files`. */
export function figureWords(u: ProcessUsage): string {
  const parts = [
    u.cpuPercent !== null ? `cpu ${u.cpuPercent.toFixed(1)}%` : null,
    u.rssBytes !== null ? `${formatBytes(u.rssBytes)} resident` : null,
    u.threads !== null ? plural(u.threads, 'thread') : null,
    u.openFiles !== null ? plural(u.openFiles, 'open file') : null,
  ];
  return parts.filter((p) => p !== null).join(' · ');
}

/** The worst level on the node: what colours the panel's title. */
export function worstLevel(n: NodeFacts | null): 'ok' | 'near' | 'over' {
  const levels = [n?.memory?.level, ...(n?.disks.map((d) => d.level) ?? [])];
  return levels.includes('over') ? 'over' : levels.includes('near') ? 'near' : 'ok';
}
