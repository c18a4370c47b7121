/**
 * containerd's shims, at a rollback. A shim (one per container, holding it) outlives containerd by design; the
 * ones the supervised containerd started live in supervisord's cgroup, and the migration's drop-in
 * (KillMode=process) keeps them alive when supervisord's unit stops. Rolled back, containerd runs under systemd
 * again, but those shims stay where they are: without the drop-in, the next restart of supervisord (EL's unit
 * has the default control-group; kubelet's own drop-in has mixed) would kill every one of their containers.
 *
 * So, once the unit runs again, each is moved into the unit's cgroup, where a containerd started by systemd
 * keeps its shims (the unit's KillMode=process leaves them at its own stops), in every hierarchy where the unit
 * has its folder. systemd reads a process's unit from its cgroup, so it takes them as containerd.service's (the
 * real-systemd test restarts supervisord after); its own AttachProcessesToUnit (D-Bus, systemd 238 and later)
 * makes the same writes, but CentOS 7 has 219. The drop-in goes only once no shim is left in supervisord's
 * cgroup: one that cannot be moved keeps it, and the rollback says so (a later rollback finishes it).
 */
import path from 'node:path/posix';
import type { Host, ProcessRecord } from '../../host.js';
import {
  belongsToUnit,
  type CgroupLine,
  cgroupFolder,
  inUnitFolder,
  parseCgroupFile,
  parseCgroupMounts,
} from '../../systemd/cgroups.js';
import type { Plan, PlannedFile } from '../plan/plan-model.js';

/** The executable of the children that outlive the unit's program, or null when it has none we know of. */
export function outlivingChildren(plan: Plan): string | null {
  return path.basename(plan.argv[0] ?? '') === 'containerd' ? 'containerd-shim' : null;
}

/** supervisord's drop-in of the migration that keeps its children alive at its stops (KillMode=process). */
export function keepsChildrenAlive(file: PlannedFile): boolean {
  return file.role === 'supervisor-dropin' && /^KillMode=process$/m.test(file.content);
}

/** `/usr/bin/containerd-shim-runc-v2 (deleted)` (after an upgrade) is still one. */
const isChild = (exe: string | undefined, prefix: string) =>
  exe !== undefined && path.basename(exe.replace(/ \(deleted\)$/, '')).startsWith(prefix);

/** The processes named `prefix`* that live in the unit's cgroup, in pid order. */
export async function childrenInUnit(host: Host, prefix: string, unit: string): Promise<ProcessRecord[]> {
  const found: ProcessRecord[] = [];
  for (const pid of await host.procs.pids()) {
    if (!isChild((await host.procs.brief(pid))?.exe, prefix)) continue;
    const p = await host.procs.full(pid);
    if (p?.cgroup && isChild(p.exe, prefix) && belongsToUnit(p.cgroup, unit)) found.push(p);
  }
  return found;
}

export interface Handover {
  /** Moved out of supervisord's cgroup, with the hierarchies each was moved in. */
  readonly moved: readonly { readonly pid: number; readonly hierarchies: readonly string[] }[];
  /** Still in supervisord's cgroup, and why. */
  readonly left: readonly { readonly pid: number; readonly why: string }[];
}

const hierarchyName = (l: CgroupLine) => (l.hierarchy === '0' ? 'cgroup v2' : l.controllers);

/**
 * The folders to write the child into, one per hierarchy where it is in `from`'s folder and the `to` unit's
 * main process is in `to`'s; or why it cannot be moved.
 */
export function movesFor(
  child: readonly CgroupLine[],
  target: readonly CgroupLine[],
  mounts: ReturnType<typeof parseCgroupMounts>,
  units: { readonly from: string; readonly to: string },
): { readonly folders: readonly { hierarchy: string; folder: string }[] } | { readonly why: string } {
  const folders: { hierarchy: string; folder: string }[] = [];
  for (const line of child) {
    if (!inUnitFolder(line, units.from)) continue;
    const there = target.find((t) => t.hierarchy === line.hierarchy && t.controllers === line.controllers);
    // A controller the unit has no folder in (v1): the child stays accounted there, which kills nothing.
    if (!there || !inUnitFolder(there, units.to)) continue;
    const folder = cgroupFolder(mounts, there, there.path);
    if (!folder) return { why: `the ${hierarchyName(line)} hierarchy is not mounted here` };
    folders.push({ hierarchy: hierarchyName(line), folder });
  }
  // systemd's own hierarchies last: a move cut short leaves the child in supervisord's unit, where it is kept.
  folders.sort((a, b) => rank(a.hierarchy) - rank(b.hierarchy));
  return { folders };
}

