// A password given in --supervisor-url: used to reach supervisord, never printed (detect, plan, status, text and
// JSON, usage errors) and never stored in the journal.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { runDetect } from '../../src/cli/commands/detect.js';
import { runPlan } from '../../src/cli/commands/plan.js';
import { runStatus } from '../../src/cli/commands/status.js';
import { buildPlan } from '../../src/cli/plan-node.js';
import type { ConnectOptions } from '../../src/core/host.js';
import { JOURNAL_PATH } from '../../src/core/migration/journal/journal.js';
import { beginMigration } from '../../src/core/migration/session.js';
import { fakeNode } from '../helpers/fake-host/index.js';

const SECRET = 's3cret%2Fx';
const URL_GIVEN = `http://admin:${SECRET}@127.0.0.1:9001`;

describe('a password in --supervisor-url', () => {
  it('is taken out of the URL as the command line is read', () => {
    expect(parseCommandLine(['status', '--supervisor-url', URL_GIVEN])).toMatchObject({
      supervisorUrl: 'http://127.0.0.1:9001',
      supervisorCredentials: { username: 'admin', password: 's3cret/x' },
    });
    let message = '';
    try {
      parseCommandLine(['status', '--supervisor-url', `ftp://admin:${SECRET}@host`]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^--supervisor-url: expected/);
    expect(message).not.toContain('s3cret');
  });

  it('reaches supervisord, and no output nor the journal holds it', async () => {
    const node = fakeNode('kubekey-centos7');
    const connected: ConnectOptions[] = [];
    const host = {
      ...node.host,
      connect: (o: ConnectOptions) => {
        connected.push(o);
        return node.host.connect(o);
      },
    };
    let printed = '';
    const out = (t: string) => {
      printed += t;
    };
    for (const command of ['detect', 'plan', 'status'] as const) {
      for (const json of [[], ['--json']]) {
        const options = parseCommandLine([command, '--supervisor-url', URL_GIVEN, ...json]);
        const run = { detect: runDetect, plan: runPlan, status: runStatus }[command];
        await run(host, options, out).catch((error: Error) => out(error.message));
      }
    }
    expect(printed).toContain('http://127.0.0.1:9001');
    expect(printed).not.toMatch(/s3cret/);
    expect(connected.some((o) => o.username === 'admin' && o.password === 's3cret/x')).toBe(true);

    const options = parseCommandLine(['migrate', '--yes', '--supervisor-url', URL_GIVEN]);
    const result = await beginMigration(host, await buildPlan(host, options), () => undefined, {
      verifyTimeoutMs: 5000,
    });
    expect(result.error).toBeNull();
    expect(node.files.text(JOURNAL_PATH)).toContain('http://127.0.0.1:9001');
    expect(node.files.text(JOURNAL_PATH)).not.toMatch(/s3cret/);
  });
});
