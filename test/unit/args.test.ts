import { describe, expect, it } from 'vitest';
import { HELP, parseCommandLine } from '../../src/cli/args.js';
import { UsageError } from '../../src/core/errors.js';

describe('command line', () => {
  it('defaults: no command, program kubelet', () => {
    expect(parseCommandLine([])).toMatchObject({ command: undefined, json: false, yes: false, program: 'kubelet' });
  });

  it('takes each command and its options', () => {
    expect(parseCommandLine(['status', '--json', '--supervisor-url', 'unix:///run/s.sock'])).toMatchObject({
      command: 'status',
      json: true,
      supervisorUrl: 'unix:///run/s.sock',
    });
    expect(
      parseCommandLine(['migrate', '--yes', '--program', 'kubelet2', '--supervisor-conf', '/etc/s.conf']),
    ).toMatchObject({
      command: 'migrate',
      yes: true,
      program: 'kubelet2',
      supervisorConf: '/etc/s.conf',
    });
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['status', 'detect'], /one command at a time/],
    [['--bogus'], /unknown option '--bogus'/],
    [['migrate', '--json'], /migrate --json runs without asking: add --yes/],
    [['monitor', '--json'], /--json goes with detect, plan, status, migrate or rollback/],
    [['status', '--supervisor-url', '/run/s.sock'], /expected unix:\/\/\/path.sock/],
    [['status', '--program', 'a b'], /letters, digits, - and _ only/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it('help lists every command and option', () => {
    for (const word of [
      'migrate',
      'monitor',
      'detect',
      'plan',
      'status',
      'rollback',
      '--json',
      '--yes',
      '--program',
      '--supervisor-conf',
      '--supervisor-url',
      '--help',
      '--version',
    ]) {
      expect(HELP).toContain(word);
    }
  });
  it('--unit: the program follows the unit; it goes with detect, plan, migrate --yes and rollback', () => {
    expect(parseCommandLine(['detect', '--unit', 'containerd'])).toMatchObject({
      unit: 'containerd.service',
      program: 'containerd',
    });
    expect(parseCommandLine(['detect', '--unit', 'etcd.service', '--program', 'etcd-main'])).toMatchObject({
      unit: 'etcd.service',
      program: 'etcd-main',
    });
    expect(parseCommandLine(['plan'])).toMatchObject({ unit: 'kubelet.service', program: 'kubelet' });
    expect(parseCommandLine(['migrate', '--unit', 'etcd', '--yes'])).toMatchObject({
      unit: 'etcd.service',
      program: 'etcd',
    });
    expect(parseCommandLine(['rollback', '--unit', 'etcd'])).toMatchObject({ unit: 'etcd.service' });
    expect(() => parseCommandLine(['migrate', '--unit', 'containerd'])).toThrow(
      /the wizard moves kubelet; move other units with migrate --unit containerd.service --yes/,
    );
    expect(() => parseCommandLine(['status', '--unit', 'containerd'])).toThrow(/status shows every program/);
    expect(() => parseCommandLine(['--unit', 'containerd'])).toThrow(/the TUI shows every program/);
    expect(() => parseCommandLine(['detect', '--unit', '../etc/passwd'])).toThrow(/not a unit name/);
    expect(() => parseCommandLine(['detect', '--health-url', 'localhost:80'])).toThrow(/--health-url: expected/);
  });
  it('--all goes with rollback alone, as lines (each unit as JSON: --unit NAME --json)', () => {
    expect(parseCommandLine(['rollback', '--all', '--yes'])).toMatchObject({ all: true, unit: 'kubelet.service' });
    for (const argv of [
      ['migrate', '--all', '--yes'],
      ['rollback', '--all', '--json', '--yes'],
      ['rollback', '--all', '--unit', 'etcd'],
    ])
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(/--all goes with rollback alone/);
  });
});
