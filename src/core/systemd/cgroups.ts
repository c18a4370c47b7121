/**
 * A process's cgroups (/proc/PID/cgroup) and where each hierarchy is mounted (/proc/self/mountinfo): which unit
 * holds a process, and which folder to write to move it. Pure: the text in, paths out.
 *
 * cgroup v2 is one hierarchy (`0::/system.slice/x.service`); v1 has one per controller or set of controllers
 * (`4:memory:/system.slice/x.service`) plus systemd's own (`1:name=systemd:/...`); a hybrid node has both. On
 * v1 systemd keeps every unit in name=systemd; on a hybrid node it tracks (and kills) through the v2 one and
 * mirrors name=systemd: a process belongs to a unit by those two.
 */

export interface CgroupLine {
  /** The hierarchy's number, the same for every process on the node; "0" is cgroup v2's. */
  readonly hierarchy: string;
  /** `memory`, `cpu,cpuacct`, `name=systemd`; "" for cgroup v2. */
  readonly controllers: string;
  /** The folder, from the hierarchy's root as this process sees it: `/system.slice/containerd.service`. */
  readonly path: string;
}

export function parseCgroupFile(text: string): CgroupLine[] {
  const lines: CgroupLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(\/.*)$/.exec(line);
    if (m) lines.push({ hierarchy: m[1] as string, controllers: m[2] as string, path: m[3] as string });
  }
  return lines;
}

/** The hierarchies that say which unit a process belongs to: v2's, and v1's name=systemd. */
export function tracksUnits(line: CgroupLine): boolean {
  return (line.hierarchy === '0' && line.controllers === '') || line.controllers.split(',').includes('name=systemd');
}

/** Whether the folder is the unit's (`/system.slice/x.service`) or one below it. */
export function inUnitFolder(line: CgroupLine, unit: string): boolean {
  return line.path.split('/').includes(unit);
}

/** Whether the process (its /proc/PID/cgroup) belongs to the unit, in systemd's eyes. */
export function belongsToUnit(cgroupText: string, unit: string): boolean {
  return parseCgroupFile(cgroupText).some((l) => tracksUnits(l) && inUnitFolder(l, unit));
}

export interface CgroupMount {
  readonly mountPoint: string;
  /** The folder of the hierarchy mounted there (`/` unless a part of it is mounted). */
  readonly root: string;
  /** cgroup2, or the v1 options naming its controllers (`memory`, `name=systemd`). */
  readonly v2: boolean;
  readonly options: readonly string[];
}

/** mountinfo escapes a space as \040 (and a tab, a newline, a backslash likewise). */
const unescapeMountField = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));

/** The cgroup mounts in /proc/self/mountinfo (`ID PARENT MAJ:MIN ROOT POINT OPTS [TAGS] - TYPE SOURCE SUPER`). */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [type, , superOptions = ''] = right.split(' ');
    if ((type !== 'cgroup' && type !== 'cgroup2') || fields.length < 5) continue;
    mounts.push({
      mountPoint: unescapeMountField(fields[4] as string),
      root: unescapeMountField(fields[3] as string),
      v2: type === 'cgroup2',
      options: superOptions.split(','),
    });
  }
  return mounts;
}

/**
 * The folder on this node of `path` in the line's hierarchy (where its cgroup.procs is), or null when that
 * hierarchy is not mounted here, or only a part of it that does not hold the path.
 */
export function cgroupFolder(mounts: readonly CgroupMount[], line: CgroupLine, path: string): string | null {
  const wanted = line.controllers.split(',');
  for (const m of mounts) {
    const same = line.hierarchy === '0' ? m.v2 : !m.v2 && wanted.every((c) => m.options.includes(c));
    if (!same) continue;
    const root = m.root === '/' ? '' : m.root;
    if (path !== root && !path.startsWith(`${root}/`)) continue;
    const inside = path.slice(root.length);
    return `${m.mountPoint.replace(/\/$/, '')}${inside === '/' ? '' : inside}`;
  }
  return null;
}
