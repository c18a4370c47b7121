/**
 * Real memory pressure on a test node, bounded, for the crash the README shows and the TUI's test checks.
 *
 * The monitor reads the node's memory from /proc/meminfo, which in the test node is this machine's. So:
 * 1. `prepare`: kubelet's hard eviction threshold is set in its config to a whole GiB just under the memory
 *    available now (what the monitor will show), and a memory cgroup is made for the node (supervisord and its
 *    programs), its limit just over what they are about to hold (as a MemoryMax= on supervisord.service does);
 * 2. `confine`: every process of the node goes into that cgroup, before the migration starts kubelet under
 *    supervisord: all the node starts from then on is born there (supervisord restarted by the migration too), as
 *    a real kubelet is born in supervisord.service's cgroup and stays there. kubesup-agent reads the oom_kill count
 *    of the cgroup kubelet started in, and cgroup v1 counts an OOM kill in the victim's own cgroup only;
 * 3. `growKubelet`: kubelet (the stand-in) grows to K and holds it: the node's memory falls below the threshold;
 * 4. `startHog`: a memory hog in the node, in the same cgroup, claims H (< K) more: the cgroup is full, and the
 *    kernel's OOM killer kills the largest process in it, kubelet. The next kubelet starts small, the hog keeps
 *    its H: the node stays below the threshold, and the cgroup holds them both.
 * Nothing here ever holds more of this machine than the cgroup's limit (2 to 4 GiB).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestNode } from './test-node.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** The sizes, from the memory available when the node is prepared. */
export interface PressurePlan {
  /** kubelet's evictionHard memory.available: a whole GiB, 256 MiB to 1.25 GiB under what is available. */
  readonly thresholdGiB: number;
  /** The hog: enough to leave the node 640 MiB under the threshold once kubelet has died. */
  readonly hogMiB: number;
  /** What kubelet grows to before the hog comes: more than the hog, so the kernel picks kubelet. */
  readonly kubeletMiB: number;
  /** The cgroup's limit: kubelet and all but 128 MiB of the hog fit; kubelet and the whole hog do not. */
  readonly limitMiB: number;
}

export function planPressure(availableBytes: number): PressurePlan {
  const thresholdGiB = Math.floor((availableBytes - 256 * MiB) / GiB);
  const hogMiB = Math.ceil((availableBytes - thresholdGiB * GiB) / MiB) + 640;
  const kubeletMiB = hogMiB + 256;
  return { thresholdGiB, hogMiB, kubeletMiB, limitMiB: kubeletMiB + hogMiB - 128 };
}

/** This process's memory cgroup folder (v1's memory hierarchy, else v2's), where a child can be made. */
function ownMemoryCgroup(): string | undefined {
  const lines = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const v1 = lines.map((l) => /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(.*)$/.exec(l)?.[1]).find((p) => p !== undefined);
  if (v1 !== undefined && fs.existsSync(path.join('/sys/fs/cgroup/memory', v1, 'memory.limit_in_bytes')))
    return path.join('/sys/fs/cgroup/memory', v1);
  const v2 = lines.map((l) => /^0::(.*)$/.exec(l)?.[1]).find((p) => p !== undefined);
  if (v2 === undefined) return undefined;
  const dir = path.join('/sys/fs/cgroup', v2);
  const subtree = path.join(dir, 'cgroup.subtree_control');
  return fs.existsSync(subtree) && fs.readFileSync(subtree, 'utf8').includes('memory') ? dir : undefined;
}

/** Why a node's memory cannot be pressed here, or undefined. */
export function missingMemoryCgroup(): string | undefined {
  return ownMemoryCgroup() ? undefined : 'no memory cgroup this process can make a child in';
}

export class MemoryPressure {
  private constructor(
    private readonly node: TestNode,
    /** The cgroup's folder on this machine (and in the node, which sees /sys as it is). */
    readonly cgroup: string,
    readonly plan: PressurePlan,
    private readonly v1: boolean,
  ) {}

  /** Sets kubelet's threshold (before the monitor reads it) and makes the cgroup. */
  static async prepare(node: TestNode): Promise<MemoryPressure> {
    const parent = ownMemoryCgroup();
    if (!parent) throw new Error(missingMemoryCgroup());
    const available = Number(/^MemAvailable:\s+(\d+) kB/m.exec(await node.sh('cat /proc/meminfo'))?.[1]) * 1024;
    const plan = planPressure(available);
    await node.sh(
      `printf 'evictionHard:\\n  memory.available: "%sGi"\\n  nodefs.available: "10%%"\\n' ${plan.thresholdGiB}` +
        ' >> /var/lib/kubelet/config.yaml',
    );
    const cgroup = path.join(parent, `kubesup-node-${node.pid}`);
    fs.mkdirSync(cgroup, { recursive: true });
    const v1 = fs.existsSync(path.join(cgroup, 'memory.limit_in_bytes'));
    fs.writeFileSync(path.join(cgroup, v1 ? 'memory.limit_in_bytes' : 'memory.max'), String(plan.limitMiB * MiB));
    return new MemoryPressure(node, cgroup, plan, v1);
  }

  /** Every process of the node (its init and all under it) into the cgroup: what they start is born there. */
  async confine(): Promise<void> {
    await this.node.sh(
      `into() { echo "$1" 2>/dev/null > ${this.cgroup}/cgroup.procs
                for c in $(cat /proc/$1/task/*/children 2>/dev/null); do into $c; done; }
       into 1`,
    );
  }

  /** kubelet grows to its size and holds it; the next kubelet, not told to grow, starts small. */
  async growKubelet(): Promise<void> {
    const { kubeletMiB } = this.plan;
    await this.node.sh(`mkdir -p /run/kubelet-standin && echo ${kubeletMiB} > /run/kubelet-standin/grow-mb`);
    await this.node.waitFor(`[ $(cat ${this.cgroup}/memory.${this.v1 ? 'usage_in_bytes' : 'current'}) -gt \
      ${kubeletMiB * MiB} ]`);
    await this.node.sh('rm /run/kubelet-standin/grow-mb');
  }

  /** The hog: a process in the node and in the cgroup, holding its size (touched, so resident) until the end. */
  async startHog(): Promise<void> {
    const hold = `import time; b = bytearray([120]) * (${this.plan.hogMiB} * 1048576); time.sleep(86400)`;
    await this.node.sh(`sh -c 'echo $$ > ${this.cgroup}/cgroup.procs; exec python3 -c "${hold}"' \
      </dev/null >/dev/null 2>&1 &`);
  }

  /** How many processes of the cgroup the kernel's OOM killer has killed. */
  oomKills(): number {
    const file = path.join(this.cgroup, this.v1 ? 'memory.oom_control' : 'memory.events');
    return Number(/^oom_kill (\d+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? 0);
  }

  /** Ends the processes in the cgroup (the node's: supervisord, its programs, the hog) and removes it. */
  async release(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      try {
        for (const pid of fs.readFileSync(path.join(this.cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean))
          process.kill(Number(pid), 'SIGKILL');
        fs.rmdirSync(this.cgroup);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`cannot remove ${this.cgroup}`);
  }
}
