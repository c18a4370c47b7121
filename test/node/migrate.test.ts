// The migration proven on the test nodes (issue: "Proof on the test node").
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv, kubesupJson } from '../helpers/cli-in-node.js';
import { cannotRun, skipTestNode, withTestNode } from '../helpers/with-test-node.js';
import { type LayoutName, TestNode } from './test-node.js';

type SupervisedLayout = Exclude<LayoutName, 'kubeadm-rocky-nosup'>;

const CTL: Record<SupervisedLayout, string> = {
  'kubekey-centos7': 'supervisorctl -c /etc/supervisord.conf',
  'kubeadm-ubuntu': 'supervisorctl -c /etc/supervisor/supervisord.conf',
  'kubespray-debian': 'supervisorctl -c /etc/supervisor/supervisord.conf',
};
const SOCKET: Record<SupervisedLayout, string> = {
  'kubekey-centos7': '/var/run/supervisor/supervisor.sock',
  'kubeadm-ubuntu': '/var/run/supervisor.sock',
  'kubespray-debian': '/var/run/supervisor.sock',
};

/** sha256 of every file under the node's /etc and /usr (what a migration may touch), seen from inside. */
async function snapshot(node: TestNode): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const root = node.hostPath('/');
  for (const top of ['etc', 'usr/local', 'usr/lib/systemd']) {
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isSymbolicLink()) out[p.slice(root.length - 1)] = `-> ${fs.readlinkSync(p)}`;
        else if (e.isFile())
          out[p.slice(root.length - 1)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      }
    };
    walk(path.join(root, top));
  }
  return out;
}

async function kubeletPids(node: TestNode): Promise<number[]> {
  const out = await node.exec(['pgrep', '-x', 'kubelet']);
  return out.stdout.split('\n').filter(Boolean).map(Number);
}

async function parentName(node: TestNode, pid: number): Promise<string> {
  return (await node.sh(`ps -o args= -p $(ps -o ppid= -p ${pid})`)).trim();
}

