// How systemd runs a service's process, carried into the wrapper and the program file.
import { describe, expect, it } from 'vitest';
import { carriedRun } from '../../src/core/detect/process-run.js';
import { renderProgramFile, renderWrapper } from '../../src/core/migration/plan/render-files.js';
import { carriedSettings } from '../../src/core/migration/plan/run-lines.js';
import { getValue, parseSupervisorConfig } from '../../src/core/supervisor/config.js';
import { resolveUnit } from '../../src/core/systemd/resolve-unit.js';
import { parseLimit, parseProcLimits, runSettings } from '../../src/core/systemd/run-settings.js';
import { CONTAINERD, KUBEKEY_ETCD } from '../fixtures/units/service-units.js';
import { memoryFiles } from '../helpers/fake-host/index.js';

const settingsOf = async (files: Record<string, string>, name: string) =>
  runSettings(await resolveUnit(memoryFiles(files), name));

const PROC_LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max core file size        unlimited            unlimited            bytes
Max processes             unlimited            unlimited            processes
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('limits as systemd reads them', () => {
  it.each([
    ['LimitNOFILE', '1048576', { soft: 1048576, hard: 1048576 }],
    ['LimitNOFILE', '1024:524288', { soft: 1024, hard: 524288 }],
    ['LimitNPROC', 'infinity', { soft: 'unlimited', hard: 'unlimited' }],
    ['LimitCORE', '0:infinity', { soft: 0, hard: 'unlimited' }],
    ['LimitMEMLOCK', '64M', { soft: 64 * 2 ** 20, hard: 64 * 2 ** 20 }],
    ['LimitCPU', '1h', { soft: 3600, hard: 3600 }],
    ['LimitRTTIME', '2s', { soft: 2_000_000, hard: 2_000_000 }],
  ])('%s=%s', (setting, value, expected) => {
    expect(parseLimit(setting, value)).toMatchObject(expected);
  });

  it.each([
    ['LimitNOFILE', 'lots'],
    ['LimitNOFILE', '10:5'],
    ['LimitNOFILE', 'infinity:10'],
    ['LimitNOFILE', '1:2:3'],
  ])('%s=%s is rejected, as systemd does', (setting, value) => {
    expect(parseLimit(setting, value)).toBeNull();
  });

  it('/proc/PID/limits is read in the same units', () => {
    const limits = parseProcLimits(PROC_LIMITS);
    expect(limits.get('nofile')).toEqual({ soft: 20000, hard: 20000 });
    expect(limits.get('nproc')).toEqual({ soft: 'unlimited', hard: 'unlimited' });
    expect(limits.get('memlock')).toEqual({ soft: 8388608, hard: 8388608 });
  });
});

