/**
 * A node's file system in memory: files with mode and owner, symlinks, folders, unreadable paths, and writes
 * that can be made to fail. One object is both the FileReader and the FileWriter of a fake host.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileMeta, FileReader, FileWriter } from '../../../src/core/host.js';

interface Entry {
  data: Buffer;
  meta: FileMeta;
}

export interface FakeFilesInit {
  readonly links?: Record<string, string>;
  readonly unreadable?: readonly string[];
}

export class FakeFiles implements FileReader, FileWriter {
  readonly entries = new Map<string, Entry>();
  readonly links = new Map<string, string>();
  readonly dirs = new Set<string>(['/']);
  readonly unreadable = new Set<string>();
  /** Paths whose next atomic write fails (the file is left as it was). */
  readonly failWrites = new Set<string>();
  /** Folders someone other than root could change, with why: writes in them (or below) throw, as the node's do. */
  readonly unsafeFolders = new Map<string, string>();

  constructor(files: Record<string, string | Buffer> = {}, init: FakeFilesInit = {}) {
    for (const [p, data] of Object.entries(files)) this.put(p, data);
    for (const [p, target] of Object.entries(init.links ?? {})) this.link(p, target);
    for (const p of init.unreadable ?? []) this.unreadable.add(p);
  }

  put(p: string, data: string | Buffer, mode = 0o644): void {
    this.addDirs(path.posix.dirname(p));
    this.links.delete(p);
    this.entries.set(p, { data: Buffer.from(data), meta: { mode, uid: 0, gid: 0 } });
  }

  link(p: string, target: string): void {
    this.addDirs(path.posix.dirname(p));
    this.entries.delete(p);
    this.links.set(p, target);
  }

  /** Copies a folder of this machine (a test node layout's files/) in, at `/`. */
  loadTree(dir: string): void {
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = path.posix.join(rel, e.name);
        if (e.isDirectory()) walk(r);
        else this.put(`/${r}`, fs.readFileSync(path.join(dir, r)), fs.statSync(path.join(dir, r)).mode & 0o7777);
      }
    };
    walk('');
  }

  /** The file's text, through links as a reader would see it. */
  text(p: string): string | undefined {
    return (this.entries.get(p) ?? this.resolve(p))?.data.toString('utf8');
  }

  /** Every file and link, as a comparable picture: `path -> sha256 mode` or `path -> link target`. */
  snapshot(under = '/'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [p, e] of this.entries)
      if (p.startsWith(under))
        out[p] = `${createHash('sha256').update(e.data).digest('hex')} ${e.meta.mode.toString(8)}`;
    for (const [p, t] of this.links) if (p.startsWith(under)) out[p] = `-> ${t}`;
    return out;
  }

  private addDirs(dir: string): void {
    for (let d = dir; d !== '/' && !this.dirs.has(d); d = path.posix.dirname(d)) this.dirs.add(d);
  }

  private check(p: string): void {
    if (this.unreadable.has(p))
      throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
  }

  private resolve(p: string): Entry | undefined {
    this.check(p);
    const target = this.links.get(p);
    if (target === '/dev/null') return { data: Buffer.alloc(0), meta: { mode: 0o666, uid: 0, gid: 0 } };
    if (target !== undefined) return this.resolve(path.posix.resolve(path.posix.dirname(p), target));
    return this.entries.get(p);
  }

  async read(p: string) {
    const e = this.resolve(p);
    return e ? Buffer.from(e.data) : undefined;
  }

  async list(dir: string) {
    const prefix = dir === '/' ? '/' : `${dir.replace(/\/$/, '')}/`;
    const names = new Set<string>();
    for (const p of [...this.entries.keys(), ...this.links.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0] as string);
    }
    return [...names].sort();
  }

  async readLink(p: string) {
    return this.links.get(p);
  }

  async exists(p: string) {
    return this.entries.has(p) || this.links.has(p) || this.dirs.has(p);
  }

  async readRange(p: string, offset: number, length: number) {
    return (await this.read(p))?.subarray(offset, offset + length);
  }

  private readonly watchers = new Map<string, Set<() => void>>();

  watch(p: string, onChange: () => void) {
    const set = this.watchers.get(p) ?? new Set();
    set.add(onChange);
    this.watchers.set(p, set);
    return () => set.delete(onChange);
  }

  /** What a watcher of the file would hear: it changed. */
  touch(p: string): void {
    for (const l of this.watchers.get(p) ?? []) l();
  }

  async size(p: string) {
    return (await this.read(p))?.length;
  }

  /** Filesystems by mount point: the longest one above a path holds it. Tests set them; none by default. */
  readonly filesystems = new Map<string, { availBytes: number; totalBytes: number }>();

  async space(p: string) {
    const mount = [...this.filesystems.keys()]
      .filter((m) => p === m || p.startsWith(m.endsWith('/') ? m : `${m}/`))
      .sort((a, b) => b.length - a.length)[0];
    return mount === undefined ? undefined : this.filesystems.get(mount);
  }

  async unsafeFolder(dir: string) {
    for (const [d, why] of this.unsafeFolders) if (dir === d || dir.startsWith(`${d}/`)) return why;
    return null;
  }

  private async requireSafeFolder(dir: string) {
    const why = await this.unsafeFolder(dir);
    if (why) throw Object.assign(new Error(`refused to write in ${dir}: ${why}`), { code: 'EUNSAFE' });
  }

  async writeAtomic(p: string, data: string | Buffer, meta: Partial<FileMeta> & { mode: number }) {
    await this.requireSafeFolder(path.posix.dirname(p));
    if (this.failWrites.delete(p))
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC' });
    this.put(p, data, meta.mode);
    const e = this.entries.get(p) as Entry;
    e.meta = { mode: meta.mode, uid: meta.uid ?? 0, gid: meta.gid ?? 0 };
  }

  async mkdirp(p: string) {
    await this.requireSafeFolder(p);
    this.addDirs(p);
  }

  async append(p: string, data: string, mode = 0o600) {
    await this.requireSafeFolder(path.posix.dirname(p));
    if (this.links.has(p))
      throw Object.assign(new Error(`ELOOP: too many symbolic links, open '${p}'`), { code: 'ELOOP' });
    const before = this.entries.get(p)?.data ?? Buffer.alloc(0);
    this.put(p, Buffer.concat([before, Buffer.from(data)]), this.entries.get(p)?.meta.mode ?? mode);
  }

  async createExclusive(p: string, data: string, mode: number) {
    if (await this.exists(p)) return false;
    this.put(p, data, mode);
    return true;
  }

  async symlink(target: string, p: string) {
    this.link(p, target);
  }

  async remove(p: string) {
    this.entries.delete(p);
    this.links.delete(p);
  }

  async stat(p: string) {
    const e = this.entries.get(p);
    return e ? { ...e.meta } : undefined;
  }
}

/** A read-only FileReader over literal files: the shape most detection tests need. */
export function memoryFiles(files: Record<string, string | Buffer>, init: FakeFilesInit = {}): FileReader {
  return new FakeFiles(files, init);
}
