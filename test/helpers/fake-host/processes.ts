/** The node's processes in memory: what /proc would show, with spawn and kill. */
import path from 'node:path';
import type { ProcessRecord, ProcessTable } from '../../../src/core/host.js';

export const OWN_PID_NS = 'pid:[4026531836]';

export class FakeProcesses implements ProcessTable {
  readonly table = new Map<number, ProcessRecord>();
  private nextPid = 1000;

  spawn(argv: readonly string[], over: Partial<ProcessRecord> = {}): number {
    const pid = over.pid ?? this.nextPid++;
    const exe = over.exe ?? argv[0];
    this.table.set(pid, {
      pid,
      ppid: 1,
      comm: path.basename(argv[0] ?? '').slice(0, 15),
      argv: [...argv],
      environ: {},
      cgroup: '',
      pidNamespace: OWN_PID_NS,
      startedAfterBootS: 100,
      ...(exe ? { exe } : {}),
      ...over,
    });
    return pid;
  }

  kill(pid: number): void {
    this.table.delete(pid);
  }

  /** Pids whose argv[0] ends in `name`. */
  named(name: string): number[] {
    return [...this.table.values()].filter((p) => path.basename(p.argv?.[0] ?? '') === name).map((p) => p.pid);
  }

  async pids() {
    return [...this.table.keys()].sort((a, b) => a - b);
  }

  async brief(pid: number) {
    const p = this.table.get(pid);
    return p ? { pid, ...(p.comm ? { comm: p.comm } : {}), ...(p.exe ? { exe: p.exe } : {}) } : undefined;
  }

  async full(pid: number) {
    const p = this.table.get(pid);
    return p ? { ...p } : undefined;
  }

  async ownPidNamespace() {
    return OWN_PID_NS;
  }
}
