/**
 * The kernel's cgroups in memory: a hybrid node's hierarchies (v1 controllers, name=systemd, and v2 mounted as
 * `unified`), each process's /proc/PID/cgroup, and a move into a cgroup as writing its cgroup.procs does.
 */
import type { CgroupWriter } from '../../../src/core/host.js';
import type { FakeFiles } from './files.js';
import type { FakeProcesses } from './processes.js';

/** A hybrid node's hierarchies as /proc/PID/cgroup numbers them, and where each is mounted. */
export const HYBRID = [
  { hierarchy: '9', controllers: 'name=systemd', mountPoint: '/sys/fs/cgroup/systemd' },
  { hierarchy: '8', controllers: 'pids', mountPoint: '/sys/fs/cgroup/pids' },
  { hierarchy: '4', controllers: 'memory', mountPoint: '/sys/fs/cgroup/memory' },
  { hierarchy: '2', controllers: 'cpu,cpuacct', mountPoint: '/sys/fs/cgroup/cpu,cpuacct' },
  { hierarchy: '0', controllers: '', mountPoint: '/sys/fs/cgroup/unified' },
] as const;

/**
 * /proc/PID/cgroup of a process in `folder` (`/system.slice/x.service`) in every hierarchy but those of
 * `rootIn` (controllers the unit has no folder in, where it is in the root).
 */
export function hybridCgroup(folder: string, rootIn: readonly string[] = []): string {
  return HYBRID.map((h) => `${h.hierarchy}:${h.controllers}:${rootIn.includes(h.controllers) ? '/' : folder}\n`).join(
    '',
  );
}

export class FakeCgroups implements CgroupWriter {
  /** A folder whose cgroup.procs refuses a write, with the error it throws. */
  readonly refuse = new Map<string, string>();
  /** Every move, as `PID -> FOLDER`. */
  readonly moves: string[] = [];

  constructor(private readonly procs: FakeProcesses) {}

  /** Mounts the hybrid hierarchies: /proc/self/mountinfo lists them. */
  mountHybrid(files: FakeFiles): void {
    const lines = HYBRID.map((h, i) => {
      const type = h.hierarchy === '0' ? 'cgroup2 cgroup2 rw' : `cgroup cgroup rw,${h.controllers}`;
      return `${30 + i} 25 0:${27 + i} / ${h.mountPoint} rw,nosuid,nodev,noexec,relatime shared:${9 + i} - ${type}\n`;
    });
    files.put(
      '/proc/self/mountinfo',
      `25 1 0:26 / /sys/fs/cgroup rw shared:8 - tmpfs tmpfs rw,mode=755\n${lines.join('')}`,
    );
  }

  async moveProcess(pid: number, folder: string): Promise<void> {
    const refused = this.refuse.get(folder);
    if (refused) throw new Error(refused);
    const h = HYBRID.find((m) => folder === m.mountPoint || folder.startsWith(`${m.mountPoint}/`));
    if (!h) throw new Error(`${folder} is not on a cgroup file system`);
    const p = this.procs.table.get(pid);
    if (!p) throw new Error(`ESRCH: no such process ${pid}`);
    const path = folder.slice(h.mountPoint.length) || '/';
    const at = `${h.hierarchy}:${h.controllers}:`;
    const lines = (p.cgroup ?? '').split('\n').filter(Boolean);
    const cgroup = lines.map((l) => (l.startsWith(at) ? `${at}${path}` : l));
    this.procs.table.set(pid, { ...p, cgroup: `${cgroup.join('\n')}\n` });
    this.moves.push(`${pid} -> ${folder}`);
  }
}
