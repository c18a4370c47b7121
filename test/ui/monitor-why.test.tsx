// The monitor says why it crashed and how often: the node panel, the history strip, flapping, the exit list;
// and every screen size from 80x24 to 200x60 without a wrapped line.
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/core/monitor/node-facts.js';
import { fakeServices, monitorData, program, renderApp } from '../helpers/render-app.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

const NOW_S = Date.UTC(2026, 10, 26, 10, 30, 0) / 1000;
const GiB = 2 ** 30;

function exit(
  minutesAgo: number,
  over: { signal?: string | null; status?: number | null; expected?: boolean; ranForMs?: number | null } = {},
) {
  return {
    time: (NOW_S - minutesAgo * 60) * 1000,
    status: over.status ?? null,
    signal: over.signal === undefined ? 'SIGKILL' : over.signal,
    expected: over.expected ?? false,
    respawned: true,
    duringStart: false,
    ranForMs: over.ranForMs === undefined ? 3 * 3600_000 + 2 * 60_000 : over.ranForMs,
  };
}

function kubelet(exits: ReturnType<typeof exit>[]) {
  return program({
    name: 'kubelet',
    pid: 4242,
    start: NOW_S - 30,
    now: NOW_S,
    history: {
      restarts: exits.filter((e) => !e.expected).length,
      spawns: exits.length + 1,
      exits,
      lastExit: exits.at(-1) ?? null,
    },
  });
}

const NODE: NodeFacts = {
  cpus: 2,
  load: [7.9, 3.2, 1.1],
  memory: {
    availBytes: 120 * 2 ** 20,
    totalBytes: 8 * GiB,
    threshold: { bytes: 100 * 2 ** 20 },
    level: 'near',
    swapTotalBytes: 0,
    swapFreeBytes: 0,
  },
  pressure: { cpu: { some: 12.5, full: null }, memory: { some: 41.2, full: 30.1 }, io: { some: 0.5, full: 0.2 } },
  disks: [
    {
      path: '/var/lib/kubelet',
      role: 'nodefs',
      signal: 'nodefs.available',
      availBytes: 3 * GiB,
      totalBytes: 50 * GiB,
      threshold: { percent: 10 },
      level: 'over',
    },
    {
      path: '/var/log',
      role: 'logs',
      signal: null,
      availBytes: 20 * GiB,
      totalBytes: 50 * GiB,
      threshold: null,
      level: 'ok',
    },
  ],
};
const USAGE = { pid: 4242, cpuPercent: 85.3, cpuSeconds: 812.4, rssBytes: 1.5 * GiB, threads: 1, openFiles: 57 };

function setup(size = { columns: 120, rows: 40 }) {
  const { services, monitor } = fakeServices();
  const app = renderApp(services, 'monitor', size);
  apps.push(app);
  return { app, monitor };
}

