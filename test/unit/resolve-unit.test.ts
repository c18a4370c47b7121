// Units as real installers write them, resolved and expanded as systemd would: the exact argv.
import { describe, expect, it } from 'vitest';
import { expandCommand } from '../../src/core/systemd/exec-line.js';
import { resolveUnit } from '../../src/core/systemd/resolve-unit.js';
import { memoryFiles } from '../helpers/fake-host/index.js';

import { CASES } from './resolve-unit-cases.js';

describe('ExecStart as systemd would run it', () => {
  it.each(CASES)('$name', async (c) => {
    const unit = await resolveUnit(memoryFiles(c.files, c.links ? { links: c.links } : {}), 'kubelet.service', {
      hostname: 'node1',
    });
    expect(unit.errors).toEqual([]);
    expect(unit.execStart).toHaveLength(1);
    const { args } = expandCommand(unit.execStart[0]!, unit.environment);
    expect(args.map((a) => a.arg)).toEqual(c.argv);
    for (const [k, v] of Object.entries(c.env ?? {})) expect(unit.environment.get(k)?.value).toBe(v);
    if (c.pre)
      expect(unit.execStartPre.map((p) => expandCommand(p, unit.environment).args.map((a) => a.arg))).toEqual(c.pre);
  });
});

describe('where each flag came from', () => {
  it('names the ExecStart line, and for variables where the variable was set', async () => {
    const c = CASES[3]!;
    const unit = await resolveUnit(memoryFiles(c.files), 'kubelet.service');
    const { args } = expandCommand(unit.execStart[0]!, unit.environment);
    const byArg = Object.fromEntries(args.map((a) => [a.arg, a]));
    expect(byArg['/usr/local/bin/kubelet']).toMatchObject({
      origin: { file: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', line: 9 },
    });
    expect(byArg['--cgroup-driver=systemd']!.variable).toEqual({
      name: 'KUBELET_KUBEADM_ARGS',
      kind: 'EnvironmentFile',
      origin: { file: '/var/lib/kubelet/kubeadm-flags.env', line: 1 },
    });
    expect(byArg['--node-ip=192.168.123.14']!.variable).toEqual({
      name: 'KUBELET_EXTRA_ARGS',
      kind: 'Environment',
      origin: { file: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', line: 7 },
    });
  });
});

describe('bad units', () => {
  it('a unit without ExecStart, a missing required env file, an unreadable and a binary env file', async () => {
    const unit = await resolveUnit(
      memoryFiles(
        {
          '/etc/systemd/system/kubelet.service':
            '[Service]\nEnvironmentFile=/etc/required.env\nEnvironmentFile=-/etc/secret.env\n' +
            'EnvironmentFile=-/etc/binary.env\nExecStart=\n',
          '/etc/binary.env': Buffer.from([0x41, 0x3d, 0x00, 0xff, 0x0a]),
        },
        { unreadable: ['/etc/secret.env'] },
      ),
      'kubelet.service',
    );
    expect(unit.errors).toEqual([
      '/etc/required.env (EnvironmentFile= at /etc/systemd/system/kubelet.service:2) does not exist: systemd would ' +
        'fail to start the unit',
      'kubelet.service has no ExecStart= (after drop-ins)',
    ]);
    expect(unit.problems).toEqual([
      '/etc/secret.env cannot be read (EACCES)',
      '/etc/binary.env is not a text file (it holds NUL bytes); ignored',
    ]);
  });

  it('a masked unit, and one that does not exist', async () => {
    const masked = await resolveUnit(
      memoryFiles(
        { '/usr/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet\n' },
        { links: { '/etc/systemd/system/kubelet.service': '/dev/null' } },
      ),
      'kubelet.service',
    );
    expect(masked).toMatchObject({ masked: true, fragment: null, execStart: [] });
    const missing = await resolveUnit(memoryFiles({}), 'kubelet.service');
    expect(missing).toMatchObject({ masked: false, fragment: null, errors: [] });
  });

  it('broken lines are reported with file and line, not thrown', async () => {
    const unit = await resolveUnit(
      memoryFiles({
        '/etc/systemd/system/kubelet.service':
          '[Service]\nno equals sign here\nExecStart=/usr/bin/kubelet "unbalanced\nExecStartPre=/bin/true %z\n',
      }),
      'kubelet.service',
    );
    expect(unit.problems).toEqual([
      '/etc/systemd/system/kubelet.service:2: not a Key=Value line: no equals sign here',
      '/etc/systemd/system/kubelet.service:3: ExecStart= ignored: unbalanced quotes',
      '/etc/systemd/system/kubelet.service:4: ExecStartPre= ignored: unknown specifier "%z"',
    ]);
    expect(unit.errors).toEqual(['kubelet.service has no ExecStart= (after drop-ins)']);
  });
});
