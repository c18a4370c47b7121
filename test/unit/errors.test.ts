// One taxonomy of errors by who must act, each with its exit code and its one line, made in core/errors.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  BugError,
  ExternalFailure,
  errorKind,
  errorLine,
  exitCodeFor,
  ToolError,
  UsageError,
} from '../../src/core/errors.js';
import { RpcFault } from '../../src/core/supervisor/xmlrpc.js';
import { SystemctlFailed } from '../../src/core/systemd/systemctl.js';

describe('each kind of error', () => {
  it('bad usage: exit 2, pointing at --help', () => {
    const e = new UsageError('unknown command "frob"');
    expect([errorKind(e), exitCodeFor(e), errorLine(e)]).toEqual([
      'usage',
      2,
      'unknown command "frob" (see kubesup-tui --help)',
    ]);
  });

  it('a refusal the user acts on: exit 1, its reason as it is', () => {
    const e = new ToolError('nothing to roll back: no migration journal at /x');
    expect([errorKind(e), exitCodeFor(e), errorLine(e)]).toEqual([
      'user',
      1,
      'nothing to roll back: no migration journal at /x',
    ]);
  });

  it('a command that failed: exit 1, its command line and exit code kept as fields', () => {
    const e = new SystemctlFailed('systemctl stop kubelet failed (exit 5): no such unit', {
      command: 'systemctl stop kubelet',
      exitCode: 5,
    });
    expect(e).toBeInstanceOf(ExternalFailure);
    expect(e.source).toEqual({ command: 'systemctl stop kubelet', exitCode: 5 });
    expect([errorKind(e), exitCodeFor(e), errorLine(e)]).toEqual([
      'external',
      1,
      'systemctl stop kubelet failed (exit 5): no such unit',
    ]);
  });

  it("a service's fault: exit 1, the fault code kept", () => {
    const e = new RpcFault(10, 'BAD_NAME: kubelet');
    expect([e.code, e.source.service, errorKind(e), exitCodeFor(e)]).toEqual([10, 'supervisord', 'external', 1]);
    expect(errorLine(e)).toBe('BAD_NAME: kubelet (fault 10)');
  });

  it("a system call's error is the world's, not a bug", () => {
    const e = Object.assign(new Error('EACCES: permission denied, open /etc/x'), { code: 'EACCES' });
    expect([errorKind(e), exitCodeFor(e)]).toEqual(['external', 1]);
  });

  it('a broken invariant, or anything thrown unsorted, says it is a bug and asks for a report', () => {
    for (const e of [new BugError('no screen for x'), new TypeError('x is undefined'), 'a string']) {
      expect(errorKind(e)).toBe('bug');
      expect(exitCodeFor(e)).toBe(1);
      expect(errorLine(e)).toMatch(/^internal error, a bug in kubesup-tui: .+ \(please report it/);
    }
  });

  it('a message over several lines becomes one', () => {
    expect(errorLine(new ToolError('first\n  second\n'))).toBe('first; second');
  });
});

describe('bad input on the command line', () => {
  afterEach(() => vi.restoreAllMocks());

  async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(argv);
    return { code, stderr };
  }

  it.each([
    [['frobnicate']],
    [['migrate', '--no-such-flag']],
    [['detect', 'plan']],
    [['status', '--all']],
    [['monitor', '--json']],
  ])('%j: one line on stderr and exit 2', async (argv) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^kubesup-tui: [^\n]+ \(see kubesup-tui --help\)\n$/);
  });
});