describe('monitor: why it crashed', () => {
  it("shows kubelet's own CPU and memory beside the node's memory pressure and the disk it evicts on", async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([kubelet([exit(2)])], { node: NODE, usage: USAGE }));
    const f = await app.waitFor((x) => x.includes('resident'), 'the node panel');
    expect(f).toContain('kubelet pid 4242 · cpu 85.3% · 1.5 GiB resident · 1 thread · 57 open files');
    // At 120 columns the node's line in its short form, memory, pressure and load all there; at 200 in full.
    expect(f).toMatch(/^mem 120 MiB free \(evicts <100 MiB\) NEAR · psi cpu 13% mem 41% io 1% · load 7\.9$/m);
    expect(f).toContain('disks: /var/lib/kubelet 3.0 GiB free OVER · /var/log 20 GiB free');
    const wide = setup({ columns: 200, rows: 60 });
    wide.monitor.push(monitorData([kubelet([exit(2)])], { node: NODE, usage: USAGE }));
    const w = await wide.app.waitFor((x) => x.includes('resident'), 'the node panel at 200 columns');
    expect(w).toContain(
      'memory 120 MiB of 8.0 GiB available (evicts below 100 MiB) NEAR · pressure cpu 12.5% memory 41.2% io 0.5%',
    );
    expect(w).toContain('· load 7.90 3.20 1.10 on 2 cpus · no swap');
  });

  it("after a crash, the dead process's last CPU and memory and how it ended, marked, readable at 80x24", async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    const k = { ...kubelet([exit(0.1)]), pid: 4243 };
    monitor.push(
      monitorData([k], { node: NODE, usage: USAGE, usageOf: { namespec: 'kubelet', atMs: (NOW_S - 8) * 1000 } }),
    );
    const f = await app.waitFor((x) => x.includes('before it'), 'the dead figures');
    expect(f).toMatch(/^kubelet pid 4242 ended SIGKILL · 2s before it: cpu 85\.3% · 1\.5 GiB resident/m);
    expect(f).toMatch(/› kubelet\s+RUNNING\s+4243/);
  });

  it('the history strip marks each crash of the last hour; three in five minutes is flapping', async () => {
    const { app, monitor } = setup();
    monitor.push(
      monitorData([
        kubelet([exit(50), exit(4, { ranForMs: 40_000 }), exit(2, { ranForMs: 9_000 }), exit(1, { ranForMs: 5_000 })]),
      ]),
    );
    const f = await app.waitFor((x) => x.includes('last hour'), 'the history line');
    expect(f).toContain('kubelet: 4 restarts since supervisord started');
    const strip = /last hour ([·oX]+)/.exec(f)?.[1] ?? '';
    expect(strip.split('').filter((c) => c === 'X')).toHaveLength(4);
    expect(strip.at(-1)).toBe('X');
    expect(f).toContain('FLAPPING');
  });

  it('one restart is said in the singular, and no flapping badge for crashes far apart', async () => {
    const { app, monitor } = setup();
    monitor.push(monitorData([kubelet([exit(40)])]));
    const f = await app.waitFor((x) => x.includes('last hour'), 'the history line');
    expect(f).toContain('kubelet: 1 restart since supervisord started');
    expect(f).not.toContain('FLAPPING');
  });

  it(`h lists every exit newest first: when, how long it had run, how it ended; \
h again gives the log back`, async () => {
    const { app, monitor } = setup();
    monitor.push(
      monitorData([
        kubelet([
          exit(60 * 26, { ranForMs: 86_400_000 }),
          exit(20, { signal: null, status: 0, expected: true, ranForMs: 600_000 }),
          exit(1),
        ]),
      ]),
    );
    await app.waitFor((x) => x.includes('last hour'), 'the monitor');
    app.press('h');
    const f = await app.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
    const lines = f.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('10:29:00  ran 3h 02m, then SIGKILL')).toBeGreaterThan(0);
    expect(at('10:10:00  ran 10m 00s, then exit 0 (expected)')).toBeGreaterThan(at('10:29:00'));
    // Not today: the date too.
    expect(at('2026-11-25 08:30:00  ran 1d 00h, then SIGKILL')).toBeGreaterThan(at('10:10:00'));
    app.press('h');
    await app.waitFor((x) => x.includes('kubelet log'), 'the log again');
  });

  it(`a stop, restart or start from the monitor is in the exits view, the strip and LAST EXIT,\
 said as yours`, async () => {
    const { app, monitor } = setup({ columns: 80, rows: 24 });
    const stop = { ...exit(3, { signal: 'SIGTERM', expected: true, ranForMs: 60_000 }), stoppedBy: { who: 'you' } };
    const restart = {
      ...exit(1, { signal: 'SIGTERM', expected: true, ranForMs: 30_000 }),
      stoppedBy: { who: 'you', action: 'restart' },
    };
    const k = kubelet([stop, restart] as ReturnType<typeof exit>[]);
    const requests = [
      { time: stop.time + 1000, action: 'stop', ok: true },
      { time: stop.time + 60_000, action: 'start', ok: true },
      { time: restart.time + 1000, action: 'restart', ok: true },
    ] as const;
    monitor.push(monitorData([{ ...k, history: { ...k.history, requests } }]));
    const f = await app.waitFor((x) => x.includes('last hour'), 'the monitor');
    expect(f).toMatch(/RUNNING\s+4242\s+30s\s+0\s+10:29:00 restarted by you/);
    expect(/last hour ([·oX]+)/.exec(f)?.[1]?.at(-1)).toBe('o');
    app.press('h');
    const h = await app.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
    const lines = h.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('10:29:00  ran 30s, then restarted by you (SIGTERM)')).toBeGreaterThan(0);
    expect(at('10:28:00  started by you')).toBeGreaterThan(at('10:29:00'));
    expect(at('10:27:00  ran 1m 00s, then stopped by you (SIGTERM)')).toBeGreaterThan(at('10:28:00'));
  });

  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`fits ${columns}x${rows}: no line wider than the terminal, no more lines than it has`, async () => {
      const { app, monitor } = setup({ columns, rows });
      monitor.push(
        monitorData(
          [
            kubelet([exit(3), exit(2), exit(1)]),
            program({ name: 'node-exporter-with-a-rather-long-name', now: NOW_S }),
          ],
          {
            node: NODE,
            usage: USAGE,
          },
        ),
      );
      monitor.log(
        Array.from(
          { length: 80 },
          (_, i) =>
            `E1126 10:29:${String(i % 60).padStart(2, '0')} 1 kubelet.go:1] ${'a long message '.repeat(20)}${i}`,
        ),
      );
      const f = await app.waitFor((x) => x.includes('resident') && x.includes('a long message'), 'the full screen');
      const lines = f.split('\n');
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
      // Never dropped nor cut: state, restarts, the last exit, a whole FLAPPING, and the keys to help and quit.
      expect(f).toMatch(/› kubelet\s+RUNNING\s+4242\s+(30s\s+)?3\s+10:29:00 SIGKILL/);
      expect(f).toContain('LAST EXIT');
      expect(f).toMatch(/ FLAPPING( |$)/m);
      expect(f).toMatch(/\? help {2}q quit$/m);
      // The node's memory, pressure and load, whole at every size.
      expect(f).toMatch(/NEAR · (psi|pressure) cpu 1\d\.?\d?% mem(ory)? 41\.?2?% io (1|0\.5)% · load 7\.9/);
      // Help too: every key, in columns when the rows run out.
      app.press('?');
      const h = await app.waitFor((x) => x.includes('Keys'), 'the help');
      expect(h.split('\n').length).toBeLessThanOrEqual(rows);
      for (const l of h.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
      expect(h).toContain('ctrl-s');
      expect(h).toContain('esc or ? closes this help');
    });
  }
});
