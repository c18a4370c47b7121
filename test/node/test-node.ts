/**
 * A throwaway Kubernetes node on this machine, for tests and the demo.
 *
 * Private mount, pid, network and uts namespaces (unshare), with /etc, /usr and /var overlaid onto a
 * temporary folder and /run on tmpfs: whatever happens inside lands in that folder, never in this machine's
 * own files, services or processes. Inside run the real supervisord (Debian's package), the kubelet stand-in
 * and the systemctl stand-in, laid out as a real installer would (see layouts/).
 *
 *   const node = await TestNode.up('kubekey-centos7');
 *   await node.exec(['kubesup-tui', 'status', '--json']);
 *   await node.reboot();   // everything killed, /run emptied, enabled units started again
 *   await node.down();
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeShell } from '../helpers/node-shell.js';
import { removeTestCgroups } from '../helpers/real-containerd.js';
import { prepareRelease, type SupervisorRelease } from './supervisor-releases.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../..');
export const LAYOUTS = ['kubekey-centos7', 'kubeadm-ubuntu', 'kubespray-debian', 'kubeadm-rocky-nosup'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

export type { ExecResult } from '../helpers/node-shell.js';

/** Why a test node cannot be built on this machine, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'the test node needs root (namespaces and overlay mounts)';
  for (const [bin, pkg] of [
    ['unshare', 'util-linux'],
    ['nsenter', 'util-linux'],
    ['ip', 'iproute2'],
    ['supervisord', 'supervisor'],
    ['cc', 'gcc'],
  ] as const) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0)
      return `${bin} is missing (apt-get install -y ${pkg})`;
  }
  return undefined;
}

/** Compiles the C stand-ins once per source version, into a cache folder outside the repo. */
export function buildStandins(): string {
  const sources = ['kubelet-standin.c', 'node-init.c', 'service-standin.c'].map((f) =>
    fs.readFileSync(path.join(HERE, f)),
  );
  const hash = crypto.createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `kubesup-node-build-${hash}`);
  if (fs.existsSync(path.join(dir, 'done'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  for (const [src, out] of [
    ['kubelet-standin.c', 'kubelet'],
    ['node-init.c', 'node-init'],
    ['service-standin.c', 'service-standin'],
  ] as const) {
    const r = spawnSync('cc', ['-O2', '-Wall', '-o', path.join(dir, out), path.join(HERE, src)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot compile ${src}: ${r.stderr}`);
  }
  fs.writeFileSync(path.join(dir, 'done'), '');
  return dir;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TestNode extends NodeShell {
  private initPid = 0;
  private unsharePid = 0;

  private constructor(
    readonly layout: LayoutName,
    /** The node's folder on this machine: upper/ holds every change made to /etc, /usr and /var. */
    readonly dir: string,
    private readonly buildDir: string,
    /** Launchers of the supervisord release to install over /usr/bin's, or null for Debian's own. */
    private readonly supervisorDir: string | null,
    /** Node.js made unusable in the node; the stand-ins run on a private one (`standinNode`). */
    private readonly hideNode = false,
    /** The systemctl stand-in keeps each unit's processes in a cgroup of its own, as systemd does (boot.sh). */
    private readonly unitCgroups = false,
  ) {
    super();
  }

  /**
   * `supervisor`: which supervisord the node runs (default: 3.4.0 on the CentOS 7 reference layout, as EPEL
   * ships it there; Debian's 4.2.5 elsewhere).
   */
  static async up(
    layout: LayoutName,
    options: { dir?: string; supervisor?: SupervisorRelease; hideNode?: boolean; unitCgroups?: boolean } = {},
  ): Promise<TestNode> {
    const missing = missingPrerequisite();
    if (missing) throw new Error(missing);
    const release = options.supervisor ?? (layout === 'kubekey-centos7' ? '3.4.0' : 'debian');
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `kubesup-node-${layout}-`));
    // The single file's test runs (KUBESUP_BUILD=standalone) hide the node's Node.js from it.
    const hideNode = options.hideNode ?? process.env.KUBESUP_BUILD === 'standalone';
    const supervisorDir = prepareRelease(release);
    const node = new TestNode(layout, dir, buildStandins(), supervisorDir, hideNode, options.unitCgroups ?? false);
    await node.boot();
    return node;
  }

  private async boot(): Promise<void> {
    fs.rmSync(path.join(this.dir, 'booted'), { force: true });
    const child = spawn(
      'unshare',
      [
        '--mount',
        '--pid',
        '--net',
        '--uts',
        '--fork',
        '--mount-proc',
        '--propagation',
        'private',
        path.join(this.buildDir, 'node-init'),
        path.join(HERE, 'boot.sh'),
        this.dir,
        path.join(HERE, 'layouts', this.layout),
        this.buildDir,
        this.supervisorDir ?? '',
        this.hideNode ? 'hide-node' : '',
        this.unitCgroups ? 'unit-cgroups' : '',
      ],
      { detached: true, stdio: ['ignore', 'ignore', fs.openSync(path.join(this.dir, 'boot.log'), 'a')] },
    );
    child.unref();
    this.unsharePid = child.pid ?? 0;
    for (let i = 0; i < 600; i++) {
      if (!this.initPid) {
        const children = fs.readFileSync(`/proc/${this.unsharePid}/task/${this.unsharePid}/children`, 'utf8').trim();
        this.initPid = Number(children.split(' ')[0] || 0);
      }
      if (fs.existsSync(path.join(this.dir, 'booted'))) return;
      if (child.exitCode !== null || !fs.existsSync(`/proc/${this.unsharePid}`)) break;
      await sleep(50);
    }
    const log = fs.existsSync(path.join(this.dir, 'boot.log'))
      ? fs.readFileSync(path.join(this.dir, 'boot.log'), 'utf8')
      : '';
    await this.kill();
    throw new Error(`test node ${this.layout} did not boot:\n${log.slice(-2000)}`);
  }

  /** The Node.js that test helpers inside the node (proxies, stand-ins) run on, hidden or not. */
  get standinNode(): string {
    return this.hideNode ? '/run/kubesup-standin/node' : 'node';
  }

  /** The host pid of the node's PID 1, for nsenter. */
  get pid(): number {
    return this.initPid;
  }

  /**
   * Path on this machine through which the node's file is seen (its mount namespace's root). Symlinks are
   * resolved inside the node: an absolute link such as /var/run -> /run would otherwise point at this
   * machine's own /run.
   */
  hostPath(nodePath: string): string {
    const root = `/proc/${this.initPid}/root`;
    const parts = nodePath.split('/').filter(Boolean);
    let resolved: string[] = [];
    for (let hops = 0; parts.length > 0 && hops < 64; ) {
      const part = parts.shift() as string;
      if (part === '.') continue;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      const candidate = [...resolved, part];
      let target: string | undefined;
      try {
        target = fs.readlinkSync(path.join(root, ...candidate));
      } catch {
        target = undefined;
      }
      if (target === undefined) {
        resolved = candidate;
        continue;
      }
      hops++;
      parts.unshift(...target.split('/').filter(Boolean));
      if (target.startsWith('/')) resolved = [];
    }
    return path.join(root, ...resolved);
  }

  readFile(nodePath: string): string {
    return fs.readFileSync(this.hostPath(nodePath), 'utf8');
  }

  /** argv for running a command inside the node (for tmux and the like). */
  override enterArgv(argv: readonly string[]): string[] {
    return ['nsenter', '-t', String(this.initPid), '-m', '-p', '-n', '-u', '--', ...argv];
  }

  private async kill(): Promise<void> {
    // PID 1 of the namespace dying takes every process in it along, as a power cut would.
    for (const pid of [this.initPid, this.unsharePid]) {
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (let i = 0; i < 200 && this.unsharePid && fs.existsSync(`/proc/${this.unsharePid}`); i++) {
      const stat = fs.readFileSync(`/proc/${this.unsharePid}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(stat)) break;
      await sleep(20);
    }
    this.initPid = 0;
    // The cgroups the systemctl stand-in kept the node's units in (boot.sh), emptied by the kill.
    const parent = path.basename(this.dir);
    if (fs.existsSync(path.join('/sys/fs/cgroup/systemd', parent))) await removeTestCgroups(parent);
  }

  /** Kill everything in the node and boot it again: /etc, /usr, /var kept; /run emptied. */
  async reboot(): Promise<void> {
    await this.kill();
    await this.boot();
  }

  /** Kill everything in the node and delete its folder. */
  async down(options: { keep?: boolean } = {}): Promise<void> {
    await this.kill();
    if (!options.keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
