/**
 * The real containerd in a test node: Debian's package (containerd 1.6 with containerd-shim-runc-v2 and ctr)
 * and runc under containerd's upstream unit, with one container running from a root made of the static busybox
 * (`ctr run --rootfs`: no image, no registry). Its cgroups live under a parent named for the test, in this
 * machine's cgroup hierarchies (a test node shares them), removed afterwards with `removeTestCgroups`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { missingCommand } from './commands.js';
import type { NodeShell } from './node-shell.js';
import { missingStaticBusybox } from './real-daemons.js';

/**
 * containerd's upstream unit with Debian's binary. Left out: `ExecStartPre=-/sbin/modprobe overlay` (a test
 * must not load modules into this machine's kernel) and `LimitNPROC=infinity` (above this host's hard cap,
 * which only CAP_SYS_RESOURCE may raise: the start would fail); LimitNOFILE= stays under the hard cap.
 */
export const CONTAINERD_UNIT = `[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target

[Service]
ExecStart=/usr/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitCORE=infinity
LimitNOFILE=16384
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;

/** No CRI: the container is made by ctr, and nothing here is a Kubernetes node's kubelet. */
const CONFIG = 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n';
/** The container, its root and its command. */
export const CONTAINER = 'kubesup-box';
const ROOTFS = '/var/lib/kubesup-test/busybox';

/** Why the real containerd cannot run here (what to install), or undefined. */
export function missingRealContainerd(): string | undefined {
  return (
    missingCommand([
      ['containerd', 'containerd'],
      ['ctr', 'containerd'],
      ['containerd-shim-runc-v2', 'containerd'],
      ['runc', 'runc'],
    ]) ?? missingStaticBusybox()
  );
}

/** A cgroup parent of this test's own, for the container's cgroups. */
export const testCgroupParent = () => `kubesup-test-${crypto.randomBytes(4).toString('hex')}`;

export interface Task {
  readonly pid: number;
  readonly status: string;
}

/** The container's task as `ctr task ls` lists it (ctr asks containerd), or undefined when it is not listed. */
export async function containerTask(node: NodeShell): Promise<Task | undefined> {
  const r = await node.exec(['ctr', 'task', 'ls']);
  if (r.exitCode !== 0) throw new Error(`ctr task ls failed: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.split(/\s+/)[0] === CONTAINER);
  if (!line) return undefined;
  const [, pid, status] = line.trim().split(/\s+/);
  return { pid: Number(pid), status: status ?? '' };
}

/** The shim's pid (the container's parent) when it is containerd-shim-runc-v2 and alive, else 0. */
export async function shimOf(node: NodeShell, containerPid: number): Promise<number> {
  const r = await node.exec(['bash', '-c', `p=$(ps -o ppid= -p ${containerPid}) && ps -o pid=,args= -p $p`]);
  const [pid, argv0] = r.stdout.trim().split(/\s+/);
  return r.exitCode === 0 && argv0 === '/usr/bin/containerd-shim-runc-v2' ? Number(pid) : 0;
}

/** Waits until containerd answers on its socket (ctr reaches the server). */
export const containerdAnswers = (node: NodeShell, timeoutMs = 30_000) =>
  node.waitFor('ctr version 2>/dev/null | grep -q "^Server:"', timeoutMs);

/**
 * Lays containerd out in the node under its unit in `unitDir`, starts it through systemctl, and runs the
 * container (cgroups under `cgroupParent`). Returns the container's task.
 */
