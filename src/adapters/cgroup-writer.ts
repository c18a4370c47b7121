/** Moves a process into a cgroup: its pid written into the cgroup's cgroup.procs, nothing else. */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CgroupWriter } from '../core/host.js';

/** statfs's f_type of cgroup v1 and cgroup v2 file systems (linux/magic.h). */
const CGROUP_MAGIC = new Set([0x27e0eb, 0x63677270]);

export function createCgroupWriter(): CgroupWriter {
  return {
    async moveProcess(pid, folder) {
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
      if (!path.isAbsolute(folder)) throw new Error(`not an absolute cgroup folder: ${folder}`);
      // Never a pid written into some other file: the folder must be on a cgroup file system.
      const fsType = (await fs.statfs(folder)).type;
      if (!CGROUP_MAGIC.has(fsType)) throw new Error(`${folder} is not on a cgroup file system`);
      // O_WRONLY without O_CREAT: cgroup.procs is the kernel's; a missing one is an error, never a new file.
      const file = await fs.open(path.join(folder, 'cgroup.procs'), constants.O_WRONLY);
      try {
        await file.write(`${pid}\n`);
      } finally {
        await file.close();
      }
    },
  };
}
