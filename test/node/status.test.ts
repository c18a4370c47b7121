// `kubesup-tui status` inside the test nodes, against the real supervisord over its real socket.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD, kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { skipTestNode, withNode, withTestNode } from '../helpers/with-test-node.js';
import { SUPERVISOR_RELEASES } from './supervisor-releases.js';
import { REPO_ROOT, TestNode } from './test-node.js';

describe.each(SUPERVISOR_RELEASES)(
  'status on the reference node (KubeKey, CentOS 7) with supervisord %s',
  (release) => {
    const node = withNode(
      `kubekey-centos7 with supervisord ${release}`,
      () => TestNode.up('kubekey-centos7', { supervisor: release }),
      async (node) => {
        await node.waitFor('supervisorctl -c /etc/supervisord.conf status node-exporter | grep -q RUNNING');
      },
      () => skipTestNode(release),
    );

    it('lists the running program read over the real socket, with supervisord and kubelet health', async () => {
      const { exitCode, json } = await kubesupJson(node, ['status']);
      const supervisordPid = Number((await node.sh('cat /var/run/supervisord.pid')).trim());
      const exporterPid = Number((await node.sh('supervisorctl -c /etc/supervisord.conf pid node-exporter')).trim());
      expect(exitCode).toBe(0);
      expect(json.supervisord).toEqual({
        state: 'RUNNING',
        pid: supervisordPid,
        url: 'unix:///var/run/supervisor/supervisor.sock',
      });
      expect(json.programs).toEqual([
        {
          name: 'node-exporter',
          group: 'node-exporter',
          state: 'RUNNING',
          pid: exporterPid,
          uptime_s: expect.any(Number),
          restarts: 0,
          restarts_by_reason: null,
          history_source: 'supervisord-main-log',
          last_exit: null,
          exits: [],
          waiting: null,
          flapping: false,
          // Not a Type=notify program moved with kubesup-agent: nobody asks for its READY=1.
          ready: null,
          ready_at: null,
        },
      ]);
      expect(json.kubelet).toMatchObject({ healthz: 'ok', url: 'http://127.0.0.1:10248/healthz' });
      // The node, read from its /proc and statfs; kubelet's default thresholds (its config sets none).
      expect(json.node.memory).toMatchObject({ eviction_threshold: '100 MiB', level: 'ok' });
      expect(json.node.memory.total_bytes).toBeGreaterThan(json.node.memory.available_bytes);
      expect(json.node.load).toHaveLength(3);
      expect(json.node.disks).toContainEqual(
        expect.objectContaining({ path: '/var/lib/kubelet', role: 'nodefs', eviction_threshold: '10%' }),
      );
      // kubelet is systemd's here, not a supervisord program: no process of a program to describe.
      expect(json.usage).toBeNull();
    });

    it('prints a table for people', async () => {
      const r = await kubesup(node, ['status']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(
        /^supervisord RUNNING \(pid \d+\) at unix:\/\/\/var\/run\/supervisor\/supervisor.sock$/m,
      );
      expect(r.stdout).toMatch(/^node-exporter\s+RUNNING\s+\d+\s+\d\d:\d\d:\d\d/m);
      expect(r.stdout).toMatch(/^kubelet healthz ok/m);
    });

    it("kubesup-agent's agent-state.json, where the node has one, gives the counts and the reasons", async () => {
      const ctl = 'supervisorctl -c /etc/supervisord.conf';
      const pid = Number((await node.sh(`${ctl} pid node-exporter`)).trim());
      await node.sh(`kill -9 ${pid}`);
      // Started again and past startsecs (RUNNING): status exits 3 while a program is STARTING.
      await node.waitFor(
        `${ctl} status node-exporter | grep -q RUNNING && [ "$(${ctl} pid node-exporter)" != ${pid} ]`,
      );
      // As the agent would have written it: this kill seen as the kernel's OOM kill, and a crash a day ago.
      const record = (time: number, p: number, reason: string, detail: string, signal: string) => ({
        time,
        program: 'node-exporter',
        group: 'node-exporter',
        pid: p,
        reason,
        detail,
        exit: null,
        signal,
      });
      const now = Date.now() / 1000;
      const state = {
        restarts: { 'node-exporter': { crashed: 2, oom_killed: 1 } },
        history: [
          record(now - 86_400, 17, 'crashed', 'terminated by SIGSEGV', 'SIGSEGV'),
          record(now, pid, 'oom_killed', `the kernel: Killed process ${pid} (terminated by SIGKILL)`, 'SIGKILL'),
        ],
      };
      const file = '/var/lib/kubesup-tui/agent-state.json';
      await node.exec(['bash', '-c', `mkdir -p /var/lib/kubesup-tui && cat > ${file}`], {
        input: JSON.stringify(state),
      });
      try {
        const { exitCode, json } = await kubesupJson(node, ['status']);
        expect(exitCode).toBe(0);
        expect(json.programs[0]).toMatchObject({
          restarts: 3,
          restarts_by_reason: { exited: 0, crashed: 2, oom_killed: 1, hung_watchdog: 0, hung_healthz: 0, operator: 0 },
          history_source: 'kubesup-agent',
          last_exit: { signal: 'SIGKILL', expected: false, reason: 'oom_killed', words: 'OOM-killed' },
        });
        // The kill the main log holds is listed once, with the agent's reason; the older crash from the agent.
        expect(json.programs[0].exits.map((e: { words: string }) => e.words)).toEqual([
          'OOM-killed',
          'crashed (SIGSEGV)',
        ]);
        expect(json.warnings).toEqual([]);
        const text = await kubesup(node, ['status']);
        expect(text.stdout).toMatch(/^node-exporter\s+RUNNING\s+\d+\s+\S+\s+3\s+OOM-killed$/m);

        // Cut short (a disk full as it was copied): one warning, the main log's counts, the same exit code.
        await node.sh(`head -c 40 ${file} > ${file}.cut && mv ${file}.cut ${file}`);
        const cut = await kubesupJson(node, ['status']);
        expect(cut.exitCode).toBe(0);
        expect(cut.json.programs[0]).toMatchObject({
          restarts: 1,
          history_source: 'supervisord-main-log',
          last_exit: { signal: 'SIGKILL', reason: null, words: 'SIGKILL' },
        });
        expect(cut.json.warnings).toEqual([
          `${file} (kubesup-agent's restart counts) is unusable (not JSON): restart counts from supervisord's main log`,
        ]);
      } finally {
        await node.sh(`rm -f ${file}`);
      }
    });

    it('exits 3 when a program is not RUNNING', async () => {
      await node.sh('supervisorctl -c /etc/supervisord.conf stop node-exporter');
      try {
        const { exitCode, json } = await kubesupJson(node, ['status']);
        expect(exitCode).toBe(3);
        expect(json.programs[0]).toMatchObject({ state: 'STOPPED', pid: null, uptime_s: null });
      } finally {
        await node.sh('supervisorctl -c /etc/supervisord.conf start node-exporter');
      }
    });

    it('a wrong socket: exit 1 with one line naming the path', async () => {
      const r = await kubesup(node, ['status', '--supervisor-url', 'unix:///run/nothing-here.sock']);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('/run/nothing-here.sock');
    });

    it('a missing config file: exit 1 naming it', async () => {
      const r = await kubesup(node, ['status', '--supervisor-conf', '/etc/nope.conf']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe('kubesup-tui: no supervisord config at /etc/nope.conf\n');
    });

    it('supervisord stopped: exit 1 naming the socket, and back after a reboot of the node', async () => {
      await node.sh('systemctl stop supervisord');
      const r = await kubesup(node, ['status']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/^kubesup-tui: .*\/var\/run\/supervisor\/supervisor\.sock.*\n$/);

      await node.reboot();
      await node.waitFor('supervisorctl -c /etc/supervisord.conf status node-exporter | grep -q RUNNING');
      const after = await kubesupJson(node, ['status']);
      expect(after.exitCode).toBe(0);
      expect(after.json.kubelet.healthz).toBe('ok');
    });

    // The npm package's own story: it needs Node.js, which the single file's runs hide.
    it.runIf(BUILD === 'npm')('the packed tarball installs into an empty prefix and runs', async () => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-pack-'));
      try {
        const tgz = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        })
          .trim()
          .split('\n')
          .pop()!;
        const prefix = path.join(work, 'prefix');
        execFileSync(
          'npm',
          [
            'install',
            '-g',
            '--silent',
            '--offline',
            '--no-audit',
            '--no-fund',
            '--prefix',
            prefix,
            path.join(work, tgz),
          ],
          { encoding: 'utf8' },
        );
        const r = await node.exec([path.join(prefix, 'bin', 'kubesup-tui'), 'status', '--json']);
        expect(r.exitCode).toBe(0);
        expect(JSON.parse(r.stdout).programs.map((p: { name: string }) => p.name)).toEqual(['node-exporter']);
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });

    it("changes nothing of this machine's own files: the node's changes land in its folder", async () => {
      expect(fs.existsSync('/etc/supervisord.conf')).toBe(false);
      expect(fs.existsSync('/usr/local/bin/kubelet')).toBe(false);
      expect(fs.existsSync(path.join(node.dir, 'upper/etc/supervisord.conf'))).toBe(true);
      expect(fs.readFileSync('/usr/bin/systemctl', 'utf8').includes('systemctl stand-in')).toBe(false);
    });
  },
);

