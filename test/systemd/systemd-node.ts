/**
 * A test node that boots a real systemd as PID 1, under systemd-nspawn: Debian bookworm's systemd 252,
 * dbus and supervisor, from a root built once with mmdebstrap and cached outside the repo, unpacked fresh for
 * each node, with a test node layout laid into it. Where the stand-in node (test/node/) mocks systemctl, this
 * one has the real thing: enable links, KillMode=, Restart=, ordering at boot and at shutdown.
 *
 *   const node = await SystemdNode.up('kubekey-centos7');
 *   await node.exec(['systemctl', 'is-active', 'kubelet']);
 *   await node.reboot();      // `systemctl reboot` inside; nspawn exits 133 and the node is booted again
 *   await node.down();        // SIGTERM to nspawn powers it off cleanly; the root is deleted
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeShell } from '../helpers/node-shell.js';
import { buildStandins, REPO_ROOT } from '../node/test-node.js';
import { ensureRootImage } from './root-image.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SYSTEMD_LAYOUTS = ['kubekey-centos7', 'kubeadm-ubuntu', 'kubespray-debian'] as const;
export type SystemdLayout = (typeof SYSTEMD_LAYOUTS)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why a real-systemd node cannot boot here, or undefined when it can. */
export function missingSystemdPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'the real-systemd node needs root';
  for (const [bin, pkg] of [
    ['systemd-nspawn', 'systemd-container'],
    ['mmdebstrap', 'mmdebstrap'],
    ['nsenter', 'util-linux'],
  ] as const) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is missing (apt-get install ${pkg})`;
  }
  if (!fs.existsSync('/sys/fs/cgroup/systemd') && !fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    return 'no systemd cgroup hierarchy (/sys/fs/cgroup/systemd) to boot systemd in';
  }
  return undefined;
}

/** The cgroups the node's nspawn runs in: one per node, in every hierarchy systemd uses (hybrid v1 here). */
function cgroupDirs(name: string): string[] {
  const v1 = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((d) =>
    fs.existsSync(path.join(d, 'cgroup.procs')),
  );
  return (v1.length ? v1 : ['/sys/fs/cgroup']).map((d) => path.join(d, name));
}

/** Removes a cgroup and the ones systemd made below it, deepest first. */
function removeCgroup(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) removeCgroup(path.join(dir, e.name));
  try {
    fs.rmdirSync(dir);
  } catch {
    // still busy: a process lingers; the next boot uses another name
  }
}

export class SystemdNode extends NodeShell {
  private nspawn: ReturnType<typeof spawn> | null = null;
  private initPid = 0;
  private boots = 0;

  private constructor(
    readonly layout: SystemdLayout,
    /** The node's folder: root/ is its file system, boot.log what nspawn printed. */
    readonly dir: string,
    private readonly withNode: boolean,
    /** runc may run containers in it: nspawn's filter refuses the kernel keyring runc gives each one. */
    private readonly containers: boolean,
  ) {
    super();
  }

  get root(): string {
    return path.join(this.dir, 'root');
  }

  /**
   * `withNode: false` boots a node without Node.js at all (this repository is still mounted), for the
   * single-file build: a hidden need for a `node` binary then fails.
   */
  static async up(
    layout: SystemdLayout,
    options: { withNode?: boolean; containers?: boolean } = {},
  ): Promise<SystemdNode> {
    const missing = missingSystemdPrerequisite();
    if (missing) throw new Error(missing);
    const image = await ensureRootImage();
    const node = new SystemdNode(
      layout,
      fs.mkdtempSync(path.join(os.tmpdir(), `kubesup-sysnode-${layout}-`)),
      // The single file's runs (KUBESUP_BUILD=standalone) boot nodes without Node.js.
      options.withNode ?? process.env.KUBESUP_BUILD !== 'standalone',
      options.containers ?? false,
    );
    fs.mkdirSync(node.root);
    const untar = spawnSync('tar', ['-C', node.root, '-xf', image], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`cannot unpack ${image}: ${untar.stderr}`);
    const layoutDir = path.join(REPO_ROOT, 'test/node/layouts', layout);
    const laid = spawnSync('bash', [path.join(HERE, 'lay-out.sh'), node.root, layoutDir, buildStandins()], {
      encoding: 'utf8',
    });
    if (laid.status !== 0) throw new Error(`cannot lay out ${layout}: ${laid.stderr}`);
    await node.boot();
    return node;
  }

  private cgroupName(): string {
    return `kubesup-${path.basename(this.dir)}-${this.boots}`;
  }

  private async boot(): Promise<void> {
    this.boots++;
    const dirs = cgroupDirs(this.cgroupName());
    for (const d of dirs) fs.mkdirSync(d, { recursive: true });
    // nspawn must start in a cgroup of its own: with no systemd on this machine it cannot ask for a scope.
    const join = dirs.map((d) => `echo $$ > ${d}/cgroup.procs`).join('; ');
    const args = [
      '-D',
      this.root,
      '--boot',
      '--register=no',
      '--keep-unit',
      '--private-network',
      '--timezone=off',
      '--resolv-conf=off',
      '--link-journal=no',
      '--console=passive',
      `--machine=${this.layout}`,
      ...(this.withNode ? [`--bind-ro=${process.execPath}:/usr/local/bin/node`] : []),
      ...(this.containers ? ['--system-call-filter=@keyring'] : []),
      `--bind-ro=${REPO_ROOT}`,
    ];
    const log = fs.openSync(path.join(this.dir, 'boot.log'), 'a');
    this.nspawn = spawn('sh', ['-c', `${join}; exec systemd-nspawn "$@"`, 'sh', ...args], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    this.nspawn.unref();
    this.initPid = 0;
    const nspawnPid = this.nspawn.pid ?? 0;
    for (let i = 0; i < 600; i++) {
      if (!this.initPid) {
        const children = fs.existsSync(`/proc/${nspawnPid}`)
          ? fs.readFileSync(`/proc/${nspawnPid}/task/${nspawnPid}/children`, 'utf8').trim()
          : '';
        this.initPid = Number(children.split(' ')[0] || 0);
      }
      if (this.initPid) {
        const state = (await this.exec(['systemctl', 'is-system-running'])).stdout.trim();
        if (state === 'running' || state === 'degraded') return;
      }
      if (this.nspawn.exitCode !== null) break;
      await sleep(100);
    }
    const bootLog = fs.readFileSync(path.join(this.dir, 'boot.log'), 'utf8').slice(-3000);
    throw new Error(`real-systemd node ${this.layout} did not boot:\n${bootLog}`);
  }

  override enterArgv(argv: readonly string[]): string[] {
    return ['nsenter', '-t', String(this.initPid), '-m', '-u', '-i', '-n', '-p', '-C', '--', ...argv];
  }

  /** The node's file as seen from this machine: its root is a folder here (links resolved inside it). */
  hostPath(nodePath: string): string {
    let current = '';
    const parts = nodePath.split('/').filter(Boolean);
    for (let hops = 0; parts.length > 0 && hops < 64; ) {
      const part = parts.shift() as string;
      if (part === '..') current = path.dirname(current);
      if (part === '.' || part === '..') continue;
      const candidate = `${current}/${part}`;
      let target: string | undefined;
      try {
        target = fs.readlinkSync(path.join(this.root, candidate));
      } catch {
        target = undefined;
      }
      if (target === undefined) current = candidate;
      else {
        hops++;
        parts.unshift(...target.split('/').filter(Boolean));
        if (target.startsWith('/')) current = '';
      }
    }
    return path.join(this.root, current);
  }

  readFile(nodePath: string): string {
    return fs.readFileSync(this.hostPath(nodePath), 'utf8');
  }

  private async waitExit(timeoutMs: number): Promise<number | null> {
    const child = this.nspawn;
    if (!child) return null;
    if (child.exitCode !== null) return child.exitCode;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** `systemctl reboot` inside: systemd stops every unit in order, nspawn exits 133, and the node boots again. */
  async reboot(): Promise<void> {
    await this.exec(['systemctl', 'reboot']);
    const code = await this.waitExit(120_000);
    if (code !== 133) throw new Error(`nspawn exited ${code} on reboot, not 133`);
    for (const d of cgroupDirs(this.cgroupName())) removeCgroup(d);
    await this.boot();
  }

  /** Powers the node off (SIGTERM to nspawn: a clean shutdown) and deletes its folder. */
  async down(): Promise<void> {
    if (this.nspawn && this.nspawn.exitCode === null) {
      this.nspawn.kill('SIGTERM');
      if ((await this.waitExit(60_000)) === null) this.nspawn.kill('SIGKILL');
    }
    for (const d of cgroupDirs(this.cgroupName())) removeCgroup(d);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