export async function layOutContainerd(node: NodeShell, unitDir: string, cgroupParent: string): Promise<Task> {
  await node.sh(`
    set -e
    mkdir -p /etc/containerd ${unitDir} ${ROOTFS}/bin ${ROOTFS}/proc ${ROOTFS}/dev ${ROOTFS}/sys ${ROOTFS}/tmp
    printf '${CONFIG.replace(/\n/g, '\\n')}' > /etc/containerd/config.toml
    cat > ${unitDir}/containerd.service <<'EOF'
${CONTAINERD_UNIT}EOF
    systemctl daemon-reload
    systemctl enable --quiet containerd.service
    systemctl start containerd.service
    cp "$(command -v busybox)" ${ROOTFS}/bin/busybox
    ln -sf busybox ${ROOTFS}/bin/sleep`);
  await containerdAnswers(node);
  await node.sh(`ctr run -d --cgroup /${cgroupParent}/${CONTAINER} --rootfs ${ROOTFS} ${CONTAINER} /bin/sleep 100000`);
  const task = await containerTask(node);
  if (task?.status !== 'RUNNING') throw new Error(`the container does not run: ${JSON.stringify(task)}`);
  return task;
}

/**
 * Kills the container and deletes it, before the node goes down: as PID 1 of its own pid namespace it ignores
 * the SIGTERM of a shutdown, which would wait for it until the stop timeout.
 */
async function removeContainer(node: NodeShell): Promise<void> {
  await stopContainer(node);
  await node.sh(`if ctr container ls -q | grep -qx ${CONTAINER}; then ctr container delete ${CONTAINER}; fi`);
}

/** Kills the container's task and deletes it (the container stays, to be started again); none: nothing. */
export async function stopContainer(node: NodeShell): Promise<void> {
  if (!(await containerTask(node))) return;
  await node.sh(`ctr task kill -s SIGKILL ${CONTAINER}`);
  await node.waitFor(`ctr task ls | grep -q '^${CONTAINER} .*STOPPED'`);
  await node.sh(`ctr task delete ${CONTAINER}`);
}

/** Starts the container's task again (a new process, a new shim); returns it once running. */
export async function startContainer(node: NodeShell): Promise<Task> {
  await node.sh(`ctr task start -d ${CONTAINER}`);
  const task = await containerTask(node);
  if (task?.status !== 'RUNNING') throw new Error(`the container does not run: ${JSON.stringify(task)}`);
  return task;
}

/** This machine's cgroup directories named `parent`: one per v1 hierarchy, or the one of cgroup v2. */
function cgroupDirs(parent: string): string[] {
  const root = '/sys/fs/cgroup';
  if (fs.existsSync(path.join(root, 'cgroup.controllers'))) return [path.join(root, parent)];
  return fs
    .readdirSync(root)
    .map((h) => path.join(root, h, parent))
    .filter((d) => fs.existsSync(d));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills what is left in the test's cgroups (the node is down: nothing should be) and removes them. */
export async function removeTestCgroups(parent: string): Promise<void> {
  const dirs = (dir: string): string[] => [
    ...fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => dirs(path.join(dir, e.name))),
    dir,
  ];
  for (const top of cgroupDirs(parent)) {
    for (const dir of dirs(top)) {
      for (let i = 0; i < 100; i++) {
        const pids = fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
        if (pids.length === 0) break;
        for (const pid of pids) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
        await sleep(20);
      }
      fs.rmdirSync(dir);
    }
  }
}

/** The commands containerd and its container need on a node (copied into a real-systemd node's root). */
export const CONTAINERD_COMMANDS = ['containerd', 'ctr', 'containerd-shim-runc-v2', 'runc', 'busybox'] as const;

/**
 * systemd-nspawn mounts the v1 controllers read-only in its node; runc makes the container's cgroups in them
 * (under the test's parent). Made writable in the node's own mounts, not this machine's.
 */
export const WRITABLE_CGROUP_CONTROLLERS =
  'for c in /sys/fs/cgroup/*/; do if mountpoint -q "$c"; then mount -o remount,bind,rw "$c"; fi; done';

/**
 * `node`, whose down() first removes the container, then, once the node is down, the cgroups under
 * `cgroupParent` (this machine's: the node only borrowed them).
 */
export function downRemovingContainer<N extends NodeShell & { down(): Promise<void> }>(
  node: N,
  cgroupParent: string,
): N {
  const down = node.down.bind(node);
  node.down = async () => {
    try {
      await removeContainer(node);
    } finally {
      await down();
      await removeTestCgroups(cgroupParent);
    }
  };
  return node;
}
