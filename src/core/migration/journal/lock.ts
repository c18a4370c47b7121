/**
 * One migration or rollback at a time on a node: a lock file holding the pid of the kubesup-tui that changes
 * the node. A second one is refused, naming that pid, before it touches anything; a lock left by a process
 * that has died (killed, the node rebooted) is taken over.
 */
import { ToolError } from '../../errors.js';
import type { Host } from '../../host.js';
import { STATE_DIR } from '../plan/state-dir.js';

export const LOCK_PATH = `${STATE_DIR}/lock`;

/** The pid holding the lock, when a live process holds it. */
export async function lockHolder(host: Host): Promise<number | null> {
  const text = (await host.files.read(LOCK_PATH).catch(() => undefined))?.toString('utf8');
  const pid = Number(text?.trim().split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (pid === host.pid) return pid;
  // A killed holder may linger a moment as a zombie (no command line), and its pid may be taken by something
  // else later: only a live process that runs what we run holds the lock.
  const holder = await host.procs.full(pid);
  if (!holder?.argv?.length) return null;
  const self = await host.procs.brief(host.pid);
  return self?.comm && holder.comm && self.comm !== holder.comm ? null : pid;
}

/** Takes the lock or throws a one-line reason; returns how to let it go. */
export async function takeLock(host: Host, what: string): Promise<() => Promise<void>> {
  await host.writer.mkdirp(STATE_DIR, 0o700);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await host.writer.createExclusive(LOCK_PATH, `${host.pid} ${what}\n`, 0o600)) {
      return async () => {
        if ((await lockHolder(host)) === host.pid) await host.writer.remove(LOCK_PATH);
      };
    }
    const holder = await lockHolder(host);
    if (holder !== null) {
      throw new ToolError(
        `another kubesup-tui (pid ${holder}) is changing this node (${LOCK_PATH}); nothing was changed`,
      );
    }
    // Left by a process that is gone: take it over.
    await host.writer.remove(LOCK_PATH);
  }
  throw new ToolError(`cannot take ${LOCK_PATH}`);
}

/** Runs `fn` holding the lock, and lets it go after, whatever happens. */
export async function withLock<T>(host: Host, what: string, fn: () => Promise<T>): Promise<T> {
  const release = await takeLock(host, what);
  try {
    return await fn();
  } finally {
    await release();
  }
}
