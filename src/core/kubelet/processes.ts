/**
 * kubelet processes on this node, found through /proc by their executable (not by grepping ps).
 */
import path from 'node:path/posix';
import type { ProcessRecord, ProcessTable } from '../host.js';

/** kubelet itself, or `hyperkube kubelet …` on old nodes (comm is then "hyperkube"). */
export function isKubeletArgv(argv: readonly string[] | undefined, exe?: string): boolean {
  if (!argv || argv.length === 0) return false;
  const base = path.basename(argv[0] as string);
  const exeBase = exe ? path.basename(exe.replace(/ \(deleted\)$/, '')) : '';
  if (base === 'kubelet' || exeBase === 'kubelet') return true;
  return (base === 'hyperkube' || exeBase === 'hyperkube') && argv[1] === 'kubelet';
}

export async function findKubeletProcesses(procs: ProcessTable): Promise<ProcessRecord[]> {
  const found: ProcessRecord[] = [];
  for (const pid of await procs.pids()) {
    const brief = await procs.brief(pid);
    if (!brief) continue;
    const exeBase = brief.exe ? path.basename(brief.exe.replace(/ \(deleted\)$/, '')) : '';
    if (brief.comm !== 'kubelet' && brief.comm !== 'hyperkube' && exeBase !== 'kubelet' && exeBase !== 'hyperkube')
      continue;
    const full = await procs.full(pid);
    if (full && isKubeletArgv(full.argv, full.exe)) found.push(full);
  }
  return found;
}
