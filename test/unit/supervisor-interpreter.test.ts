// Which Python runs supervisord, from what /proc and its script tell: the agent runs with the very same one.
import { describe, expect, it } from 'vitest';
import { pythonMajor, supervisordInterpreter } from '../../src/core/supervisor/interpreter.js';

describe("supervisord's interpreter", () => {
  it('the running daemon first (its exe, even deleted by an upgrade), then its argv, then the shebang', () => {
    expect(supervisordInterpreter({ exe: '/usr/bin/python3.11 (deleted)', firstLine: '#!/usr/bin/python2' })).toBe(
      '/usr/bin/python3.11',
    );
    expect(
      supervisordInterpreter({ exe: '/usr/bin/supervisord', argv: ['/opt/py/bin/python2.7', '/usr/bin/supervisord'] }),
    ).toBe('/opt/py/bin/python2.7');
    expect(supervisordInterpreter({ firstLine: '#! /usr/bin/python3 -s' })).toBe('/usr/bin/python3');
  });

  it('none when no clue names an absolute Python', () => {
    expect(supervisordInterpreter({ firstLine: '#!/usr/bin/env python3' })).toBeNull();
    expect(supervisordInterpreter({ argv: ['supervisord', '-n'], firstLine: '\x7fELF' })).toBeNull();
    expect(supervisordInterpreter({})).toBeNull();
  });

  it('the major version from --version, on stdout (3) or stderr (2.7)', () => {
    expect(pythonMajor('Python 3.11.2\n')).toBe(3);
    expect(pythonMajor('\nPython 2.7.18\n')).toBe(2);
    expect(pythonMajor('bash: python: command not found')).toBeNull();
  });
});
