// The migration under hostile input and a hung supervisord, on the reference node: each refusal is one line
// with nothing changed (a snapshot of the node's files), and after each fault exactly one kubelet runs.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { withTestNode } from '../helpers/with-test-node.js';

const healthy = 'curl -sf 127.0.0.1:10248/healthz';
const SOCKET = '/var/run/supervisor/supervisor.sock';

describe('checked before the first write (reference node)', () => {
  const node = withTestNode('kubekey-centos7', (n) => n.waitFor(`test -S ${SOCKET} && ${healthy}`));

  it('--supervisor-conf /etc/passwd: one line, exit 1, /etc/passwd and every file untouched, status fine', async () => {
    const before = await snapshot(node);
    const r = await kubesup(node, ['migrate', '--yes', '--supervisor-conf', '/etc/passwd']);
    expect(r.stderr).toBe(
      'kubesup-tui: /etc/passwd is not a supervisord config (it has no [supervisord] section); nothing was changed\n',
    );
    expect(r.exitCode).toBe(1);
    expect(await snapshot(node)).toBe(before);
    expect((await node.exec(['test', '-e', '/var/lib/kubesup-tui/journal.json'])).exitCode).not.toBe(0);
    const status = await kubesupJson(node, ['status']);
    expect(status.exitCode).toBe(0);
    expect(status.json.warnings).toEqual([]);
  });

  it('a wrong [supervisorctl] password: one line naming HTTP 401, nothing written', async () => {
    await node.sh(
      String.raw`sed -i 's|^\[unix_http_server\]$|&\nusername=admin\npassword=right|; ` +
        String.raw`s|^\[supervisorctl\]$|&\nusername=admin\npassword=wrong|' /etc/supervisord.conf && ` +
        'systemctl restart supervisord',
    );
    await node.waitFor(`test -S ${SOCKET}`);
    const before = await snapshot(node);
    const r = await kubesup(node, ['migrate', '--yes']);
    expect(r.stderr).toMatch(
      new RegExp(
        String.raw`^kubesup-tui: supervisord cannot be used: supervisord at \S+ refused the credentials ` +
          String.raw`\(HTTP 401\); nothing was changed\n$`,
      ),
    );
    expect(r.exitCode).toBe(1);
    expect(await snapshot(node)).toBe(before);
    expect((await node.exec(['test', '-e', '/var/lib/kubesup-tui/journal.json'])).exitCode).not.toBe(0);
  });
});
