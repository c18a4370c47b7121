import { describe, expect, it } from 'vitest';
import { evictionThresholds, parseThreshold } from '../../../src/core/kubelet/eviction.js';
import { emptyMonitorData, nodeMoved } from '../../../src/core/monitor/monitor-data.js';
import { levelOf, NodeSampler, parseMeminfo, parsePressure } from '../../../src/core/monitor/node-facts.js';
import { FakeFiles } from '../../helpers/fake-host/files.js';

const GiB = 2 ** 30;

describe('eviction thresholds', () => {
  it('reads quantities and percentages the way kubelet writes them', () => {
    expect(parseThreshold('100Mi')).toEqual({ bytes: 100 * 2 ** 20 });
    expect(parseThreshold('1.5G')).toEqual({ bytes: 1.5e9 });
    expect(parseThreshold('10%')).toEqual({ percent: 10 });
    expect(parseThreshold('lots')).toBeNull();
  });

  it('the flag wins over the file; the file replaces the defaults; neither gives the defaults', () => {
    const config = { evictionHard: { 'memory.available': '500Mi', 'nodefs.available': '5%' } };
    expect(evictionThresholds('imagefs.available<5%,nodefs.available<5%', config)).toEqual({
      'imagefs.available': { percent: 5 },
      'nodefs.available': { percent: 5 },
    });
    expect(evictionThresholds(undefined, config)).toEqual({
      'memory.available': { bytes: 500 * 2 ** 20 },
      'nodefs.available': { percent: 5 },
    });
    expect(evictionThresholds(undefined, {})['imagefs.available']).toEqual({ percent: 15 });
  });

  it('over below the threshold, near within half of it again, ok above', () => {
    expect(levelOf(4 * GiB, 50 * GiB, { percent: 10 })).toBe('over');
    expect(levelOf(6 * GiB, 50 * GiB, { percent: 10 })).toBe('near');
    expect(levelOf(8 * GiB, 50 * GiB, { percent: 10 })).toBe('ok');
    expect(levelOf(1, 50 * GiB, null)).toBe('ok');
  });
});

describe('node facts from /proc', () => {
  it('parses meminfo and pressure (cpu has no full line on older kernels)', () => {
    const mem = parseMeminfo('MemTotal:        8000000 kB\nMemAvailable:     120000 kB\nHugePages_Total:       0\n');
    expect(mem.get('MemAvailable')).toBe(120000 * 1024);
    expect(mem.get('HugePages_Total')).toBe(0);
    expect(parsePressure('some avg10=12.50 avg60=3.00 avg300=1.00 total=1\n')).toEqual({ some: 12.5, full: null });
    expect(parsePressure('garbage')).toBeNull();
  });

  it('samples the node, its disks against the thresholds, and a process CPU rate between two samples', async () => {
    const files = new FakeFiles({
      '/proc/loadavg': '7.90 3.20 1.10 3/512 999\n',
      '/proc/meminfo': 'MemTotal: 8388608 kB\nMemAvailable: 122880 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n',
      '/proc/stat': 'cpu  1 2 3\ncpu0 1 2 3\ncpu1 1 2 3\nintr 0\n',
      '/proc/pressure/memory': 'some avg10=41.20 avg60=1 avg300=1 total=1\nfull avg10=30.10 avg60=1 avg300=1 total=1\n',
      '/proc/4242/stat': `4242 (kubelet) S 1 ${'0 '.repeat(9)}1000 500 0 0`,
      '/proc/4242/status': 'Name:\tkubelet\nVmRSS:\t 1572864 kB\nThreads:\t31\n',
      '/proc/4242/fd/0': '',
      '/proc/4242/fd/1': '',
    });
    files.filesystems.set('/var/lib', { availBytes: 3 * GiB, totalBytes: 50 * GiB });
    const sampler = new NodeSampler(
      files,
      [
        { path: '/var/lib/kubelet', role: 'nodefs', signal: 'nodefs.available' },
        { path: '/var/log', role: 'logs', signal: null },
      ],
      { 'memory.available': { bytes: 100 * 2 ** 20 }, 'nodefs.available': { percent: 10 } },
    );
    const node = await sampler.node();
    expect(node.cpus).toBe(2);
    expect(node.load).toEqual([7.9, 3.2, 1.1]);
    expect(node.memory?.level).toBe('near');
    expect(node.pressure?.memory).toEqual({ some: 41.2, full: 30.1 });
    expect(node.pressure?.cpu).toBeNull();
    // /var/log has no filesystem in this fake: left out, not shown as empty.
    expect(node.disks.map((d) => [d.path, d.level])).toEqual([['/var/lib/kubelet', 'over']]);

    const first = await sampler.process(4242, 10_000);
    expect(first).toMatchObject({ cpuPercent: null, cpuSeconds: 15, rssBytes: 1.5 * GiB, threads: 31, openFiles: 2 });
    files.put('/proc/4242/stat', `4242 (kubelet) S 1 ${'0 '.repeat(9)}1100 600 0 0`);
    const second = await sampler.process(4242, 12_000);
    // 200 ticks (2 s of CPU) in 2 s: a whole core.
    expect(second?.cpuPercent).toBeCloseTo(100);
    expect(await sampler.process(999, 12_000)).toBeNull();
  });

  it('a kernel without PSI (CentOS 7) has no pressure figures, not zeros', async () => {
    const sampler = new NodeSampler(new FakeFiles({ '/proc/loadavg': '0 0 0 1/1 1' }), [], {});
    expect((await sampler.node()).pressure).toBeNull();
  });
});

describe('redraws for the node panel', () => {
  const data = (load: number, rss: number) => ({
    ...emptyMonitorData('unix:///s', 'http://h'),
    node: { cpus: 2, load: [load, 0, 0] as [number, number, number], memory: null, pressure: null, disks: [] },
    usage: { pid: 1, cpuPercent: 0, cpuSeconds: 1, rssBytes: rss, threads: 1, openFiles: 4 },
  });
  it('a figure hovering at an edge does not redraw; a move by its step does', () => {
    expect(nodeMoved(data(0.49, 100e6), data(0.51, 100e6))).toBe(false);
    expect(nodeMoved(data(0.49, 100e6), data(1.6, 100e6))).toBe(true);
    expect(nodeMoved(data(0.5, 100e6), data(0.5, 100e6 + 20 * 2 ** 20))).toBe(true);
    expect(nodeMoved(null, data(0.5, 1))).toBe(true);
  });
});
