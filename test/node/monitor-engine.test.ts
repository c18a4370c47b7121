// The monitor's engine against the real supervisord in the reference node: restart counts, log follow,
// reconnects. The engine runs here and reaches the node's socket through /proc/PID/root.
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeFiles } from '../../src/adapters/node-files.js';
import { createRpcTransport } from '../../src/adapters/supervisor-rpc.js';
import { createSystemClock } from '../../src/adapters/system-clock.js';
import type { Host, HttpProbe, ProcessTable } from '../../src/core/host.js';
import { MonitorEngine } from '../../src/core/monitor/engine.js';
import { skipTestNode, withNode } from '../helpers/with-test-node.js';
import { SUPERVISOR_RELEASES } from './supervisor-releases.js';
import { TestNode } from './test-node.js';

const SOCK = '/var/run/supervisor/supervisor.sock';
const CTL = 'supervisorctl -c /etc/supervisord.conf';
// kubelet's healthz is inside the node's network namespace; the engine's health checks are not under test here.
const noHttp: HttpProbe = { get: async () => ({ ok: false, latencyMs: 0, error: 'not probed in this test' }) };

const engines: MonitorEngine[] = [];

// The node's pids are in its own pid namespace: not checked from here.
const noProcs: ProcessTable = {
  pids: async () => [],
  brief: async (pid) => ({ pid }),
  full: async (pid) => ({ pid }),
  ownPidNamespace: async () => undefined,
};

/** This machine as the engine's host, seeing the node's files and socket from outside it. */
function hostFor(n: TestNode): Host {
  const unused = () => {
    throw new Error('not used by the monitor');
  };
  return {
    files: createNodeFiles(n.hostPath('/')),
    writer: {
      writeAtomic: unused,
      mkdirp: unused,
      remove: unused,
      symlink: unused,
      createExclusive: unused,
      unsafeFolder: unused,
      append: unused,
      stat: unused,
    },
    procs: noProcs,
    cgroups: { moveProcess: unused },
    runner: { run: unused },
    http: noHttp,
    clock: createSystemClock(),
    connect: (o) => createRpcTransport({ ...o, url: `unix://${n.hostPath(SOCK)}` }),
    env: {},
    hostname: 'node4',
    isRoot: true,
    pid: process.pid,
  };
}

function engineFor(n: TestNode, options: { logCapacity?: number } = {}): MonitorEngine {
  const target = {
    endpoint: { url: `unix://${SOCK}`, timeoutMs: 5000 },
    healthzUrl: 'http://127.0.0.1:10248/healthz',
    mainLogPath: null,
  };
  const engine = new MonitorEngine(hostFor(n), target, { ...options, pollMs: 250 });
  engines.push(engine);
  return engine;
}

