// The resident agent as the migration installs it, on the stand-in node: a 1.35 kubelet under its watchdog, a hang
// restarted within the timeout and counted as one, a kill -9 counted as a crash; rollback takes every agent file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import { withTestNode } from '../helpers/with-test-node.js';
import type { TestNode } from './test-node.js';

const LAYOUTS = {
  'kubeadm-ubuntu': { ctl: 'supervisorctl -c /etc/supervisor/supervisord.conf', socket: '/var/run/supervisor.sock' },
  // EPEL's supervisord 3.4.0 on Python 2.7: the agent runs on 2.7, compiled beside its sources.
  'kubekey-centos7': {
    ctl: 'supervisorctl -c /etc/supervisord.conf',
    socket: '/var/run/supervisor/supervisor.sock',
  },
} as const;
const STATE = '/var/lib/kubesup-tui/agent-state.json';

/** sha256 of every file under the node's /etc and /usr/lib (what the agent's migration touches), seen from inside. */
function snapshot(node: TestNode): Record<string, string> {
  const out: Record<string, string> = {};
  const root = node.hostPath('/');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isSymbolicLink()) out[p.slice(root.length - 1)] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isFile())
        out[p.slice(root.length - 1)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  for (const top of ['etc', 'usr/lib']) walk(path.join(root, top));
  return out;
}

const kubeletPid = async (node: TestNode) => Number((await node.sh('pgrep -x kubelet')).trim());
/** The kubelet's count for a reason in the agent's state, as a shell condition. */
const counted = (reason: string, n: number) =>
  `python3 -c 'import json,sys; s=json.load(open("${STATE}")); ` +
  `sys.exit(0 if s["restarts"]["kubelet"].get("${reason}") == ${n} else 1)'`;

describe.each(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[])(
  'the resident agent with a 1.35 kubelet, %s',
  (layout) => {
    const CTL = LAYOUTS[layout].ctl;
    let before: Record<string, string>;
    const node = withTestNode(layout, async (node) => {
      await node.waitFor(`test -S ${LAYOUTS[layout].socket} && curl -sf 127.0.0.1:10248/healthz`);
      await node.sh('echo v1.35.0 > /etc/kubelet-standin/version');
      before = snapshot(node);
    });

    it('migrate: the agent runs under supervisord, compiled, and kubelet has its watchdog', async () => {
      const r = await kubesup(node, ['migrate', '--yes', '--watchdog-sec', '3'], { timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      await node.waitFor(`${CTL} status kubesup-agent | grep -q RUNNING`);
      await node.waitFor('test -S /run/kubesup-tui/notify/kubelet && test -p /run/kubesup-tui/alive/kubelet');
      // Compiled by supervisord's own Python: __pycache__/agent.cpython-3N.pyc on 3, agent.pyc beside it on 2.7.
      expect(await node.sh('find /usr/lib/kubesup-tui/agent -name "agent*.pyc"')).toMatch(
        layout === 'kubekey-centos7' ? /kubesup_agent\/agent\.pyc/ : /__pycache__\/agent\.cpython-3\d+\.pyc/,
      );
      const env = await node.sh(`tr '\\0' '\\n' < /proc/${await kubeletPid(node)}/environ`);
      expect(env).toContain('WATCHDOG_USEC=3000000');
      expect(env).toContain('NOTIFY_SOCKET=/run/kubesup-tui/notify/kubelet');
    });

    it('a hung kubelet (no pings, no healthz, no log) is restarted within its timeout: hung_watchdog', async () => {
      // Healthy first: its pings keep it running past twice the timeout (a restart ends the wait as a failure).
      const healthy = await kubeletPid(node);
      await node.waitFor(`[ "$(ps -o etimes= -p ${healthy})" -ge 7 ]`);
      expect(await kubeletPid(node)).toBe(healthy);
      await node.sh(`kill -USR2 ${healthy}`);
      // Within the timeout (3 s) and the kill grace after SIGABRT (10 s; the stand-in dies at the SIGABRT itself).
      await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${healthy} ]`, 13_000);
      await node.waitFor(counted('hung_watchdog', 1));
      await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 20_000);
    });

    it('kill -9 is counted as a crash', async () => {
      const pid = await kubeletPid(node);
      await node.sh(`kill -9 ${pid}`);
      await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${pid} ]`);
      await node.waitFor(counted('crashed', 1));
    });

    it('rollback leaves what was there before the agent: no listener, no agent files', async () => {
      const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
      expect(r.exitCode).toBe(0);
      expect(await node.exec(['bash', '-c', `${CTL} status kubesup-agent`])).toMatchObject({
        stdout: expect.stringMatching(/no such process/),
      });
      expect(snapshot(node)).toEqual(before);
      expect(await node.exec(['test', '-e', '/run/kubesup-tui/notify/kubelet'])).toMatchObject({ exitCode: 1 });
      // Not even an empty folder of the agent's.
      for (const dir of ['/usr/lib/kubesup-tui', '/etc/kubesup-tui'])
        expect(await node.exec(['test', '-e', dir]), dir).toMatchObject({ exitCode: 1 });
    });
  },
);
