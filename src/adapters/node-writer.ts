/** Atomic writes to the node's files: temporary file, fsync, rename, fsync of the folder. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileWriter } from '../core/host.js';

export function createNodeWriter(): FileWriter {
  return {
    async writeAtomic(target, data, meta) {
      const dir = path.dirname(target);
      await fs.mkdir(dir, { recursive: true, mode: 0o755 });
      const tmp = path.join(dir, `.${path.basename(target)}.kubesup-${randomBytes(4).toString('hex')}`);
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
      await fs.mkdir(p, { recursive: true, mode });
    },
    async append(p, data, mode = 0o600) {
      await fs.appendFile(p, data, { mode });
    },
    async createExclusive(p, data, mode) {
      await fs.mkdir(path.dirname(p), { recursive: true, mode: 0o700 });
      let handle: fs.FileHandle;
      try {
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
      // A link made beside it, then renamed over: the path is never missing in between.
      const tmp = path.join(path.dirname(p), `.${path.basename(p)}.kubesup-${randomBytes(4).toString('hex')}`);
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
  };
}