const rank = (h: string) => (h === 'cgroup v2' ? 2 : h.split(',').includes('name=systemd') ? 1 : 0);

/** Moves each of the unit's children left in supervisord's cgroup into the unit's; says what it did. */
export async function handOverChildren(host: Host, plan: Plan, prefix: string): Promise<Handover> {
  const units = { from: plan.supervisor.unit, to: plan.service.unit };
  const stranded = await childrenInUnit(host, prefix, units.from);
  if (!stranded.length) return { moved: [], left: [] };
  const nowhere = (why: string): Handover => ({ moved: [], left: stranded.map((p) => ({ pid: p.pid, why })) });
  const shown = await host.runner.run('systemctl', ['show', '-p', 'MainPID', '--value', units.to], {
    timeoutMs: 10_000,
  });
  const mainPid = Number(shown.stdout.trim());
  const main = mainPid > 0 ? await host.procs.full(mainPid) : undefined;
  if (!main?.cgroup) return nowhere(`${units.to} does not run: they have nowhere to go`);
  const target = parseCgroupFile(main.cgroup);
  const mounts = parseCgroupMounts((await host.files.read('/proc/self/mountinfo'))?.toString('utf8') ?? '');
  const moved: { pid: number; hierarchies: string[] }[] = [];
  const left: { pid: number; why: string }[] = [];
  for (const child of stranded) {
    const moves = movesFor(parseCgroupFile(child.cgroup ?? ''), target, mounts, units);
    if ('why' in moves || !moves.folders.length) {
      const why = 'why' in moves ? moves.why : `${units.to} has no cgroup of its own to take it`;
      left.push({ pid: child.pid, why });
      continue;
    }
    try {
      for (const { folder } of moves.folders) await host.cgroups.moveProcess(child.pid, folder);
      moved.push({ pid: child.pid, hierarchies: moves.folders.map((f) => f.hierarchy) });
    } catch (error) {
      left.push({ pid: child.pid, why: (error as Error).message });
    }
  }
  // What the kernel says now decides, whatever the writes said: an exited child is gone, not left.
  const still = new Set((await childrenInUnit(host, prefix, units.from)).map((p) => p.pid));
  return {
    moved: moved.filter((m) => !still.has(m.pid)),
    left: [
      ...left.filter((l) => still.has(l.pid)),
      ...moved.filter((m) => still.has(m.pid)).map((m) => ({ pid: m.pid, why: `still in ${units.from}'s cgroup` })),
    ],
  };
}

type OnRollbackStep = (e: { type: 'rollback-step'; title: string; ok: boolean; detail?: string }) => void;

/**
 * The handover as rollback lines, each saying what was done: which children moved where, which were left and
 * why. True when none is left in supervisord's cgroup (its drop-in may go).
 */
export async function handOver(host: Host, plan: Plan, prefix: string, onEvent: OnRollbackStep): Promise<boolean> {
  const from = plan.supervisor.unit;
  const to = plan.service.unit;
  let h: Handover;
  try {
    h = await handOverChildren(host, plan, prefix);
  } catch (error) {
    const detail = `could not look for them: ${(error as Error).message}`;
    onEvent({ type: 'rollback-step', title: `${prefix} processes in ${from}'s cgroup`, ok: false, detail });
    return false;
  }
  if (!h.moved.length && !h.left.length)
    onEvent({ type: 'rollback-step', title: `no ${prefix} left in ${from}'s cgroup: none to move`, ok: true });
  if (h.moved.length) {
    const pids = h.moved.map((m) => m.pid).join(', ');
    const hierarchies = [...new Set(h.moved.flatMap((m) => m.hierarchies))].join(', ');
    const title = `${prefix} ${pids} moved from ${from}'s cgroup into ${to}'s (${hierarchies})`;
    onEvent({ type: 'rollback-step', title, ok: true });
  }
  const byWhy = new Map<string, number[]>();
  for (const l of h.left) byWhy.set(l.why, [...(byWhy.get(l.why) ?? []), l.pid]);
  for (const [why, pids] of byWhy) {
    const title = `${prefix} ${pids.join(', ')} left in ${from}'s cgroup`;
    onEvent({ type: 'rollback-step', title, ok: false, detail: why });
  }
  return h.left.length === 0;
}

/** Why supervisord's drop-in stays, and what finishes the rollback. */
export function keptWhy(plan: Plan): string {
  const from = plan.supervisor.unit;
  const unit = plan.service.unit;
  return (
    `containerd's shims still live in ${from}'s cgroup: without this drop-in a restart of ${from} would kill ` +
    `their containers; kubesup-tui rollback --yes --unit ${unit} moves them and removes it`
  );
}