describe.each(['kubekey-centos7', 'kubeadm-ubuntu', 'kubespray-debian'] as SupervisedLayout[])(
  'migration on %s',
  (layout) => {
    let before: Record<string, string>;
    let argv: string[];
    const node = withTestNode(layout, async (node) => {
      await node.waitFor(`test -S ${SOCKET[layout]} && curl -sf 127.0.0.1:10248/healthz`);
      argv = (await kubesupJson(node, ['detect'])).json.argv;
      before = await snapshot(node);
    });

    it('plan changes no file', async () => {
      const r = await kubesup(node, ['plan']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Steps:');
      const json = await kubesupJson(node, ['plan']);
      expect(json.json.argv).toEqual(argv);
      expect(await snapshot(node)).toEqual(before);
    });

    it('migrate: kubelet RUNNING under supervisord with the same argv, one kubelet, others untouched', async () => {
      const supervisordPid = (await kubesupJson(node, ['status'])).json.supervisord.pid;
      const othersBefore = (await kubesupJson(node, ['status'])).json.programs;
      const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(
        /^migrated: kubelet runs under supervisord as \[program:kubelet\]; healthz gap \d+ ms$/m,
      );
      for (const line of r.stdout.split('\n').filter((l) => l.startsWith('[')))
        expect(line).toMatch(/^\[\d+\/\d+\] .*: ok/);

      const status = (await kubesupJson(node, ['status'])).json;
      const kubelet = status.programs.find((p: { name: string }) => p.name === 'kubelet');
      expect(kubelet.state).toBe('RUNNING');
      expect(status.supervisord.pid).toBe(supervisordPid);
      for (const other of othersBefore)
        expect(status.programs.find((p: { name: string }) => p.name === other.name).pid).toBe(other.pid);
      expect(status.kubelet.healthz).toBe('ok');
      // Why it would crash: the supervised kubelet's own process, beside the node's figures.
      expect(status.usage).toMatchObject({ program: 'kubelet', pid: kubelet.pid, threads: 1 });
      expect(status.usage.rss_bytes).toBeGreaterThan(0);

      const pids = await kubeletPids(node);
      expect(pids).toEqual([kubelet.pid]);
      expect((await node.sh(`tr '\\0' '\\n' < /proc/${kubelet.pid}/cmdline`)).split('\n').slice(0, -1)).toEqual(argv);
      expect(await parentName(node, kubelet.pid)).toMatch(/supervisord/);

      // kubeadm and package upgrades run `systemctl start/restart kubelet`: kubelet.service is the face of the
      // supervised kubelet, so the restart goes to supervisord; never a second kubelet.
      expect((await node.exec(['systemctl', 'restart', 'kubelet'])).exitCode).toBe(0);
      await node.waitFor(`${CTL[layout]} status kubelet | grep -q RUNNING && curl -sf 127.0.0.1:10248/healthz`, 30_000);
      const after = await kubeletPids(node);
      expect(after).toHaveLength(1);
      expect(await parentName(node, after[0]!)).toMatch(/supervisord/);
      expect((await node.exec(['systemctl', 'is-enabled', 'kubelet'])).stdout.trim()).toBe('enabled');
      expect(
        (
          await node.exec(['systemctl', 'is-enabled', layout === 'kubekey-centos7' ? 'supervisord' : 'supervisor'])
        ).stdout.trim(),
      ).toBe('enabled');
    });

    it('the wrapper reproduces the unit: environment, ExecStartPre, exact argv', async () => {
      const wrapper = node.readFile('/etc/kubernetes/kubelet.sh');
      expect(wrapper).toMatch(/^#!\/bin\/bash\n/);
      expect(wrapper).toContain('exec ');
      const pid = (await kubeletPids(node))[0];
      const env = (await node.sh(`tr '\\0' '\\n' < /proc/${pid}/environ`)).split('\n');
      const unitEnv = (await kubesupJson(node, ['detect'])).json.configured.env as Record<string, string>;
      for (const [k, v] of Object.entries(unitEnv)) expect(env).toContain(`${k}=${v}`);
      if (layout === 'kubespray-debian')
        expect((await node.exec(['test', '-d', '/run/kubelet-prestart-ran'])).exitCode).toBe(0);
      // The wrapper itself says nothing on a normal start (no shell errors in kubelet's log).
      expect(node.readFile('/var/log/kubelet/kubelet.log')).not.toMatch(/kubelet\.sh: line \d+/);
    });

    it('migrate again: says so, exits 0, touches nothing', async () => {
      const snap = await snapshot(node);
      const r = await kubesup(node, ['migrate', '--yes']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^already migrated on .*nothing to do$/m);
      expect(await snapshot(node)).toEqual(snap);
    });

    it('kubeadm upgrade rewrites the env file: status warns, migrate shows the drift and regenerates', async () => {
      const envFile =
        layout === 'kubespray-debian' ? '/etc/kubernetes/kubelet.env' : '/var/lib/kubelet/kubeadm-flags.env';
      const original = node.readFile(envFile);
      await node.sh(`sed -i '0,/"$/s//  --max-pods=150"/' ${envFile}`);
      const status = await kubesupJson(node, ['status']);
      expect(status.json.warnings.join('\n')).toMatch(/changed since the migration \(flags --max-pods\)/);
      const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 180_000 });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('+ --max-pods=150');
      expect(r.stdout).toMatch(/^migrated:/m);
      const [pid] = await kubeletPids(node);
      expect(await node.sh(`tr '\\0' '\\n' < /proc/${pid}/cmdline`)).toContain('--max-pods=150');
      // Put the file back as it was, and migrate to it again, so that the rest of the proof starts from the layout.
      await node.sh(`cat > ${envFile} <<'EOF'\n${original}EOF`);
      const back = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 180_000 });
      expect(back.exitCode, back.stdout + back.stderr).toBe(0);
      expect(
        (await kubesupJson(node, ['status'])).json.warnings.filter((w: string) => w.includes('changed since')),
      ).toEqual([]);
    });

    it('kill -9 of the supervised kubelet: it is back', async () => {
      const [pid] = await kubeletPids(node);
      await node.sh(`kill -9 ${pid}`);
      await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != "${pid}" ] && curl -sf 127.0.0.1:10248/healthz`, 20_000);
      await node.waitFor(`${CTL[layout]} status kubelet | grep -q RUNNING`, 10_000);
      const status = (await kubesupJson(node, ['status'])).json;
      expect(status.programs.find((p: { name: string }) => p.name === 'kubelet')).toMatchObject({
        state: 'RUNNING',
        restarts: 1,
        last_exit: { signal: 'SIGKILL', expected: false },
      });
    });

    it('a reboot brings back exactly one kubelet, supervised', async () => {
      await node.reboot();
      await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 30_000);
      await node.waitFor(`${CTL[layout]} status kubelet | grep -q RUNNING`, 20_000);
      const pids = await kubeletPids(node);
      expect(pids).toHaveLength(1);
      expect(await parentName(node, pids[0]!)).toMatch(/supervisord/);
      await node.waitFor('systemctl is-active -q kubelet', 30_000);
    });

    it('rollback restores every file byte for byte, and kubelet runs under systemd again', async () => {
      const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('rolled back: kubelet runs under systemd again, every file restored');
      const after = await snapshot(node);
      // Only kubesup-tui's own record of what it did remains (under /var, not compared).
      expect(after).toEqual(before);
      expect((await node.exec(['systemctl', 'is-active', 'kubelet'])).stdout.trim()).toBe('active');
      const mainPid = Number((await node.sh('systemctl show -p MainPID --value kubelet')).trim());
      expect(await kubeletPids(node)).toEqual([mainPid]);
      expect((await node.sh(`tr '\\0' '\\n' < /proc/${mainPid}/cmdline`)).split('\n').slice(0, -1)).toEqual(argv);
      const progs = (await kubesupJson(node, ['status'])).json.programs.map((p: { name: string }) => p.name);
      expect(progs).not.toContain('kubelet');
    });
  },
);

describe('restart policy on the reference node: never FATAL, paced, quick after a single crash', () => {
  const node = withTestNode('kubekey-centos7', async (node) => {
    await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
    if (r.exitCode !== 0) throw new Error(r.stdout + r.stderr);
  });

  it(`a kubelet failing at start for 30 s is retried with waits of at most 10 s, never FATAL, \
and recovers once fixed`, async () => {
    await node.sh('touch /etc/kubelet-standin/fail-start; kill -9 $(pgrep -x kubelet)');
    const states = new Set<string>();
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      states.add(
        (await node.sh('supervisorctl -c /etc/supervisord.conf status kubelet || true')).split(/\s+/)[1] ?? '',
      );
      // Sampling the state over the 30 s, not waiting for a result.
      await new Promise((res) => setTimeout(res, 300));
    }
    expect(states.has('FATAL')).toBe(false);
    const fixedAt = Date.now();
    await node.sh('rm /etc/kubelet-standin/fail-start');
    await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 25_000);
    const recoveredS = (Date.now() - fixedAt) / 1000;
    const log = node.readFile('/var/log/kubelet/kubelet.log');
    const delays = [...log.matchAll(/next try in (\d+) s/g)].map((m) => Number(m[1]));
    expect(delays.length).toBeGreaterThan(3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(10);
    expect(log.match(/failed to run Kubelet/g)!.length).toBeGreaterThan(3);
    console.info(`recovered ${recoveredS.toFixed(1)} s after the fix; waits between tries: ${delays.join(', ')} s`);
  });

  it('a single crash of a kubelet that has been up a while is restarted at once', async () => {
    // Up longer than the quick-exit window: the wrapper's pace file holds when it last started kubelet.
    await node.waitFor('[ $(( $(date +%s) - $(cut -d" " -f1 /run/kubesup-tui/kubelet.pace) )) -ge 11 ]', 20_000);
    const [pid] = await kubeletPids(node);
    const logBefore = node.readFile('/var/log/kubelet/kubelet.log').length;
    await node.sh(`kill -9 ${pid}`);
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != "${pid}" ]`, 10_000);
    expect(node.readFile('/var/log/kubelet/kubelet.log').slice(logBefore)).not.toMatch(/next try in/);
  });
});

