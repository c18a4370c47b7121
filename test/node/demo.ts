/**
 * `npm run demo`: the built-in demo node. Boots the reference node (CentOS 7 / KubeKey / EPEL supervisor,
 * in private namespaces over this machine, changing nothing of it), opens kubesup-tui inside it on this
 * terminal, and removes the node when kubesup-tui exits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { ensurePrerequisites } from './prerequisites.js';
import { LAYOUTS, type LayoutName, REPO_ROOT, TestNode } from './test-node.js';

async function main(): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('demo: needs a terminal (run it in a shell, not through a pipe)\n');
    return 1;
  }
  const layout = (process.argv[2] ?? 'kubekey-centos7') as LayoutName;
  if (!LAYOUTS.includes(layout)) {
    process.stderr.write(`demo: unknown layout ${layout} (layouts: ${LAYOUTS.join(', ')})\n`);
    return 2;
  }
  try {
    ensurePrerequisites((line) => process.stderr.write(`demo: ${line}\n`), 'demo');
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 1;
  }
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;

  process.stderr.write(`demo: booting a throwaway ${layout} node (nothing on this machine changes)…\n`);
  const node = await TestNode.up(layout);
  let exitCode = 1;
  try {
    await node.waitFor(
      'curl -sf 127.0.0.1:10248/healthz && ls /var/run/supervisor*.sock /var/run/supervisor/*.sock 2>/dev/null | ' +
        'grep -q sock',
      30_000,
    );
    // A second terminal can look inside the node while kubesup-tui runs (as root: nsenter needs it).
    process.stderr.write(
      `demo: the node is up; a shell inside it, from another terminal:\n  ${node.enterArgv(['bash']).join(' ')}\n`,
    );
    // The TUI owns the terminal; Ctrl-C is its key (it quits), not ours.
    process.on('SIGINT', () => undefined);
    const argv = node.enterArgv([
      'env',
      `TERM=${process.env.TERM ?? 'xterm-256color'}`,
      ...(process.env.NO_COLOR ? ['NO_COLOR=1'] : []),
      'node',
      `${REPO_ROOT}/bin/kubesup-tui.js`,
      ...process.argv.slice(3),
    ]);
    exitCode = await new Promise<number>((resolve) => {
      const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
      child.on('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    await node.down();
    process.stderr.write('demo: the node is gone.\n');
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exit(1);
  },
);
