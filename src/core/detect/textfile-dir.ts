/**
 * Where node_exporter reads `*.prom` files from (its textfile collector), so that the resident agent writes
 * kubesup.prom where it is collected: the running node_exporter's `--collector.textfile.directory`, else the
 * folder this distribution's package uses, else none.
 */
import path from 'node:path/posix';
import type { FileReader, ProcessRecord, ProcessTable } from '../host.js';

const FLAG = 'collector.textfile.directory';

/** The folders distributions' packages give the textfile collector. */
export const DISTRIBUTION_TEXTFILE_DIRS = {
  /** Debian's and Ubuntu's prometheus-node-exporter: its binary's own default, and the folder it makes. */
  debian: '/var/lib/prometheus/node-exporter',
  /** Many EL installs (RHEL, CentOS, Rocky, Alma, Fedora: EPEL's package, the common Ansible roles). */
  el: '/var/lib/node_exporter/textfile_collector',
} as const;

export interface TextfileDir {
  readonly dir: string;
  /** Where it was found, for people: `node_exporter pid 812's --collector.textfile.directory`, `Debian's default`. */
  readonly from: string;
}

/** The textfile folder an argv names, `--flag=DIR` or `--flag DIR` (one dash too: Go's flags before kingpin). */
export function textfileFlag(argv: readonly string[]): string | null {
  let found: string | null = null;
  argv.forEach((arg, i) => {
    const name = arg.replace(/^--?/, '');
    if (name === arg) return;
    if (name.startsWith(`${FLAG}=`)) found = name.slice(FLAG.length + 1);
    else if (name === FLAG && argv[i + 1] !== undefined) found = argv[i + 1] as string;
  });
  // The last one given wins, as for the flag parser; an empty value turns the collector's folder off.
  return found || null;
}

/** node_exporter by its executable or argv[0]: upstream's `node_exporter`, Debian's `prometheus-node-exporter`. */
export function isNodeExporter(p: Pick<ProcessRecord, 'comm' | 'exe' | 'argv'>): boolean {
  const names = [p.exe?.replace(/ \(deleted\)$/, ''), p.argv?.[0]].map((x) => (x ? path.basename(x) : ''));
  // comm holds 15 characters: "prometheus-node" for Debian's binary.
  return (
    names.some((n) => n === 'node_exporter' || n === 'prometheus-node-exporter') ||
    p.comm === 'node_exporter' ||
    p.comm === 'prometheus-node'
  );
}

/**
 * A node_exporter whose paths are not this node's: in another pid namespace or a container's cgroup (a
 * DaemonSet such as kube-prometheus-stack's sees the node's folder under a mount of its own).
 */
function inContainer(p: ProcessRecord, ownNs: string | undefined): boolean {
  if (ownNs && p.pidNamespace && p.pidNamespace !== ownNs) return true;
  return /\/(docker|kubepods|libpod|lxc)[-/.]/.test(p.cgroup ?? '');
}

export type DistributionFamily = keyof typeof DISTRIBUTION_TEXTFILE_DIRS;

/** Debian-like or EL-like from /etc/os-release's ID and ID_LIKE; null for anything else or no file. */
export function distributionFamily(osRelease: string | undefined): DistributionFamily | null {
  const ids = (osRelease ?? '')
    .split('\n')
    .filter((l) => /^(ID|ID_LIKE)=/.test(l))
    .flatMap((l) =>
      l
        .replace(/^[A-Z_]+=/, '')
        .replace(/["']/g, '')
        .split(/\s+/),
    );
  if (ids.some((id) => id === 'debian' || id === 'ubuntu')) return 'debian';
  if (ids.some((id) => ['rhel', 'centos', 'fedora', 'rocky', 'almalinux', 'ol', 'amzn'].includes(id))) return 'el';
  return null;
}

const FAMILY_WORDS: Record<DistributionFamily, string> = { debian: "Debian's default", el: "EL's common default" };

/**
 * The running node_exporter's textfile folder (the first one on this node's paths that names one), else this
 * distribution's default folder, else null: the caller then writes no metrics, or asks for a folder.
 */
export async function textfileDir(host: {
  readonly procs: ProcessTable;
  readonly files: Pick<FileReader, 'read'>;
}): Promise<TextfileDir | null> {
  const ownNs = await host.procs.ownPidNamespace();
  for (const pid of await host.procs.pids()) {
    const brief = await host.procs.brief(pid);
    if (!brief || !isNodeExporter(brief)) continue;
    const full = await host.procs.full(pid);
    if (!full?.argv || !isNodeExporter(full) || inContainer(full, ownNs)) continue;
    const dir = textfileFlag(full.argv);
    if (dir) return { dir, from: `node_exporter pid ${pid}'s --${FLAG}` };
  }
  const osRelease = await host.files.read('/etc/os-release').catch(() => undefined);
  const family = distributionFamily(osRelease?.toString('utf8'));
  return family ? { dir: DISTRIBUTION_TEXTFILE_DIRS[family], from: FAMILY_WORDS[family] } : null;
}