// Every supervisord release operators run: EPEL's 3.4.0 (Python 2.7), Debian's 4.2.5, and 4.3.0.
describe.each(SUPERVISOR_RELEASES)('supervisord %s', (release) => {
  async function addProgram(name: string, body: string): Promise<void> {
    await node.sh(
      `cat > /etc/supervisord.d/${name}.ini <<'EOF'\n[program:${name}]\n${body}\nEOF\n${CTL} update ${name} >/dev/null`,
    );
    await node.waitFor(`${CTL} status ${name} | grep -q RUNNING`);
  }

  /** Kill the program's process and wait until supervisord has spawned a new one. */
  const crashOnce = (pattern: string) =>
    `p=$(pgrep -f -x '${pattern}'); [ -n "$p" ] && kill -9 $p; ` +
    `for i in $(seq 1 400); do q=$(pgrep -f -x '${pattern}'); ` +
    `[ -n "$q" ] && [ "$q" != "$p" ] && break; sleep 0.005; done`;

  /** Waits until the engine has polled supervisord `n` more times (its data's updatedAt moves each poll). */
  async function polls(engine: MonitorEngine, n: number): Promise<void> {
    let seen = 0;
    let last = engine.current.updatedAt;
    await until(() => {
      if (engine.current.updatedAt !== last) {
        last = engine.current.updatedAt;
        seen++;
      }
      return seen >= n;
    });
  }

  async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > end) throw new Error('condition not reached in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const node = withNode(
    `kubekey-centos7 with supervisord ${release}`,
    () => TestNode.up('kubekey-centos7', { supervisor: release }),
    async (node) => {
      await node.waitFor(`test -S ${SOCK}`);
    },
    () => skipTestNode(release),
  );
  afterEach(() => {
    for (const e of engines.splice(0)) e.stop();
  });

  describe('restart counts', () => {
    it('counts crashes that happened before the monitor started, and several between two polls', async () => {
      await addProgram(
        'crasher',
        'command=/bin/sleep 31337\nstartsecs=0\nautorestart=true\nstdout_logfile=/var/log/supervisor/crasher.log',
      );
      for (let i = 0; i < 3; i++) await node.sh(crashOnce('/bin/sleep 31337'));

      const engine = engineFor(node);
      await engine.pollOnce();
      const before = engine.current.programs.find((p) => p.name === 'crasher')!;
      expect(before.history.restarts).toBe(3);
      expect(before.history.lastExit).toMatchObject({ signal: 'SIGKILL', expected: false, respawned: true });

      // Five crashes while the engine does not poll: all of them fall between two polls.
      await node.sh(Array.from({ length: 5 }, () => crashOnce('/bin/sleep 31337')).join('\n'));
      await engine.pollOnce();
      expect(engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts).toBe(8);

      // Polling on, nothing counted twice.
      engine.start();
      await polls(engine, 3);
      expect(engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts).toBe(8);
    });

    it('a stop and a start are not restarts', async () => {
      const engine = engineFor(node);
      await engine.pollOnce();
      const n = engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts;
      expect((await engine.act('restart', 'crasher')).ok).toBe(true);
      await engine.pollOnce();
      expect(engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts).toBe(n);
    });
  });

  describe('actions', () => {
    it('reports faults as one line', async () => {
      const engine = engineFor(node);
      expect(await engine.act('start', 'no-such-program')).toEqual({
        ok: false,
        message: 'no-such-program: start failed: no such program in supervisord',
      });
      expect(await engine.act('stop', 'crasher')).toEqual({ ok: true, message: 'crasher: stopped' });
      expect(await engine.act('stop', 'crasher')).toEqual({ ok: false, message: 'crasher: stop failed: not running' });
      expect(await engine.act('start', 'crasher')).toEqual({ ok: true, message: 'crasher: started' });
    });
  });

  describe('log follow', () => {
    it('a fast writer with rotation: every line once, in order', async () => {
      await node.sh('mkdir -p /run/kubelet-standin && echo 0 > /run/kubelet-standin/log-rate');
      await addProgram(
        'chatty',
        [
          'command=/usr/local/bin/kubelet --config=/nonexistent --healthz-port-ignored',
          'startsecs=0',
          'redirect_stderr=true',
          'stdout_logfile=/var/log/supervisor/chatty.log',
          'stdout_logfile_maxbytes=300KB',
          'stdout_logfile_backups=3',
        ].join('\n'),
      );
      // A ring large enough to hold the whole flood, so that every line can be checked.
      const engine = engineFor(node, { logCapacity: 100_000 });
      engine.followLog('chatty');
      await engine.pollOnce();
      engine.start();
      await node.sh('echo 4000 > /run/kubelet-standin/log-rate');
      // The flood lasts 4 s (a load, not a wait for a result); then the engine catches up with the last line.
      await new Promise((r) => setTimeout(r, 4000));
      await node.sh('echo 0 > /run/kubelet-standin/log-rate');
      // Once the writer has stopped (the file holds still), its last line is the one the engine must reach.
      const log = '/var/log/supervisor/chatty.log';
      await node.waitFor(`a=$(stat -c %s ${log}); sleep 0.25; [ "$a" = "$(stat -c %s ${log})" ]`);
      // The stand-in also says every 5 s that it cannot bind the healthz port (the node's kubelet holds it): those
      // lines carry no number, so the last numbered line is the mark, wherever it falls among them.
      const lastWritten = /line=(\d+)/.exec(await node.sh(`grep -o 'line=[0-9]*' ${log} | tail -n 1`))?.[1];
      expect(lastWritten).toBeDefined();
      const lastNumbered = () => engine.log.toArray().findLast((l) => /line=\d+/.test(l.text))?.text ?? '';
      await until(() => lastNumbered().endsWith(`line=${lastWritten}`), 15_000);
      const numbers = engine.log
        .toArray()
        .map((l) => /line=(\d+)/.exec(l.text)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number);
      const rotations = Number((await node.sh('ls /var/log/supervisor/chatty.log.* 2>/dev/null | wc -l')).trim());
      expect(rotations).toBeGreaterThan(0);
      expect(numbers.length).toBeGreaterThan(5000);
      const first = numbers[0] as number;
      const breaks = numbers.flatMap((n, i) =>
        i > 0 && n !== (numbers[i - 1] as number) + 1 ? [`${numbers[i - 1]}->${n}`] : [],
      );
      expect(breaks).toEqual([]);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => first + i));
      expect(engine.log.toArray().filter((l) => l.severity === 'warning').length).toBeGreaterThan(0);
    });

    it('a multi-byte UTF-8 log, with a character split across two writes', async () => {
      await addProgram(
        'unicode',
        [
          `command=/bin/bash -c "printf 'ünïcödé 日本語 🚀 first\\\\n'; printf '\\\\xe2\\\\x9c'; sleep 1.2; printf ` +
            `'\\\\x93 split\\\\n'; exec sleep 31338"`,
          'startsecs=0',
          'stdout_logfile=/var/log/supervisor/unicode.log',
        ].join('\n'),
      );
      const engine = engineFor(node);
      engine.followLog('unicode');
      await engine.pollOnce();
      engine.start();
      await until(() => engine.log.toArray().some((l) => l.text.includes('split')), 8000);
      expect(engine.log.toArray().map((l) => l.text)).toEqual(['ünïcödé 日本語 🚀 first', '✓ split']);
    });

    it(`a CJK log whose last 64 KiB begin inside a character: no false "log rotated", \
every new line once`, async () => {
      // 2,000 lines of 62 bytes ('x', 20 three-byte characters, a newline): the screenful read from the end
      // starts 64 KiB back, at the third byte of a character. supervisord 3.x sends the raw bytes there.
      const line = `x${'日'.repeat(20)}`;
      await addProgram(
        'cjk',
        [
          `command=/bin/bash -c "for i in $(seq 2000); do echo ${line}; done; exec sleep 31339"`,
          'startsecs=0',
          'stdout_logfile=/var/log/supervisor/cjk.log',
        ].join('\n'),
      );
      await node.waitFor('[ $(wc -l < /var/log/supervisor/cjk.log) -eq 2000 ]');
      const engine = engineFor(node);
      engine.followLog('cjk');
      await engine.pollOnce();
      await engine.pollOnce();
      const first = engine.log.toArray().length;
      expect(first).toBeGreaterThan(1000);
      await node.sh(`for i in 1 2 3; do echo "after $i ${line}" >> /var/log/supervisor/cjk.log; done`);
      await engine.pollOnce();
      await engine.pollOnce();
      expect(engine.current.logNotice).toBeNull();
      expect(
        engine.log
          .toArray()
          .slice(first)
          .map((l) => l.text.split(' ')[1]),
      ).toEqual(['1', '2', '3']);
      await node.sh("pkill -9 -f -x '/bin/sleep 3133[9]' || true");
    });
  });

  describe('supervisord going away', () => {
    it('keeps the last data marked stale, reconnects by itself, and counts nothing twice', async () => {
      const engine = engineFor(node);
      engine.start();
      await until(() => engine.current.connected);
      const pidBefore = engine.current.supervisordPid;

      await node.sh(`kill -9 ${pidBefore}`);
      await until(() => !engine.current.connected);
      expect(engine.current.stale).toBe(true);
      expect(engine.current.programs.length).toBeGreaterThan(0);
      expect(engine.current.problem).toMatch(/supervisor\.sock/);

      // The orphans of the killed supervisord would otherwise hold on; then start it again as the node would.
      // (Bracketed patterns, so that pkill -f does not match this very shell's command line.)
      await node.sh(
        "pkill -9 -f -x '/bin/sleep 3133[7]' ; pkill -9 -f -x '/bin/sleep 3133[8]' ; " +
          "pkill -9 -f -x '/bin/sleep infinit[y]'; pkill -9 -f 'healthz-port-ignore[d]'; true",
      );
      await node.sh('systemctl start supervisord');
      await until(() => engine.current.connected && engine.current.supervisordPid !== pidBefore, 15_000);
      expect(engine.current.stale).toBe(false);
      await until(() => engine.current.programs.find((p) => p.name === 'crasher')?.state === 'RUNNING');
      expect(engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts).toBe(0);

      await node.sh(crashOnce('/bin/sleep 31337'));
      await until(() => engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts === 1);
      await polls(engine, 3);
      expect(engine.current.programs.find((p) => p.name === 'crasher')!.history.restarts).toBe(1);
    });
  });
});
