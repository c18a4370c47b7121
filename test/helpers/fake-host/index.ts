/**
 * A whole node in memory for fast tests of core/, the store and the TUI's services: files, processes,
 * systemd, supervisord, kubelet's healthz and a clock moved by hand, behind one Host.
 *
 *   const node = fakeNode('kubekey-centos7');       // a test node layout, kubelet running under systemd
 *   await detect(node.host, { program: 'kubelet' });
 *   node.supervisord.crash('kubelet');  await node.clock.advance(250);
 */

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseShell } from 'shell-quote';
import { detect } from '../../../src/core/detect/detect.js';
import type { Host, HttpProbe } from '../../../src/core/host.js';
import { type Plan, planMigration } from '../../../src/core/migration/plan/plan.js';
import type { ToolSelf } from '../../../src/core/migration/plan/tool-copy.js';
import { LAYOUT_ARGV } from '../../fixtures/layout-argv.js';
import { FakeCgroups } from './cgroups.js';
import { ManualClock } from './clock.js';
import { FakeFiles } from './files.js';
import { FakeProcesses } from './processes.js';
import { FakeSupervisord } from './supervisord.js';
import { FakeSystemd } from './systemd.js';

export { FakeCgroups, HYBRID, hybridCgroup } from './cgroups.js';
export { ManualClock, settle } from './clock.js';
export { FakeFiles, memoryFiles } from './files.js';
export { FakeProcesses } from './processes.js';
export { FakeSupervisord } from './supervisord.js';
export { FakeSystemd } from './systemd.js';

const TEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface FakeHost {
  readonly host: Host;
  readonly files: FakeFiles;
  readonly procs: FakeProcesses;
  readonly cgroups: FakeCgroups;
  readonly systemd: FakeSystemd;
  readonly clock: ManualClock;
  /** kubelet's healthz answers ok while this says so (by default: while a kubelet process runs). */
  healthy: () => boolean;
  /** A unix socket accepts connections while this says so (by default: none does). */
  listening: (socketPath: string) => boolean;
}

export function fakeHost(files = new FakeFiles(), options: { isRoot?: boolean; hostname?: string } = {}): FakeHost {
  const procs = new FakeProcesses();
  const cgroups = new FakeCgroups(procs);
  const clock = new ManualClock();
  const systemd = new FakeSystemd(files);
  const fake: FakeHost = {
    files,
    procs,
    cgroups,
    systemd,
    clock,
    healthy: () => procs.named('kubelet').length > 0,
    listening: () => false,
    host: undefined as unknown as Host,
  };
  const http: HttpProbe = {
    get: async () =>
      fake.healthy()
        ? { ok: true, status: 200, body: 'ok', latencyMs: 1 }
        : { ok: false, latencyMs: 0, error: 'connection refused' },
    connect: async (socketPath) =>
      fake.listening(socketPath)
        ? { ok: true, latencyMs: 1 }
        : { ok: false, latencyMs: 0, error: 'connection refused' },
  };
  (fake as { host: Host }).host = {
    files,
    writer: files,
    procs,
    cgroups,
    runner: systemd.runner,
    http,
    clock,
    connect: () => {
      throw new Error('no supervisord on this fake host');
    },
    env: {},
    hostname: options.hostname ?? 'node4',
    isRoot: options.isRoot ?? true,
    pid: 4242,
  };
  return fake;
}

export interface FakeNode extends FakeHost {
  readonly supervisord: FakeSupervisord;
  /** The command line kubelet runs with, as systemd starts it on this layout. */
  readonly kubeletArgv: readonly string[];
  /** A Type=notify daemon says READY=1 at its start (false: never, as one stuck at start). */
  saysReady: boolean;
}

const LAYOUTS = {
  'kubekey-centos7': {
    hostname: 'node4',
    kubeletArgv: LAYOUT_ARGV['kubekey-centos7'],
    supervisorUnit: 'supervisord.service',
    supervisorConf: '/etc/supervisord.conf',
    supervisorVersion: '3.4.0',
    packageManager: '/usr/bin/yum',
    extraFiles: {} as Record<string, string>,
  },
  'kubeadm-ubuntu': {
    hostname: 'worker-ubuntu',
    kubeletArgv: LAYOUT_ARGV['kubeadm-ubuntu'],
    supervisorUnit: 'supervisor.service',
    supervisorConf: '/etc/supervisor/supervisord.conf',
    supervisorVersion: '4.2.5',
    packageManager: '/usr/bin/apt-get',
    extraFiles: {
      '/lib/systemd/system/supervisor.service':
        '[Unit]\nDescription=Supervisor process control system for UNIX\nAfter=network.target\n\n[Service]\n' +
        'ExecStart=/usr/bin/supervisord -n -c /etc/supervisor/supervisord.conf\nKillMode=process\n' +
        'Restart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n',
    } as Record<string, string>,
  },
} as const;

export type FakeLayout = keyof typeof LAYOUTS;

/**
 * A node laid out as test/node/layouts/<layout> is, in memory: kubelet running under systemd with its exact
 * command line, supervisord running (with the layout's other programs), both units enabled.
 */
