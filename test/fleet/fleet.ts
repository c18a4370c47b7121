/**
 * A fleet of test nodes reached over real SSH, for the Ansible playbooks (ansible/): each node runs its own
 * OpenSSH sshd on its own loopback, reached through a ProxyCommand that enters the node's network namespace
 * (no routed address). Each node gets a private /root (an overlay: this machine's pyenv, which runs
 * supervisord 3.4.0, must stay visible; its .bashrc must not run) and /tmp, so the authorized key and
 * Ansible's files stay inside it, and host keys of its own (the /etc overlay would show this machine's).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LayoutName, REPO_ROOT, TestNode } from '../node/test-node.js';

export interface Fleet {
  readonly nodes: readonly { readonly name: string; readonly node: TestNode }[];
  readonly dir: string;
  playbook(name: string, args?: readonly string[]): Promise<PlaybookRun>;
  down(): Promise<void>;
}

export interface PlaybookRun {
  readonly code: number;
  readonly output: string;
  /** The PLAY RECAP's counts per node. */
  readonly recap: Record<string, { ok: number; changed: number; failed: number; skipped: number }>;
}

async function sshd(node: TestNode, publicKey: string): Promise<void> {
  await node.sh(
    [
      `mkdir -p ${node.dir}/upper/root ${node.dir}/work/root`,
      `mount -t overlay overlay -o lowerdir=/root,upperdir=${node.dir}/upper/root,workdir=${node.dir}/work/root /root`,
      ': > /root/.bashrc && : > /root/.profile',
      'mount -t tmpfs -o mode=1777 tmpfs /tmp',
      'mkdir -p /root/.ssh /run/sshd && chmod 700 /root/.ssh',
      `printf '%s\\n' '${publicKey.trim()}' > /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys`,
      'rm -f /etc/ssh/ssh_host_*',
      'ssh-keygen -A >/dev/null',
      '/usr/sbin/sshd -o ListenAddress=127.0.0.1 -o UsePAM=no -o PermitRootLogin=prohibit-password -o ' +
        'PidFile=/run/sshd.pid -E /run/sshd.log',
    ].join(' && '),
  );
  await node.waitFor('test -s /run/sshd.pid && (exec 3<>/dev/tcp/127.0.0.1/22) 2>/dev/null');
}

export async function bringUpFleet(layouts: readonly LayoutName[]): Promise<Fleet> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-fleet-'));
  const key = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const nodes = await Promise.all(layouts.map((l) => TestNode.up(l)));
  const named = nodes.map((node, i) => ({ name: `node-${String.fromCharCode(97 + i)}`, node }));
  try {
    await Promise.all(
      named.map(async ({ node }) => {
        await node.waitFor('curl -sf 127.0.0.1:10248/healthz');
        await sshd(node, fs.readFileSync(`${key}.pub`, 'utf8'));
      }),
    );
  } catch (error) {
    await Promise.all(nodes.map((n) => n.down()));
    throw error;
  }
  // Each host its own ansible_host name: the SSH control socket is named after host, port and user.
  const lines = named.map(
    ({ name, node }) =>
      `${name} ansible_host=${name}.fleet.invalid ansible_user=root ansible_python_interpreter=/usr/bin/python3 ` +
      `ansible_ssh_private_key_file=${key} ` +
      `ansible_ssh_common_args='-o ProxyCommand="nsenter -t ${node.pid} -n nc 127.0.0.1 22" -o ` +
      `StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR'`,
  );
  fs.writeFileSync(path.join(dir, 'inventory.ini'), `[fleet]\n${lines.join('\n')}\n`);

  return {
    nodes: named,
    dir,
    playbook(name, args = []) {
      return new Promise((resolve, reject) => {
        const child = spawn(
          'ansible-playbook',
          ['-i', path.join(dir, 'inventory.ini'), `playbooks/${name}.yml`, '-e', `kubesup_report_dir=${dir}`, ...args],
          {
            cwd: path.join(REPO_ROOT, 'ansible'),
            env: {
              ...process.env,
              ANSIBLE_CONFIG: path.join(REPO_ROOT, 'ansible', 'ansible.cfg'),
              // Ansible's own files in the test's folder, not in this machine's home.
              ANSIBLE_HOME: path.join(dir, 'ansible-home'),
              ANSIBLE_LOCAL_TEMP: path.join(dir, 'ansible-tmp'),
              ANSIBLE_NOCOLOR: '1',
              ANSIBLE_FORCE_COLOR: '0',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (c) => (output += c));
        child.stderr.on('data', (c) => (output += c));
        child.on('error', reject);
        child.on('close', (code) => {
          const recap: PlaybookRun['recap'] = {};
          for (const m of output.matchAll(
            /^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)\s+skipped=(\d+)/gm,
          )) {
            recap[m[1] as string] = {
              ok: Number(m[2]),
              changed: Number(m[3]),
              failed: Number(m[4]),
              skipped: Number(m[5]),
            };
          }
          resolve({ code: code ?? 1, output, recap });
        });
      });
    },
    async down() {
      await Promise.all(nodes.map((n) => n.down()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
