// What happens to a migration when things go wrong around it, on the reference node: two at once, one
// killed half-way and met again by status and the TUI, a kubelet crash-looping under the wrapper.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv, kubesupJson } from '../helpers/cli-in-node.js';
import { TmuxSession } from '../helpers/tmux.js';
import { withTestNode } from '../helpers/with-test-node.js';
import type { TestNode } from './test-node.js';

const LOG = '/var/lib/kubesup-tui/migration.log';
const healthy = 'curl -sf 127.0.0.1:10248/healthz';
/** Each change systemctl makes waits this long: room to act in the middle of a migration. */
const slow = (node: TestNode, ms: number) =>
  node.sh(`mkdir -p /run/systemctl-standin && echo ${ms} > /run/systemctl-standin/delay-ms`);

/** `migrate --yes` started in the background inside the node; its exit, once it has one. */
function migrateInBackground(node: TestNode): { exit: Promise<number | null> } {
  const child = spawn(
    node.enterArgv(kubesupArgv('migrate', '--yes'))[0] as string,
    node.enterArgv(kubesupArgv('migrate', '--yes')).slice(1),
    {
      stdio: 'ignore',
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    },
  );
  return { exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function journalState(node: TestNode): Promise<string | null> {
  const r = await node.exec(['cat', '/var/lib/kubesup-tui/journal.json']);
  return r.exitCode === 0 ? (JSON.parse(r.stdout) as { state: string }).state : null;
}

describe('faults around a migration (reference node)', () => {
  const node = withTestNode('kubekey-centos7', (n) =>
    n.waitFor(`test -S /var/run/supervisor/supervisor.sock && ${healthy}`),
  );

  it('two migrations at once: the second exits 1 naming the first, and changes nothing', async () => {
    await slow(node, 700);
    const first = migrateInBackground(node);
    await node.waitFor('test -s /var/lib/kubesup-tui/lock');
    const holder = (await node.sh('cut -d" " -f1 /var/lib/kubesup-tui/lock')).trim();
    const second = await kubesup(node, ['migrate', '--yes']);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toBe(
      `kubesup-tui: another kubesup-tui (pid ${holder}) is changing this node (/var/lib/kubesup-tui/lock); ` +
        'nothing was changed\n',
    );
    expect(await first.exit).toBe(0);
    expect(await journalState(node)).toBe('migrated');
    await node.sh('rm -f /run/systemctl-standin/delay-ms');
    expect((await node.exec(['test', '-e', '/var/lib/kubesup-tui/lock'])).exitCode).not.toBe(0);
  });

  it('a kubelet failing at start: while the wrapper waits to retry, status says WAITING, not RUNNING', async () => {
    await node.sh('touch /etc/kubelet-standin/fail-start; kill -9 $(pgrep -x kubelet)');
    let waiting: { retry_in_s: number; failed_starts: number } | null = null;
    let processThen = '';
    for (let i = 0; i < 100 && !waiting; i++) {
      const status = await kubesupJson(node, ['status']);
      const kubelet = status.json.programs.find((p: { name: string }) => p.name === 'kubelet');
      if (kubelet?.waiting) {
        waiting = kubelet.waiting;
        processThen = (await node.exec(['ps', '-o', 'comm=', '-p', String(kubelet.pid)])).stdout.trim();
        expect(kubelet.state).toBe('RUNNING');
        expect(status.exitCode).toBe(3);
      }
    }
    expect(waiting?.retry_in_s).toBeGreaterThan(0);
    expect(waiting?.failed_starts).toBeGreaterThanOrEqual(1);
    // What supervisord called RUNNING was the wrapper sleeping: no kubelet ran.
    expect(processThen).toBe('kubelet.sh');
    const text = await kubesup(node, ['status']);
    expect(text.stdout).toMatch(/kubelet\s+(WAITING \d+s \(\d+ failed starts?\)|RUNNING)/);
    await node.sh('rm /etc/kubelet-standin/fail-start');
    await node.waitFor(healthy, 30_000);
  });

  // kubelet's 16 steps: the reread is the 11th (the resident agent's write and compile, and the tool's copy, come
  // before it).
  it(`a migration killed half-way: status names it and exits 4; \
the TUI offers the steps left and finishes it`, async () => {
    const undo = await kubesup(node, ['rollback', '--yes']);
    expect(undo.stderr).toBe('');
    expect(undo.exitCode).toBe(0);
    await node.waitFor(healthy, 30_000);
    await slow(node, 700);
    const seen = Number((await node.sh(`wc -l < ${LOG}`)).trim());
    const run = migrateInBackground(node);
    await node.waitFor(`tail -n +${seen + 1} ${LOG} | grep -q '\\[11/16\\]'`, 30_000);
    await node.sh("pkill -9 -f 'kubesup-tui(-linux-x6[4]|[.]js) migrate'");
    await run.exit;
    await node.sh('rm -f /run/systemctl-standin/delay-ms');

    const status = await kubesupJson(node, ['status']);
    expect(status.exitCode).toBe(4);
    expect(status.json.warnings[0]).toMatch(
      new RegExp(
        String.raw`^a migration was interrupted after (11|12) of 16 steps \(next: .*\): ` +
          'finish it with kubesup-tui migrate --yes, or undo it with kubesup-tui rollback --yes$',
      ),
    );

    const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv()]), {
      columns: 100,
      rows: 30,
    });
    try {
      let s = await tui.waitFor((x) => x.includes('A migration was interrupted after'), 'the interruption');
      expect(s).toContain('Steps left');
      expect(s).toMatch(/16\. verify/);
      tui.send('Enter');
      await tui.waitFor((x) => x.includes('Resume the migration') && x.includes('[y/N]'), 'the resume question');
      tui.send('y');
      s = await tui.waitFor((x) => x.includes('4 done'), 'the done screen', 60_000);
      expect(s).toMatch(/healthz gap: (\d+ ms|unknown)/);
    } finally {
      tui.kill();
    }
    expect(await journalState(node)).toBe('migrated');
    await node.waitFor(healthy, 30_000);
    expect((await kubesupJson(node, ['status'])).exitCode).toBe(0);
  });
});