describe('status on an Ubuntu node (kubeadm packages, Debian supervisor)', () => {
  const node = withTestNode('kubeadm-ubuntu', async (node) => {
    // Debian's unit is Type=simple (supervisord -n): systemctl start returns before the socket exists.
    await node.waitFor('test -S /var/run/supervisor.sock');
  });

  it("finds Debian's socket from the running supervisord's -c, and says when no program is configured", async () => {
    const { exitCode, json } = await kubesupJson(node, ['status']);
    expect(exitCode).toBe(0);
    expect(json.supervisord).toMatchObject({ state: 'RUNNING', url: 'unix:///var/run/supervisor.sock' });
    expect(json.programs).toEqual([]);
    const text = await kubesup(node, ['status']);
    expect(text.stdout).toContain('(no programs configured)');
  });
});

describe('status against a supervisord that requires a password', () => {
  const node = withTestNode('kubeadm-ubuntu', async (node) => {
    await node.waitFor('test -S /var/run/supervisor.sock');
    await node.sh(
      "sed -i 's|^chmod=0700.*|chmod=0700\\nusername=ops\\npassword=s3cret;not-a-comment|; " +
        's|^serverurl=.*|serverurl=unix:///var/run/supervisor.sock\\nusername=ops\\npassword=s3cret;not-a-comment|' +
        "' /etc/supervisor/supervisord.conf && systemctl restart supervisor",
      { timeoutMs: 60_000 },
    );
    await node.waitFor('supervisorctl -c /etc/supervisor/supervisord.conf status >/dev/null; [ $? -ne 4 ]');
  });

  it('uses the credentials from the config (Basic auth), and never prints them', async () => {
    const r = await kubesup(node, ['status', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).supervisord.state).toBe('RUNNING');
    const d = await kubesup(node, ['detect', '--json']);
    expect(JSON.parse(d.stdout).supervisor.auth).toBe(true);
    expect(d.stdout + r.stdout).not.toContain('s3cret');
  });

  it('wrong credentials: exit 1, one line, no password in it', async () => {
    await node.sh(
      "sed -i '0,/^password=s3cret;not-a-comment/! s|^password=s3cret;not-a-comment|password=wrong|' " +
        '/etc/supervisor/supervisord.conf',
    );
    const r = await kubesup(node, ['status']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('kubesup-tui: supervisord at /var/run/supervisor.sock refused the credentials (HTTP 401)\n');
  });
});
