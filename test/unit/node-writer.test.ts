// The node's writer on real files, in a throwaway folder: it never writes through a planted link, nor in a folder
// someone other than root could change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeWriter, unsafeFolder } from '../../src/adapters/node-writer.js';

const isRoot = process.geteuid?.() === 0;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-writer-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(isRoot)('the node writer', () => {
  const writer = createNodeWriter();

  it('append: a link planted at the log path is not followed (ELOOP), its target unchanged', async () => {
    const victim = path.join(dir, 'passwd');
    fs.writeFileSync(victim, 'root:x:0:0\n');
    fs.symlinkSync(victim, path.join(dir, 'migration.log'));
    await expect(writer.append(path.join(dir, 'migration.log'), 'a line\n')).rejects.toMatchObject({ code: 'ELOOP' });
    expect(fs.readFileSync(victim, 'utf8')).toBe('root:x:0:0\n');
  });

  it('writeAtomic: a link at the target is replaced, not written through', async () => {
    const victim = path.join(dir, 'theirs');
    fs.writeFileSync(victim, 'theirs\n');
    fs.symlinkSync(victim, path.join(dir, 'saved.log'));
    await writer.writeAtomic(path.join(dir, 'saved.log'), 'mine\n', { mode: 0o600 });
    expect(fs.lstatSync(path.join(dir, 'saved.log')).isFile()).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toBe('theirs\n');
  });

  it('a folder writable by others, or owned by another user, or reached through their link: refused', async () => {
    const open = path.join(dir, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    expect(await unsafeFolder(open)).toBe(`${open} is writable by others (mode 777)`);
    await expect(writer.writeAtomic(path.join(open, 'x'), 'x', { mode: 0o600 })).rejects.toThrow(
      `refused to write in ${open}: ${open} is writable by others (mode 777)`,
    );
    expect(fs.readdirSync(open)).toEqual([]);

    // Writable by its group: fine when the group is root's, refused when it is another's.
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o775);
    expect(await unsafeFolder(shared)).toBeNull();
    fs.chownSync(shared, 0, 50);
    expect(await unsafeFolder(shared)).toBe(`${shared} is writable by others (mode 775)`);

    const theirs = path.join(dir, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o755 });
    fs.chownSync(theirs, 12, 12);
    expect(await unsafeFolder(theirs)).toBe(`${theirs} is owned by uid 12`);

    // Another user's link to a folder of root's (/var/tmp/kubesup-tui -> /etc/cron.d, say).
    const planted = path.join(dir, 'kubesup-tui');
    fs.symlinkSync('/etc', planted);
    fs.lchownSync(planted, 65534, 65534);
    expect(await unsafeFolder(planted)).toBe(`${planted} is a link owned by uid 65534`);
    await expect(writer.mkdirp(planted, 0o700)).rejects.toThrow(/is a link owned by uid 65534/);
  });

  it("a folder of root's writable by root alone, under a sticky /tmp: fine; one not made yet: fine", async () => {
    fs.chmodSync(dir, 0o700);
    expect(await unsafeFolder(dir)).toBeNull();
    expect(await unsafeFolder(path.join(dir, 'not/yet'))).toBeNull();
    // mkdirp in a sticky folder writable by all (the monitor's /var/tmp/kubesup-tui): the made folder is checked.
    const sticky = path.join(dir, 'tmp');
    fs.mkdirSync(sticky);
    fs.chmodSync(sticky, 0o1777);
    await writer.mkdirp(path.join(sticky, 'kubesup-tui'), 0o700);
    await writer.writeAtomic(path.join(sticky, 'kubesup-tui', 'saved.log'), 'x\n', { mode: 0o600 });
    expect(fs.readFileSync(path.join(sticky, 'kubesup-tui', 'saved.log'), 'utf8')).toBe('x\n');
  });
});
