/**
 * What the test node needs from this machine, installed when missing: supervisord (Debian's `supervisor`),
 * a C compiler for the stand-ins, util-linux's unshare/nsenter, iproute2, tmux for the end-to-end test, and
 * for the real-systemd node systemd-container (systemd-nspawn) and mmdebstrap, and the screenshots' font.
 * Always --no-install-recommends: systemd-container recommends libnss-mymachines, which would edit this
 * machine's /etc/nsswitch.conf.
 * Run by `npm test` (pretest) and `npm run demo`; says what it installs, and why it cannot when it cannot.
 *
 * Installing `supervisor` must not start a supervisord on this machine: a policy-rc.d that forbids
 * service starts is put in place for the install when the machine has none.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The first five run the demo node; the rest serve the test tiers, the screenshots and the benchmarks. */
const DEMO_NEEDS = 5;
const NEEDS: ReadonlyArray<readonly [command: string, pkg: string]> = [
  ['supervisord', 'supervisor'],
  ['cc', 'gcc'],
  ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'],
  ['ip', 'iproute2'],
  ['tmux', 'tmux'],
  // The real-systemd node (test/systemd/): systemd-nspawn boots it, mmdebstrap builds its root once.
  ['systemd-nspawn', 'systemd-container'],
  ['mmdebstrap', 'mmdebstrap'],
  // The fleet (test/fleet/): Ansible from Debian, an sshd inside each test node, nc for the ProxyCommand.
  ['ansible-playbook', 'ansible-core'],
  ['/usr/sbin/sshd', 'openssh-server'],
  ['ssh', 'openssh-client'],
  ['nc', 'netcat-openbsd'],
  // The alert rules and the metrics file are checked by Prometheus's own promtool.
  ['promtool', 'prometheus'],
  // The resident agent's metrics, served by Debian's node_exporter run as a plain process in its test.
  ['prometheus-node-exporter', 'prometheus-node-exporter'],
  // The real daemons the node tests move: containerd (runc, a static busybox for its container), etcd with TLS.
  ['containerd', 'containerd'],
  ['runc', 'runc'],
  ['etcd', 'etcd-server'],
  ['etcdctl', 'etcd-client'],
  ['/usr/share/doc/busybox-static', 'busybox-static'],
  ['openssl', 'openssl'],
  // The screenshots' font (a file, not a command): the pictures are drawn with it, and checked.
  ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', 'fonts-dejavu-core'],
];

const has = (command: string) =>
  command.startsWith('/')
    ? fs.existsSync(command)
    : spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export function ensurePrerequisites(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  scope: 'demo' | 'all' = 'all',
): void {
  const needs = scope === 'demo' ? NEEDS.slice(0, DEMO_NEEDS) : NEEDS;
  if (process.platform !== 'linux') throw new Error('the test node needs Linux (namespaces and overlay mounts)');
  if (process.getuid?.() !== 0)
    throw new Error('the test node needs root (namespaces and overlay mounts): run this as root, e.g. with sudo');
  const missing = [...new Set(needs.filter(([c]) => !has(c)).map(([, p]) => p))];
  if (missing.length === 0) return;
  if (!has('apt-get'))
    throw new Error(
      `missing ${missing.join(', ')}, and there is no apt-get here to install them; install them by hand`,
    );
  log(`kubesup-tui test node: installing ${missing.join(' ')} with apt-get (missing on this machine)`);
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy)
    fs.writeFileSync(policy, '#!/bin/sh\n# kubesup-tui: no service starts during this install\nexit 101\n', {
      mode: 0o755,
    });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', '--no-install-recommends', ...missing],
    ]) {
      const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
      if (r.status !== 0)
        throw new Error(`apt-get ${args[0]} failed (exit ${r.status}); install ${missing.join(' ')} by hand`);
    }
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
  const still = needs.filter(([c]) => !has(c)).map(([c]) => c);
  if (still.length) throw new Error(`still missing after the install: ${still.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensurePrerequisites();
  } catch (error) {
    process.stderr.write(`kubesup-tui test node: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
