/**
 * The Debian bookworm root that real-systemd nodes boot: built once with mmdebstrap from Debian's packages,
 * cached outside the repo (a tarball named by its package list), unpacked fresh for every node.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What a node needs: real systemd and dbus, Debian's supervisor, and the tools the tests use inside. */
export const PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'supervisor',
  'curl',
  'procps',
  'iproute2',
  'python3',
  'libstdc++6',
];
const CACHE = process.env.KUBESUP_IMAGE_CACHE ?? '/var/cache/kubesup-tui-test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function rootImagePath(): string {
  const hash = crypto
    .createHash('sha256')
    .update(`bookworm minbase ${PACKAGES.join(',')}`)
    .digest('hex')
    .slice(0, 12);
  return path.join(CACHE, `bookworm-${hash}.tar`);
}

function run(argv: string[], log: string): Promise<number> {
  return new Promise((resolve) => {
    const fd = fs.openSync(log, 'a');
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', fd, fd] });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** The cached root tarball, built first when missing (about a minute); one build at a time across workers. */
export async function ensureRootImage(): Promise<string> {
  const image = rootImagePath();
  if (fs.existsSync(image)) return image;
  fs.mkdirSync(CACHE, { recursive: true });
  const lock = `${image}.lock`;
  for (let waited = 0; ; waited += 500) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another worker builds it: wait for its tarball (a stale lock older than 10 minutes is taken over).
      if (fs.existsSync(image)) return image;
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 600_000)
        fs.rmSync(lock, { recursive: true, force: true });
      if (waited > 900_000) throw new Error(`timed out waiting for ${image} to be built`);
      await sleep(500);
    }
  }
  try {
    if (fs.existsSync(image)) return image;
    const partial = `${image}.partial`;
    const log = `${image}.log`;
    const code = await run(
      ['mmdebstrap', '--variant=minbase', `--include=${PACKAGES.join(',')}`, '--format=tar', 'bookworm', partial],
      log,
    );
    if (code !== 0) throw new Error(`mmdebstrap failed (exit ${code}): see ${log}`);
    fs.renameSync(partial, image);
    return image;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
