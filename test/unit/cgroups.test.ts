// Which unit holds a process, and the folder to move it into, from /proc/PID/cgroup and /proc/self/mountinfo
// as the kernel writes them (v2, v1, hybrid); and the one write: never into a file off a cgroup file system.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCgroupWriter } from '../../src/adapters/cgroup-writer.js';
import { belongsToUnit, cgroupFolder, parseCgroupFile, parseCgroupMounts } from '../../src/core/systemd/cgroups.js';

const MOUNTINFO = [
  '25 1 0:26 / /sys/fs/cgroup rw,nosuid shared:8 - tmpfs tmpfs ro,mode=755',
  '26 25 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate',
  '27 25 0:28 / /sys/fs/cgroup/systemd rw,nosuid shared:10 - cgroup cgroup rw,xattr,name=systemd',
  '30 25 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:13 - cgroup cgroup rw,cpu,cpuacct',
  // A part of the memory hierarchy only, at a path with a space (\040).
  '31 25 0:32 /kube /mnt/my\\040memory rw,nosuid shared:14 - cgroup cgroup rw,memory',
  '40 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
].join('\n');

describe('cgroups', () => {
  const mounts = parseCgroupMounts(MOUNTINFO);

  it('reads the cgroup mounts of mountinfo, and nothing else', () => {
    expect(mounts.map((m) => [m.mountPoint, m.root, m.v2])).toEqual([
      ['/sys/fs/cgroup/unified', '/', true],
      ['/sys/fs/cgroup/systemd', '/', false],
      ['/sys/fs/cgroup/cpu,cpuacct', '/', false],
      ['/mnt/my memory', '/kube', false],
    ]);
  });

  it('finds the folder of a path in each hierarchy; null where it is not mounted or not held', () => {
    const [v2, systemd, cpu, memory] = parseCgroupFile(
      '0::/system.slice/a.service\n1:name=systemd:/system.slice/a.service\n2:cpu,cpuacct:/x\n4:memory:/kube/p\n',
    );
    expect(cgroupFolder(mounts, v2!, v2!.path)).toBe('/sys/fs/cgroup/unified/system.slice/a.service');
    expect(cgroupFolder(mounts, systemd!, systemd!.path)).toBe('/sys/fs/cgroup/systemd/system.slice/a.service');
    expect(cgroupFolder(mounts, cpu!, '/')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(cgroupFolder(mounts, memory!, memory!.path)).toBe('/mnt/my memory/p');
    expect(cgroupFolder(mounts, memory!, '/other')).toBeNull();
    expect(cgroupFolder(mounts, { hierarchy: '7', controllers: 'pids', path: '/' }, '/')).toBeNull();
  });

  it("a process belongs to a unit by v2's hierarchy or v1's name=systemd, not by a controller's", () => {
    expect(belongsToUnit('0::/system.slice/supervisord.service\n', 'supervisord.service')).toBe(true);
    expect(belongsToUnit('1:name=systemd:/system.slice/supervisord.service\n', 'supervisord.service')).toBe(true);
    expect(belongsToUnit('4:memory:/system.slice/supervisord.service\n0::/\n', 'supervisord.service')).toBe(false);
    expect(belongsToUnit('0::/system.slice/supervisord.service.d\n', 'supervisord.service')).toBe(false);
  });

  it('the writer refuses a folder off a cgroup file system, and creates nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-cgroup-'));
    try {
      await expect(createCgroupWriter().moveProcess(process.pid, dir)).rejects.toThrow(
        `${dir} is not on a cgroup file system`,
      );
      await expect(createCgroupWriter().moveProcess(0, dir)).rejects.toThrow('not a process id: 0');
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