export function fakeNode(layout: FakeLayout, options: { isRoot?: boolean } = {}): FakeNode {
  const spec = LAYOUTS[layout];
  const files = new FakeFiles();
  files.loadTree(path.join(TEST_DIR, 'node/layouts', layout, 'files'));
  if (layout === 'kubeadm-ubuntu')
    files.put(spec.supervisorConf, fs.readFileSync(path.join(TEST_DIR, 'fixtures/supervisor/debian-supervisord.conf')));
  for (const [p, text] of Object.entries(spec.extraFiles)) files.put(p, text);
  const kubelet = spec.kubeletArgv[0] as string;
  for (const binary of [kubelet, '/usr/bin/supervisord', '/usr/bin/supervisorctl', spec.packageManager])
    files.put(binary, '', 0o755);
  const base = fakeHost(files, { hostname: spec.hostname, ...options });
  const supervisord = new FakeSupervisord(files, base.procs, base.clock, spec.supervisorConf);
  // The wrapper ends in `exec kubelet …`: the supervised process is kubelet itself.
  supervisord.spawnArgv = (_name, command) =>
    command.endsWith('kubelet.sh') ? [...spec.kubeletArgv] : command.split(/\s+/);
  // ... with the environment the wrapper exports.
  supervisord.spawnEnv = (_name, command) => {
    const env: Record<string, string> = {};
    for (const line of files.text(command)?.split('\n') ?? []) {
      const [word, assignment] = parseShell(line);
      if (word !== 'export' || typeof assignment !== 'string') continue;
      const eq = assignment.indexOf('=');
      if (eq > 0) env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
    }
    return env;
  };
  let kubeletPid = 0;
  base.systemd.define(
    'kubelet.service',
    { active: true },
    {
      start: () => (kubeletPid = base.procs.spawn(spec.kubeletArgv)),
      stop: () => base.procs.kill(kubeletPid),
      mainPid: () => (base.procs.table.has(kubeletPid) ? kubeletPid : 0),
    },
  );
  kubeletPid = base.procs.spawn(spec.kubeletArgv);
  base.systemd.define(
    spec.supervisorUnit,
    { active: true },
    { start: () => supervisord.start(), stop: () => supervisord.stop(), mainPid: () => supervisord.pid },
  );
  supervisord.start();
  for (const unit of ['kubelet.service', spec.supervisorUnit]) {
    const fragment = base.systemd.fragment(unit);
    if (fragment) files.link(`/etc/systemd/system/multi-user.target.wants/${unit}`, fragment);
  }
  const version = files.text('/etc/kubelet-standin/version')?.trim() ?? 'v1.28.4';
  base.systemd.programs.set(kubelet, () => ({ exitCode: 0, stdout: `Kubernetes ${version}\n`, stderr: '' }));
  base.systemd.programs.set('/usr/bin/supervisord', () => ({
    exitCode: 0,
    stdout: `${spec.supervisorVersion}\n`,
    stderr: '',
  }));
  base.systemd.debianLinks = layout === 'kubeadm-ubuntu';
  const host: Host = { ...base.host, connect: (o) => supervisord.connect(o) };
  const node = Object.assign(base, { host, supervisord, kubeletArgv: spec.kubeletArgv, saysReady: true });
  // A daemon its agent.d file calls Type=notify says READY=1 to the NOTIFY_SOCKET its wrapper exports, and
  // kubesup-agent writes its ready file, as on a node.
  const spawn = base.procs.spawn.bind(base.procs);
  base.procs.spawn = (argv, over = {}) => {
    const pid = spawn(argv, over);
    const program = /\/run\/kubesup-tui\/notify\/(.+)$/.exec(over.environ?.NOTIFY_SOCKET ?? '')?.[1];
    const notify = program && JSON.parse(files.text(`/etc/kubesup-tui/agent.d/${program}.json`) ?? '{}').notify;
    if (notify && node.saysReady)
      files.put(`/run/kubesup-tui/ready/${program}`, JSON.stringify({ pid, time: base.clock.now() / 1000 }));
    return pid;
  };
  return node;
}

/** A node before supervisord's package: no daemon, binary, config or unit (the migration installs it). */
export async function withoutSupervisord(node: FakeNode): Promise<FakeNode> {
  node.supervisord.stop();
  for (const p of [
    '/usr/bin/supervisord',
    '/etc/supervisor/supervisord.conf',
    '/lib/systemd/system/supervisor.service',
  ])
    await node.files.remove(p);
  return node;
}

/** The single file at /usr/local/bin, as the CLI finds itself there (put the file on the node to migrate). */
export const SINGLE_FILE: ToolSelf = {
  files: [{ from: '/usr/local/bin/kubesup-tui', to: 'kubesup-tui' }],
  entry: 'kubesup-tui',
};

/** The migration plan for a node in memory, as `plan` makes it (at the node's clock). */
export async function planOn(node: FakeHost, self?: ToolSelf): Promise<Plan> {
  const detection = await detect(node.host, { program: 'kubelet' });
  return planMigration(detection, node.host.files, {
    program: 'kubelet',
    now: new Date(node.clock.now()),
    tool: 'kubesup-tui test',
    ...(self ? { self } : {}),
  });
}
