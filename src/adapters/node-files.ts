/** The node's files, read through node:fs. */
import fs from 'node:fs/promises';
import type { FileReader } from '../core/host.js';

export function createNodeFiles(root = '/'): FileReader {
  // `root` lets tests and the demo read a node's files from outside it (/proc/PID/root).
  const at = (p: string) => (root === '/' ? p : `${root.replace(/\/$/, '')}${p}`);
  return {
    async read(path) {
      try {
        return await fs.readFile(at(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
        throw error;
      }
    },
    async list(dir) {
      try {
        return (await fs.readdir(at(dir))).sort();
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
  };
}