const KILLED = 'the tool killed (SIGKILL) during migrate, then run again';
describe.skipIf(cannotRun(KILLED, skipTestNode('debian')))(KILLED, () => {
  // Kill as soon as the tool reports step N: whatever it was doing then, a new run must finish the job.
  it.each([2, 6, 8, 9, 10])('killed after step %i: ends migrated and healthy', async (killAfter) => {
    const node = await TestNode.up('kubeadm-ubuntu');
    try {
      await node.waitFor('test -S /var/run/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
      const argv = node.enterArgv(kubesupArgv('migrate', '--yes'));
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(`[${killAfter}/`)) {
            // nsenter forks the tool: kill the tool itself (nsenter's child) and nsenter.
            spawn('pkill', ['-9', '-P', String(child.pid)]).on('exit', () => child.kill('SIGKILL'));
          }
        });
        child.on('exit', () => resolve());
      });
      expect(out).not.toMatch(/^migrated:/m);
      const again = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
      expect(again.exitCode, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^(resuming the migration|migrated:|already migrated)/m);
      await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 20_000);
      const status = (await kubesupJson(node, ['status'])).json;
      expect(status.programs.find((p: { name: string }) => p.name === 'kubelet')?.state).toBe('RUNNING');
      expect(await kubeletPids(node)).toHaveLength(1);
    } finally {
      await node.down();
    }
  });
});
