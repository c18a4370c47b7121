import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expandPercent,
  getValue,
  parseSupervisorConfig,
  resolveEndpoint,
  stripInlineComment,
} from '../../src/core/supervisor/config.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/supervisor/${name}`, import.meta.url), 'utf8');

describe("supervisord's comment rule", () => {
  it.each([
    ['--a=b;c --d=e', '--a=b;c --d=e'],
    ['--a=b ;comment', '--a=b '],
    ['--a=b\t;comment', '--a=b\t'],
    ['5%% #tail', '5%% '],
    ['x#y', 'x#y'],
    ['; whole line', ''],
  ])('%j keeps %j', (line, kept) => {
    expect(stripInlineComment(line)).toBe(kept);
  });

  it('keeps a `;` that follows no whitespace inside a program command (where the ini package cuts it)', () => {
    const c = parseSupervisorConfig(
      '[program:x]\ncommand=/bin/kubelet --a=b;c --d=e ;real comment\n',
      '/etc/supervisord.d/x.ini',
    );
    expect(getValue(c, 'program:x', 'command')).toBe('/bin/kubelet --a=b;c --d=e');
  });

  it('joins indented continuation lines, lower-cases keys, merges repeated sections', () => {
    const c = parseSupervisorConfig('[include]\nFiles = a/*.ini\n   b/*.conf\n\n[include]\nother=1\n', '/etc/s.conf');
    expect(getValue(c, 'include', 'files')).toBe('a/*.ini\nb/*.conf');
    expect(getValue(c, 'include', 'other')).toBe('1');
  });

  it('reports lines it cannot understand instead of throwing', () => {
    const c = parseSupervisorConfig('stray=1\n[a]\njust words\n', '/x.conf');
    expect(c.problems).toEqual([
      '/x.conf:1: text before any [section]',
      '/x.conf:3: not a "key = value" line: just words',
    ]);
  });
});

describe('percent expansion', () => {
  it('expands here and ENV_ names, %% to %, and refuses what supervisord refuses', () => {
    expect(expandPercent('%(here)s/x %(ENV_HOME)s 5%%', { here: '/etc', ENV_HOME: '/root' })).toBe('/etc/x /root 5%');
    expect(() => expandPercent('%(nope)s', {})).toThrow(/unknown/);
    expect(() => expandPercent('5%', {})).toThrow(/badly formatted/);
  });
});

describe('where supervisorctl connects', () => {
  it('EPEL: [supervisorctl] serverurl, with the trailing comment dropped', () => {
    const c = parseSupervisorConfig(fixture('epel-supervisord.conf'), '/etc/supervisord.conf');
    expect(resolveEndpoint(c)).toEqual({
      url: 'unix:///var/run/supervisor/supervisor.sock',
      source: '[supervisorctl] serverurl in /etc/supervisord.conf',
    });
  });

  it('Debian: the socket named by serverurl', () => {
    const c = parseSupervisorConfig(fixture('debian-supervisord.conf'), '/etc/supervisor/supervisord.conf');
    expect(resolveEndpoint(c)?.url).toBe('unix:///var/run/supervisor.sock');
  });

  it(`no serverurl: the [unix_http_server] file, relative paths against the config folder, \
credentials from the server`, () => {
    const c = parseSupervisorConfig(
      '[unix_http_server]\nfile=%(here)s/run/s.sock\nusername=admin\npassword={SHA}abc\n',
      '/opt/sv/supervisord.conf',
    );
    expect(resolveEndpoint(c)).toMatchObject({
      url: 'unix:///opt/sv/run/s.sock',
      username: 'admin',
      password: '{SHA}abc',
    });
  });

  it('only an inet server: http URL, `*:port` probed on localhost', () => {
    const c = parseSupervisorConfig('[inet_http_server]\nport=*:9001\n', '/etc/supervisord.conf');
    expect(resolveEndpoint(c)?.url).toBe('http://localhost:9001');
  });

  it('no server at all: undefined', () => {
    expect(resolveEndpoint(parseSupervisorConfig('[supervisord]\nlogfile=/tmp/x\n', '/etc/s.conf'))).toBeUndefined();
  });
});

import { matchGlob } from '../../src/core/glob.js';

describe('globs in include patterns and EnvironmentFile=', () => {
  it.each([
    ['*.ini', 'kubelet.ini', true],
    ['*.ini', 'kubelet.conf', false],
    ['*.conf', '.hidden.conf', false],
    ['.*.conf', '.hidden.conf', true],
    ['1?.env', '10.env', true],
    ['[0-9]*.conf', '50-x.conf', true],
    ['[!0-9]*.conf', '50-x.conf', false],
    ['a.b', 'aXb', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchGlob(pattern, name)).toBe(expected);
  });
});

import { includeInfo } from '../../src/core/detect/supervisor.js';

describe("supervisord's own sample config (pip install, echo_supervisord_conf)", () => {
  const c = parseSupervisorConfig(fixture('pip-sample.conf'), '/etc/supervisord.conf');
  it('is reached at the /tmp socket, and has no [include] (commented out): the migration adds one', () => {
    expect(resolveEndpoint(c)?.url).toBe('unix:///tmp/supervisor.sock');
    expect(includeInfo(c, {})).toBeNull();
    expect(c.problems).toEqual([]);
  });
});

describe('include patterns', () => {
  it('EPEL: relative to the config folder, .ini; several patterns: the first DIR/*.EXT names the folder', () => {
    const epel = parseSupervisorConfig(fixture('epel-supervisord.conf'), '/etc/supervisord.conf');
    expect(includeInfo(epel, {})).toEqual({
      patterns: ['/etc/supervisord.d/*.ini'],
      programDir: '/etc/supervisord.d',
      extension: '.ini',
    });
    const several = parseSupervisorConfig(
      '[include]\nfiles = /opt/a/b.conf %(here)s/progs/*.cfg\n  extra/*\n',
      '/etc/sv/supervisord.conf',
    );
    expect(includeInfo(several, {})).toEqual({
      patterns: ['/opt/a/b.conf', '/etc/sv/progs/*.cfg', '/etc/sv/extra/*'],
      programDir: '/etc/sv/progs',
      extension: '.cfg',
    });
  });
});

import { credentialsFor } from '../../src/core/supervisor/config.js';
import { locateSupervisord } from '../../src/core/supervisor/locate.js';
import { FakeFiles, fakeHost } from '../helpers/fake-host/index.js';

describe('credentials for --supervisor-url', () => {
  const text = [
    '[unix_http_server]',
    'file=/var/run/supervisor.sock',
    '[inet_http_server]',
    'port=127.0.0.1:9001',
    'username=ops',
    'password=s3cret',
    '[supervisorctl]',
    'serverurl=unix:///var/run/supervisor.sock',
    '',
  ].join('\n');
  const config = parseSupervisorConfig(text, '/etc/supervisord.conf');

  it("come from the server section the URL reaches, not from [supervisorctl]'s socket", () => {
    expect(credentialsFor(config, 'http://127.0.0.1:9001')).toEqual({ username: 'ops', password: 's3cret' });
    expect(credentialsFor(config, 'unix:///var/run/supervisor.sock')).toEqual({});
  });

  it('reach the endpoint that the monitor and status use', async () => {
    const host = fakeHost(new FakeFiles({ '/etc/supervisord.conf': text })).host;
    const location = await locateSupervisord(host, { url: 'http://127.0.0.1:9001' });
    expect(location.endpoint).toMatchObject({ url: 'http://127.0.0.1:9001', username: 'ops', password: 's3cret' });
  });
});
