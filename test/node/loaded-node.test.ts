// The monitor started on a loaded node, where supervisord takes 100-500 ms to answer each call (a proxy in
// front of its socket): the log pane fills, a crash is counted, and keys answer.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv } from '../helpers/cli-in-node.js';
import { TmuxSession } from '../helpers/tmux.js';
import { withTestNode } from '../helpers/with-test-node.js';
import { REPO_ROOT } from './test-node.js';

const SOCK = '/var/run/supervisor/supervisor.sock';
const SLOW = '/run/slow-supervisor.sock';

describe('the monitor on a loaded node (reference node, supervisord answering late)', () => {
  const node = withTestNode('kubekey-centos7', async (n) => {
    await n.waitFor(`test -S ${SOCK} && curl -sf 127.0.0.1:10248/healthz`);
    expect((await kubesup(n, ['migrate', '--yes'], { timeoutMs: 120_000 })).exitCode).toBe(0);
  });

  it('shows kubelet log lines within 2 s of its row, counts a crash, and answers keys', async () => {
    const argv = node.enterArgv([node.standinNode, path.join(REPO_ROOT, 'test/node/slow-proxy.mjs'), SLOW, SOCK]);
    const proxy = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    const tui = new TmuxSession(
      node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv('monitor', '--supervisor-url', `unix://${SLOW}`)]),
      { columns: 100, rows: 30 },
    );
    try {
      await node.waitFor(`test -S ${SLOW}`);
      let s = await tui.waitFor((x) => /› kubelet\s+RUNNING\s+\d+/.test(x), 'kubelet in the table', 20_000);
      s = await tui.waitFor((x) => /kubelet\.go:\d+\]/.test(x), "kubelet's log lines", 2_000);
      const pid = Number(/› kubelet\s+RUNNING\s+(\d+)/.exec(s)?.[1]);
      await node.sh(`kill -9 ${pid}`);
      // Counted, and LAST EXIT says how it ended (kubesup-agent's words may follow the count by a poll).
      s = await tui.waitFor(
        (x) => /› kubelet\s+\S+\s+\S+\s+\S+\s+1\s+\d\d:\d\d:\d\d (SIGKILL|crashed \(SIGKILL\))/.test(x),
        'the crash counted, with how it ended',
        15_000,
      );
      tui.send('j');
      // The next row: kubesup-agent where the migration installed it, else node-exporter.
      await tui.waitFor((x) => /› (?!kubelet\s)\S+\s+RUNNING/.test(x), 'the selection moved', 3_000);
    } finally {
      tui.kill();
      proxy.kill('SIGKILL');
      await node.exec(['pkill', '-f', 'slow-prox[y]']);
    }
  });
});
