/** Processes, read from /proc (never by parsing `ps`). */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { ProcessRecord, ProcessTable } from '../core/host.js';

// Synchronous on purpose: /proc files are made by the kernel from memory and never wait on a disk, and a scan
// touches every process on the node. One thread-pool round trip per file made a 300-process scan cost more
// than the rest of `status` together. Except cmdline and environ (read for the few candidates only): they
// read the process's memory, and can wait on it under memory pressure.
function readOr(path: string): Buffer | undefined {
  try {
    return fs.readFileSync(path);
  } catch {
    return undefined;
  }
}
async function readLater(path: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(path);
  } catch {
    return undefined;
  }
}
function linkOr(path: string): string | undefined {
  try {
    return fs.readlinkSync(path);
  } catch {
    return undefined;
  }
}

function splitNul(buf: Buffer): string[] {
  const parts = buf.toString('utf8').split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

export function parseStat(stat: string): { ppid?: number; startTicks?: number } {
  // comm may hold spaces and parentheses: fields start after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  return { ...(Number.isFinite(ppid) ? { ppid } : {}), ...(Number.isFinite(startTicks) ? { startTicks } : {}) };
}

// USER_HZ is 100 on every Linux architecture kubelet runs on.
const CLOCK_TICKS = 100;

export function createProcTable(procRoot = '/proc'): ProcessTable {
  return {
    async pids() {
      let names: string[];
      try {
        names = fs.readdirSync(procRoot);
      } catch {
        names = [];
      }
      return names
        .filter((n) => /^\d+$/.test(n))
        .map(Number)
        .sort((a, b) => a - b);
    },
    async brief(pid) {
      const comm = readOr(`${procRoot}/${pid}/comm`);
      if (!comm) return undefined;
      const exe = linkOr(`${procRoot}/${pid}/exe`);
      return { pid, comm: comm.toString('utf8').trim(), ...(exe ? { exe } : {}) };
    },
    async full(pid) {
      const base = `${procRoot}/${pid}`;
      const comm = readOr(`${base}/comm`);
      const [cmdline, environ] = await Promise.all([readLater(`${base}/cmdline`), readLater(`${base}/environ`)]);
      const cgroup = readOr(`${base}/cgroup`);
      const stat = readOr(`${base}/stat`);
      const exe = linkOr(`${base}/exe`);
      const ns = linkOr(`${base}/ns/pid`);
      if (!comm && !cmdline) return undefined;
      const env: Record<string, string> = {};
      if (environ) {
        for (const entry of splitNul(environ)) {
          const eq = entry.indexOf('=');
          if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
        }
      }
      const { ppid, startTicks } = stat ? parseStat(stat.toString('utf8')) : {};
      const record: ProcessRecord = {
        pid,
        ...(ppid !== undefined ? { ppid } : {}),
        ...(comm ? { comm: comm.toString('utf8').trim() } : {}),
        ...(cmdline && cmdline.length > 0 ? { argv: splitNul(cmdline) } : {}),
        ...(exe ? { exe } : {}),
        ...(environ ? { environ: env } : {}),
        ...(cgroup ? { cgroup: cgroup.toString('utf8') } : {}),
        ...(ns ? { pidNamespace: ns } : {}),
        ...(startTicks !== undefined ? { startedAfterBootS: startTicks / CLOCK_TICKS } : {}),
      };
      return record;
    },
    async ownPidNamespace() {
      return linkOr(`${procRoot}/self/ns/pid`);
    },
  };
}
