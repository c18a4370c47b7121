// Where node_exporter's textfile collector reads: the running one's flag, else the distribution's folder.
import { describe, expect, it } from 'vitest';
import {
  DISTRIBUTION_TEXTFILE_DIRS,
  distributionFamily,
  textfileDir,
  textfileFlag,
} from '../../src/core/detect/textfile-dir.js';
import { fakeHost } from '../helpers/fake-host/index.js';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const ROCKY = 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n';
const CENTOS7 = 'NAME="CentOS Linux"\nID="centos"\nID_LIKE="rhel fedora"\n';

describe('textfileFlag', () => {
  it('reads --flag=DIR and --flag DIR, the last one winning', () => {
    expect(textfileFlag(['node_exporter', '--collector.textfile.directory=/srv/prom'])).toBe('/srv/prom');
    expect(textfileFlag(['node_exporter', '--collector.textfile.directory', '/srv/prom'])).toBe('/srv/prom');
    expect(textfileFlag(['node_exporter', '-collector.textfile.directory=/old'])).toBe('/old');
    expect(
      textfileFlag([
        'x',
        '--collector.textfile.directory=/a',
        '--web.listen-address=:9100',
        '--collector.textfile.directory',
        '/b',
      ]),
    ).toBe('/b');
  });

  it('none when absent, empty, dangling, or only a look-alike', () => {
    expect(textfileFlag(['node_exporter', '--web.listen-address=:9100'])).toBeNull();
    expect(textfileFlag(['node_exporter', '--collector.textfile.directory='])).toBeNull();
    expect(textfileFlag(['node_exporter', '--collector.textfile.directory'])).toBeNull();
    expect(textfileFlag(['node_exporter', '--collector.textfile.directory.extra=/x'])).toBeNull();
    expect(textfileFlag(['node_exporter', 'collector.textfile.directory=/x'])).toBeNull();
  });
});

describe('distributionFamily', () => {
  it('Debian and Ubuntu, the EL family, and nothing for others', () => {
    expect(distributionFamily(DEBIAN)).toBe('debian');
    expect(distributionFamily(UBUNTU)).toBe('debian');
    expect(distributionFamily(ROCKY)).toBe('el');
    expect(distributionFamily(CENTOS7)).toBe('el');
    expect(distributionFamily('ID=alpine\n')).toBeNull();
    expect(distributionFamily(undefined)).toBeNull();
  });
});

function node(osRelease?: string) {
  const fake = fakeHost();
  if (osRelease) fake.files.put('/etc/os-release', osRelease);
  return fake;
}

describe('textfileDir', () => {
  it("the running node_exporter's flag, in either form, before the distribution's default", async () => {
    const fake = node(DEBIAN);
    const pid = fake.procs.spawn(['/usr/local/bin/node_exporter', '--collector.textfile.directory', '/srv/textfile']);
    expect(await textfileDir(fake.host)).toEqual({
      dir: '/srv/textfile',
      from: `node_exporter pid ${pid}'s --collector.textfile.directory`,
    });
  });

  it("Debian's binary (its comm cut to 15 characters) with the flag", async () => {
    const fake = node(UBUNTU);
    fake.procs.spawn(['/usr/bin/prometheus-node-exporter', '--collector.textfile.directory=/var/lib/prom-text']);
    expect((await textfileDir(fake.host))?.dir).toBe('/var/lib/prom-text');
  });

  it("a node_exporter without the flag: the distribution's folder", async () => {
    const debian = node(DEBIAN);
    debian.procs.spawn(['/usr/bin/prometheus-node-exporter']);
    expect(await textfileDir(debian.host)).toEqual({
      dir: DISTRIBUTION_TEXTFILE_DIRS.debian,
      from: "Debian's default",
    });
    const el = node(ROCKY);
    expect(await textfileDir(el.host)).toEqual({
      dir: '/var/lib/node_exporter/textfile_collector',
      from: "EL's common default",
    });
  });

  it("a node_exporter in a container names a folder of its own mounts: not this node's", async () => {
    const fake = node(ROCKY);
    fake.procs.spawn(['/bin/node_exporter', '--collector.textfile.directory=/host/textfile'], {
      cgroup: '0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-1234.scope\n',
    });
    fake.procs.spawn(['/bin/node_exporter', '--collector.textfile.directory=/other/ns'], {
      pidNamespace: 'pid:[4026532999]',
    });
    expect((await textfileDir(fake.host))?.dir).toBe(DISTRIBUTION_TEXTFILE_DIRS.el);
  });

  it('none: no node_exporter naming a folder and a distribution without a known default', async () => {
    const fake = node('ID=alpine\n');
    fake.procs.spawn(['/usr/bin/kubelet', '--collector.textfile.directory=/not/node_exporter']);
    expect(await textfileDir(fake.host)).toBeNull();
    expect(await textfileDir(node().host)).toBeNull();
  });
});
