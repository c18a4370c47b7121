// What the real-daemon tests need from this machine's packages, and how they skip without them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A busybox that runs in a root of its own: the static one (busybox-static), not the dynamic package's. */
export function missingStaticBusybox(): string | undefined {
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  // ldd fails on a static executable ("not a dynamic executable").
  if (busybox && spawnSync('ldd', [busybox]).status !== 0) return undefined;
  return 'a static busybox is missing (apt-get install -y --no-install-recommends busybox-static)';
}

/**
 * Copies this machine's packaged `commands` (or files, by absolute path) into a node's root at the same paths:
 * a real-systemd node boots Debian's minimal root, which has not got them (the packages are the same release's).
 */
export function copyCommandsInto(root: string, commands: readonly string[]): void {
  for (const command of commands) {
    const from = command.startsWith('/')
      ? command
      : spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
    if (!from) throw new Error(`${command} is missing here`);
    const to = path.join(root, from);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    if (!command.startsWith('/')) fs.chmodSync(to, 0o755);
  }
}