describe('the settings of real units', () => {
  it('containerd: limits, no group stop (its shims outlive it), notify said; stopped as systemd would', async () => {
    const { settings, problems } = await settingsOf(
      {
        '/usr/lib/systemd/system/containerd.service': CONTAINERD,
        '/etc/systemd/system/containerd.service.d/limits.conf': '[Service]\nLimitNOFILE=1048576\n',
      },
      'containerd.service',
    );
    expect(problems).toEqual([]);
    expect(settings.killMode).toBe('process');
    expect(settings.notify).toBe(true);
    expect(settings.limits.map((l) => `${l.resource}=${l.soft}:${l.hard}`)).toEqual([
      'core=unlimited:unlimited',
      'nofile=1048576:1048576',
      'nproc=unlimited:unlimited',
    ]);
    const program = parseSupervisorConfig(
      renderProgramFile({
        program: 'containerd',
        wrapperPath: '/etc/kubesup-tui/containerd.sh',
        logFile: '/var/log/containerd/containerd.log',
        header: 'test',
        run: settings,
        priority: 5,
      }),
      'containerd.conf',
    );
    const get = (k: string) => getValue(program, 'program:containerd', k);
    expect([get('stopasgroup'), get('killasgroup'), get('stopsignal'), get('stopwaitsecs')]).toEqual([
      'false',
      'false',
      'TERM',
      '30',
    ]);
  });

  it("KubeKey's etcd: its limit, its user at the exec, RestartSec and NotifyAccess without effect", async () => {
    const { settings, problems } = await settingsOf(
      { '/etc/systemd/system/etcd.service': KUBEKEY_ETCD, '/etc/etcd.env': 'ETCD_DATA_DIR=/var/lib/etcd\n' },
      'etcd.service',
    );
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ user: 'root', killMode: 'control-group', notify: true, timeoutStopSec: null });
    const wrapper = renderWrapper({
      argv: ['/usr/local/bin/etcd'],
      env: { ETCD_DATA_DIR: '/var/lib/etcd' },
      execStartPre: [],
      sourceFiles: ['/etc/systemd/system/etcd.service', '/etc/etcd.env'],
      program: 'etcd',
      header: 'test',
      oomScoreAdjust: 0,
      unit: 'etcd.service',
      run: settings,
    });
    expect(wrapper).toContain(
      'prlimit --pid $$ --nofile=40000:40000 || echo "kubesup-tui: cannot set LimitNOFILE" >&2',
    );
    expect(wrapper).toMatch(
      /\nexec setpriv --reuid="\$\(id -u root\)" --regid="\$\(id -g root\)" --init-groups -- \/usr\/local\/bin\/etcd\n/,
    );
    // The limits are set before the ExecStartPre steps and the exec, in the wrapper's own process.
    expect(wrapper.indexOf('prlimit')).toBeLessThan(wrapper.indexOf('oom_score_adj'));
  });

  it('umask, working directory (optional), nice and a stop signal and timeout are each carried', async () => {
    const { settings, problems } = await settingsOf(
      {
        '/etc/systemd/system/x.service':
          '[Service]\nExecStart=/bin/x\nUMask=0027\nWorkingDirectory=-/var/lib/x\nNice=-5\nKillSignal=SIGINT\n' +
          'TimeoutStopSec=2min\nKillMode=mixed\n',
      },
      'x.service',
    );
    expect(problems).toEqual([]);
    const lines = carriedSettings('x.service', settings, -500);
    expect(lines).toEqual([
      'OOMScoreAdjust: -500, written to /proc/self/oom_score_adj before exec',
      'UMask: umask 0027 in the wrapper',
      'WorkingDirectory: cd /var/lib/x in the wrapper',
      'Nice: renice -n -5 in the wrapper',
      'KillSignal: stopsignal=INT; TimeoutStopSec: stopwaitsecs=120',
      'KillMode=mixed: stopasgroup=false, killasgroup=true',
    ]);
  });

  it('values systemd would reject are named, not guessed', async () => {
    const { settings, problems } = await settingsOf(
      {
        '/etc/systemd/system/x.service':
          '[Service]\nExecStart=/bin/x\nLimitNOFILE=many\nUMask=rwx\nNice=40\nKillSignal=SIGWINCH\nKillMode=gentle\n',
      },
      'x.service',
    );
    expect(problems).toHaveLength(5);
    expect(settings).toMatchObject({
      limits: [],
      umask: null,
      nice: null,
      killSignal: 'TERM',
      killMode: 'control-group',
    });
  });

  it('the running process is the truth: its limits and OOM score are what is carried', async () => {
    const { settings } = await settingsOf(
      {
        '/usr/lib/systemd/system/containerd.service': CONTAINERD,
        '/etc/systemd/system/containerd.service.d/limits.conf': '[Service]\nLimitNOFILE=1048576\n',
      },
      'containerd.service',
    );
    // A host without CAP_SYS_RESOURCE: systemd could not raise the hard limit past 20000.
    const carried = carriedRun(settings, -999, {
      limits: Object.fromEntries(parseProcLimits(PROC_LIMITS)),
      oomScoreAdj: 0,
    });
    expect(carried.oomScoreAdjust).toBe(0);
    expect(carried.run.limits.find((l) => l.resource === 'nofile')).toMatchObject({ soft: 20000, hard: 20000 });
    // Not running: the unit's values.
    expect(carriedRun(settings, -999, null).oomScoreAdjust).toBe(-999);
  });
});
