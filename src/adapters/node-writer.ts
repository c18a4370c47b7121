/**
 * Atomic writes to the node's files: temporary file, fsync, rename, fsync of the folder. Each write first makes
 * sure no one but root can change its folder (or a link on the way) under it; appends never follow a link.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileWriter } from '../core/host.js';

/** A temporary file's tag. node:crypto is loaded at the first write: `status` writes nothing and starts faster. */
async function tmpTag(): Promise<string> {
  return (await import('node:crypto')).randomBytes(4).toString('hex');
}

/** How many links a folder's path may cross before it counts as a loop (the kernel's own limit). */
const MAX_LINKS = 40;

/** Why `dir` is not safe to write in (see FileWriter.unsafeFolder), or null. Folders not made yet are fine. */
export async function unsafeFolder(dir: string): Promise<string | null> {
  const me = process.geteuid?.() ?? 0;
  const mine = (uid: number) => uid === 0 || uid === me;
  const parts = path.resolve(dir).split('/').filter(Boolean);
  let current = '/';
  let links = 0;
  while (parts.length) {
    const next = path.join(current, parts.shift() as string);
    let s: Awaited<ReturnType<typeof fs.lstat>>;
    try {
      s = await fs.lstat(next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (s.isSymbolicLink()) {
      if (!mine(s.uid)) return `${next} is a link owned by uid ${s.uid}`;
      if (++links > MAX_LINKS) return `${dir} crosses too many links`;
      const target = await fs.readlink(next);
      parts.unshift(...target.split('/').filter(Boolean));
      if (target.startsWith('/')) current = '/';
      continue;
    }
    if (!s.isDirectory()) return `${next} is not a folder`;
    if (!mine(s.uid)) return `${next} is owned by uid ${s.uid}`;
    // A sticky folder writable by all (/tmp, /var/tmp) may be crossed: no one can replace what root made in it.
    const crossable = parts.length > 0 && (s.mode & 0o1000) !== 0;
    // Writable by its group is root's alone only when the group is root's.
    const others = (s.mode & 0o002) !== 0 || ((s.mode & 0o020) !== 0 && s.gid !== 0);
    if (others && !crossable) return `${next} is writable by others (mode ${(s.mode & 0o7777).toString(8)})`;
    current = next;
  }
  return null;
}

async function requireSafeFolder(dir: string): Promise<void> {
  const reason = await unsafeFolder(dir);
  if (reason) throw Object.assign(new Error(`refused to write in ${dir}: ${reason}`), { code: 'EUNSAFE' });
}

export function createNodeWriter(): FileWriter {
  return {
    async writeAtomic(target, data, meta) {
      const dir = path.dirname(target);
      await requireSafeFolder(dir);
      await fs.mkdir(dir, { recursive: true, mode: 0o755 });
      const tmp = path.join(dir, `.${path.basename(target)}.kubesup-${await tmpTag()}`);
      const handle = await fs.open(tmp, 'wx', meta.mode);
      try {
        await handle.writeFile(data);
        await handle.chmod(meta.mode);
        if (meta.uid !== undefined && meta.gid !== undefined) await handle.chown(meta.uid, meta.gid);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await fs.rm(tmp, { force: true });
        throw error;
      }
      await handle.close();
      try {
        // rename replaces a link at the target: it is never followed.
        await fs.rename(tmp, target);
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
      const dirHandle = await fs.open(dir, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    },
    async mkdirp(p, mode = 0o755) {
      // Made in a sticky folder (/var/tmp) or not, what counts is the folder itself once there: root's alone.
      await fs.mkdir(p, { recursive: true, mode });
      await requireSafeFolder(p);
    },
    async append(p, data, mode = 0o600) {
      await requireSafeFolder(path.dirname(p));
      // O_NOFOLLOW: a link planted at the log's path (to /etc/passwd) fails with ELOOP instead of being written.
      const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
      const handle = await fs.open(p, flags, mode);
      try {
        await handle.writeFile(data);
      } finally {
        await handle.close();
      }
    },
    async createExclusive(p, data, mode) {
      await requireSafeFolder(path.dirname(p));
      await fs.mkdir(path.dirname(p), { recursive: true, mode: 0o700 });
      let handle: fs.FileHandle;
      try {
        // O_EXCL with O_CREAT: a link at the path counts as existing, and is never followed.
        handle = await fs.open(p, 'wx', mode);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return true;
    },
    async symlink(target, p) {
      await requireSafeFolder(path.dirname(p));
      // A link made beside it, then renamed over: the path is never missing in between.
      const tmp = path.join(path.dirname(p), `.${path.basename(p)}.kubesup-${await tmpTag()}`);
      await fs.mkdir(path.dirname(p), { recursive: true, mode: 0o755 });
      await fs.symlink(target, tmp);
      try {
        await fs.rename(tmp, p);
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
    },
    async remove(p) {
      await fs.rm(p, { force: true });
    },
    async stat(p) {
      try {
        const s = await fs.lstat(p);
        return { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
      } catch {
        return undefined;
      }
    },
    unsafeFolder,
  };
}
