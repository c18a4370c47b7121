// The migration under hostile input and a hung supervisord, on the reference node: each refusal is one line
// with nothing changed (a snapshot of the node's files), and after each fault exactly one kubelet runs.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv, kubesupJson } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { TmuxSession } from '../helpers/tmux.js';
import { withTestNode } from '../helpers/with-test-node.js';
import type { TestNode } from './test-node.js';

const healthy = 'curl -sf 127.0.0.1:10248/healthz';
const SOCKET = '/var/run/supervisor/supervisor.sock';
const LOG = '/var/lib/kubesup-tui/migration.log';
/** The kubelets running on the node, each as `pid parent-command`. */
const kubelets = (node: TestNode) =>
  node.sh('for p in $(pgrep -x kubelet); do echo "$p $(ps -o comm= -p $(ps -o ppid= -p $p))"; done');

/** `migrate --yes` in the background inside the node: its output and exit, once it has one. */
function migrateInBackground(node: TestNode): Promise<{ code: number | null; out: string }> {
  const argv = node.enterArgv(kubesupArgv('migrate', '--yes'));
  const child = spawn(argv[0] as string, argv.slice(1), {
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

/**
 * Starts a migration and freezes supervisord (SIGSTOP) once it has re-read its config: the systemd kubelet
 * stops (slowed, so the freeze lands first), then the add step meets a supervisord that does not answer.
 */
async function migrateFreezingSupervisord(node: TestNode) {
  await node.sh('mkdir -p /run/systemctl-standin && echo 2000 > /run/systemctl-standin/delay-ms');
  const seen = Number((await node.sh(`cat ${LOG} 2>/dev/null | wc -l`)).trim());
  const run = migrateInBackground(node);
  // Frozen once the resident agent is started (the step before kubelet's stop and add).
  await node.waitFor(`tail -n +${seen + 1} ${LOG} | grep -q 'kubesup-agent.*settings): ok'`, 60_000);
  await node.sh('kill -STOP $(cat /var/run/supervisord.pid); rm -f /run/systemctl-standin/delay-ms');
  return { run, seen };
}

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

describe('terminals the screens cannot be drawn on (reference node)', () => {
  const node = withTestNode('kubekey-centos7', (n) => n.waitFor(`test -S ${SOCKET} && ${healthy}`));

  it('TERM=dumb: one line pointing at the headless commands, exit 1, nothing else drawn', async () => {
    const tui = new TmuxSession(node.enterArgv(['env', 'TERM=dumb', ...kubesupArgv()]), { columns: 160, rows: 30 });
    try {
      const s = await tui.waitFor((x) => x.includes('[exit '), 'the exit');
      expect(s.trim()).toBe(
        'kubesup-tui: TERM=dumb: this terminal cannot draw the screens; use status, detect, plan or migrate --yes ' +
          'instead\n[exit 1]',
      );
    } finally {
      tui.kill();
    }
  });

  it('40x10: one line saying the size needed, instead of a garbled screen', async () => {
    const argv = node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv()]);
    const tui = new TmuxSession(argv, { columns: 40, rows: 10 });
    try {
      const s = await tui.waitFor((x) => x.includes('too small'), 'the too-small line');
      expect(s.trim()).toBe('terminal too small (need at least 50x12)');
      tui.send('q');
      await tui.waitFor((x) => x.includes('[exit 0]'), 'the exit');
    } finally {
      tui.kill();
    }
  });
});

describe('supervisord frozen (SIGSTOP) at the add step (reference node)', () => {
  const node = withTestNode('kubekey-centos7', (n) => n.waitFor(`test -S ${SOCKET} && ${healthy}`));

  it("woken during the rollback: it is made to let go first, then systemd's kubelet starts; one kubelet", async () => {
    const { run, seen } = await migrateFreezingSupervisord(node);
    // Frozen through the add step's 30 s and into the rollback: woken only then. A bound, not an expectation:
    // the stop of systemd's kubelet goes through the face's ExecStop to the frozen supervisord first (about 30 s).
    await node.waitFor(`tail -n +${seen + 1} ${LOG} | grep -q '^\\S* rolling back: '`, 120_000);
    await node.sh('kill -CONT $(cat /var/run/supervisord.pid)');
    const { code, out } = await run;
    expect(out).toMatch(/\[\d+\/\d+\] supervisord: add and start \[program:kubelet\] only: FAILED: .*within 30 s/);
    expect(out).toContain('rolled back: kubelet runs under systemd again');
    expect(code).toBe(1);
    await node.waitFor(healthy, 30_000);
    expect((await kubelets(node)).trim().split('\n')).toHaveLength(1);
    expect(await kubelets(node)).not.toMatch(/supervisord|python/);
    expect((await kubesupJson(node, ['status'])).exitCode).toBe(0);
  }, 300_000);

  it(`frozen for good: the rollback stops within its bound, leaves kubelet to supervisord and says so; \
never two kubelets; woken, rollback --yes finishes and status is not stuck`, async () => {
    const { run } = await migrateFreezingSupervisord(node);
    const { code, out } = await run;
    expect(code).toBe(1);
    expect(out).toMatch(/stop and remove \[program:kubelet\]: FAILED: supervisord did not let go of .* within 60 s/);
    expect(out).toContain("systemd's kubelet.service was not started, so that two never run");
    expect(await kubelets(node)).toBe('');
    await node.sh('kill -CONT $(cat /var/run/supervisord.pid)');
    await node.waitFor('supervisorctl -c /etc/supervisord.conf status >/dev/null; test $? -ne 4 -a $? -ne 2');
    expect((await kubelets(node)).split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    const back = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
    expect(back.exitCode, back.stdout + back.stderr).toBe(0);
    await node.waitFor(healthy, 30_000);
    expect((await kubelets(node)).trim().split('\n')).toHaveLength(1);
    expect(await kubelets(node)).not.toMatch(/supervisord|python/);
    expect((await kubesupJson(node, ['status'])).exitCode).toBe(0);
  }, 300_000);
});

describe('links where the migration writes (reference node)', () => {
  const node = withTestNode('kubekey-centos7', (n) => n.waitFor(`test -S ${SOCKET} && ${healthy}`));

  it(`supervisord.conf a link: written through, kept a link; the wrapper's path a link: put back as one; \
a migration.log planted as a link to /etc/passwd: not followed; rollback leaves every file as it was`, async () => {
    await node.sh(
      // Configuration management's config (no [include]: the plan adds one), linked from /etc.
      "mkdir -p /etc/cm && sed '/^\\[include\\]/,$d' /etc/supervisord.conf > /etc/cm/supervisord.conf && " +
        'chmod 640 /etc/cm/supervisord.conf && ln -sfn cm/supervisord.conf /etc/supervisord.conf && ' +
        'mkdir -p /opt/theirs && printf "#!/bin/sh\\n" > /opt/theirs/kubelet.sh && ' +
        'ln -sfn /opt/theirs/kubelet.sh /etc/kubernetes/kubelet.sh && ' +
        'mkdir -p -m 700 /var/lib/kubesup-tui && ln -sfn /etc/passwd /var/lib/kubesup-tui/migration.log',
    );
    const roots = ['/etc', '/opt/theirs', '/usr/local/bin'];
    const before = await snapshot(node, roots);
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await node.sh('readlink /etc/supervisord.conf')).toBe('cm/supervisord.conf\n');
    expect(await node.sh('stat -c "%a %u" /etc/cm/supervisord.conf')).toBe('640 0\n');
    expect(node.readFile('/etc/cm/supervisord.conf')).toMatch(/\[include\]\nfiles = supervisord\.d\/\*\.ini\n$/);
    expect(await node.sh('stat -c "%F %a %u" /etc/kubernetes/kubelet.sh')).toBe('regular file 700 0\n');
    expect(node.readFile('/opt/theirs/kubelet.sh')).toBe('#!/bin/sh\n');
    const back = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
    expect(back.exitCode, back.stdout + back.stderr).toBe(0);
    expect(await snapshot(node, roots)).toBe(before);
    await node.waitFor(healthy, 30_000);
  }, 300_000);
});

describe('a password in --supervisor-url (reference node)', () => {
  const node = withTestNode('kubekey-centos7', async (n) => {
    await n.waitFor(`test -S ${SOCKET} && ${healthy}`);
    await n.sh(
      'printf "\\n[inet_http_server]\\nport=127.0.0.1:9001\\nusername=admin\\npassword=s3cret\\n" ' +
        '>> /etc/supervisord.conf && systemctl restart supervisord',
    );
    await n.waitFor('supervisorctl -c /etc/supervisord.conf status node-exporter | grep -q RUNNING', 30_000);
  });

  it('used to reach supervisord, never printed by status, detect or plan, never stored in the journal', async () => {
    const url = 'http://admin:s3cret@127.0.0.1:9001';
    let printed = '';
    for (const args of [['status'], ['detect'], ['plan']]) {
      for (const json of [[], ['--json']]) {
        const r = await kubesup(node, [...args, '--supervisor-url', url, ...json]);
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
        printed += r.stdout + r.stderr;
      }
    }
    expect(printed).toContain('http://127.0.0.1:9001');
    const r = await kubesup(node, ['migrate', '--yes', '--supervisor-url', url], { timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    printed += r.stdout + r.stderr;
    expect(printed).not.toContain('s3cret');
    expect(node.readFile('/var/lib/kubesup-tui/journal.json')).not.toContain('s3cret');
    expect(node.readFile('/var/lib/kubesup-tui/migration.log')).not.toContain('s3cret');
  }, 300_000);
});
