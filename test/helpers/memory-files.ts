// An in-memory node filesystem for core tests: paths to contents, symlinks, and unreadable files.
import type { FileReader } from '../../src/core/host.js';

export function memoryFiles(files: Record<string, string | Buffer>, options: { links?: Record<string, string>; unreadable?: string[] } = {}): FileReader {
  const links = options.links ?? {};
  const unreadable = new Set(options.unreadable ?? []);
  return {
    async read(p) {
      if (unreadable.has(p)) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      const target = links[p];
      if (target !== undefined) return target === '/dev/null' ? Buffer.alloc(0) : this.read(target);
      const v = files[p];
      return v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v);
    },
    async list(dir) {
      const prefix = `${dir.replace(/\/$/, '')}/`;
      const names = new Set<string>();
      for (const p of [...Object.keys(files), ...Object.keys(links)]) {
        if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0] as string);
      }
      return [...names].sort();
    },
    async readLink(p) {
      return links[p];
    },
  };
}
