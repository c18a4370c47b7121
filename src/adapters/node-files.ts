/** The node's files, read through node:fs. */
import { type FSWatcher, readdirSync, readFileSync, watch } from 'node:fs';
import fs from 'node:fs/promises';
import nodePath from 'node:path';
import type { FileReader } from '../core/host.js';

/**
 * /proc and /sys are made by the kernel from memory and never wait on a disk: read at once, without a
 * thread-pool round trip each (the monitor reads a dozen of them every few seconds). Not a process's
 * cmdline, environ or maps: those read its memory and can wait on it under memory pressure (why `ps` hangs),
 * exactly when the monitor matters. Never a real filesystem: a hung NFS mount must not stop the event loop.
 */
const inKernel = (p: string) =>
  (p.startsWith('/proc/') || p.startsWith('/sys/')) && !/\/(cmdline|environ|maps|smaps|mem)$/.test(p);

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

export function createNodeFiles(root = '/'): FileReader {
  // `root` lets tests and the demo read a node's files from outside it (/proc/PID/root).
  const at = (p: string) => (root === '/' ? p : `${root.replace(/\/$/, '')}${p}`);
  return {
    async read(path) {
      try {
        return inKernel(path) ? readFileSync(at(path)) : await fs.readFile(at(path));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async list(dir) {
      try {
        return (inKernel(dir) ? readdirSync(at(dir)) : await fs.readdir(at(dir))).sort();
      } catch {
        return [];
      }
    },
    async readLink(path) {
      try {
        return await fs.readlink(at(path));
      } catch {
        return undefined;
      }
    },
    async exists(path) {
      try {
        await fs.lstat(at(path));
        return true;
      } catch {
        return false;
      }
    },
    async readRange(path, offset, length) {
      let handle: fs.FileHandle;
      try {
        handle = await fs.open(at(path), 'r');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      try {
        // No more than the file holds: a follower asks for 256 KB at each new log line.
        const { size } = await handle.stat();
        const want = Math.max(0, Math.min(length, size - offset));
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buf, 0, want, offset);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    watch(path, onChange) {
      // The folder, not the file: a rotation renames the file away, and a file watch would follow it.
      const base = nodePath.basename(path);
      let watcher: FSWatcher;
      try {
        watcher = watch(nodePath.dirname(at(path)), { persistent: false }, (_event, name) => {
          if (!name || name === base || name.startsWith(`${base}.`)) onChange();
        });
      } catch {
        return () => undefined;
      }
      watcher.on('error', () => undefined);
      return () => watcher.close();
    },
    async size(path) {
      try {
        return (await fs.stat(at(path))).size;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async space(path) {
      try {
        const s = await fs.statfs(at(path));
        // bavail, not bfree: what a non-root writer (and kubelet's eviction signal) can still use.
        return { availBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
  };
}
