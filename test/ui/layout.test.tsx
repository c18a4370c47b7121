// Small terminals and resizes: nothing wraps into garbage, and the screen follows the new size.
import { afterEach, describe, expect, it } from 'vitest';
import type { Detection } from '../../src/core/detect/detect.js';
import type { Interruption } from '../../src/core/migration/journal/interruption.js';
import { fakeServices, monitorData, program, renderApp } from '../helpers/render-app.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

const DETECTION = {
  argv: ['/usr/local/bin/kubelet', `--pod-infra-container-image=${'registry.example.com/'.repeat(5)}pause:3.9`],
  running: { pid: 725, argv: [], env: {}, managedBy: 'systemd' },
  configured: null,
  flags: [
    { arg: '/usr/local/bin/kubelet', source: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:12 (ExecStart)' },
    {
      arg: `--pod-infra-container-image=${'registry.example.com/'.repeat(5)}pause:3.9`,
      source: '/var/lib/kubelet/kubeadm-flags.env:1 ($KUBELET_KUBEADM_ARGS, EnvironmentFile=)',
    },
  ],
  kubelet: {
    version: '1.23.16',
    binary: '/usr/local/bin/kubelet',
    healthz: { address: '127.0.0.1', port: 10248, url: 'http://127.0.0.1:10248/healthz', config: null },
  },
  supervisor: {
    installed: true,
    version: '4.2.5',
    pid: 216,
    unit: { name: 'supervisord.service', active: 'active', enabled: 'enabled' },
    program: null,
    programFile: '/etc/supervisord.d/kubelet.ini',
  },
  node: { packageManager: 'yum', runtimeUnits: [], otherUnits: [], unitInEtc: true },
  refusal: null,
  warnings: [
    '--pod-infra-container-image: removed in kubelet 1.35 (the sandbox image comes from the container runtime); ' +
      'upgrading kubelet to 1.35 or later will fail with it',
  ],
} as unknown as Detection;

const fits = (frame: string, columns: number, rows: number) => {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThan(rows);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
};

describe('layout', () => {
  it('the detect screen fits 80x24, long flags and warnings cut, not wrapped', async () => {
    const { services } = fakeServices({ detect: async () => DETECTION });
    const app = renderApp(services, 'detect', { columns: 80, rows: 24 });
    apps.push(app);
    void app.store.getState().actions.runDetect();
    const f = await app.waitFor((x) => x.includes('running, pid 725'), 'the detect screen');
    fits(f, 80, 24);
    expect(f).toContain('! --pod-infra-container-image: removed in kubelet 1.35');
  });

  it(`the monitor follows a resize: narrower drops UPTIME, then PID,\
 never LAST EXIT; wider brings them back`, async () => {
    const { services, monitor } = fakeServices();
    const app = renderApp(services, 'monitor', { columns: 120, rows: 30 });
    apps.push(app);
    monitor.push(monitorData([program({ name: 'kubelet', pid: 4242 })]));
    let f = await app.waitFor((x) => x.includes('LAST EXIT'), 'the wide table');
    fits(f, 120, 30);

    Object.defineProperty(app.stdout, 'columns', { value: 64, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: 20, configurable: true });
    (app.stdout as unknown as NodeJS.EventEmitter).emit('resize');
    f = await app.waitFor((x) => !x.includes('UPTIME') && x.includes('4242'), 'the narrow table');
    fits(f, 64, 20);
    expect(f).toMatch(/PROGRAM\s+STATE\s+PID\s+RESTARTS\s+LAST EXIT/);

    Object.defineProperty(app.stdout, 'columns', { value: 56, configurable: true });
    (app.stdout as unknown as NodeJS.EventEmitter).emit('resize');
    f = await app.waitFor((x) => !x.includes('PID') && x.includes('LAST EXIT'), 'the narrowest table');
    fits(f, 56, 20);

    Object.defineProperty(app.stdout, 'columns', { value: 120, configurable: true });
    (app.stdout as unknown as NodeJS.EventEmitter).emit('resize');
    await app.waitFor((x) => x.includes('UPTIME') && x.includes('LAST EXIT'), 'the wide table again');
  });
});

describe('the interrupted screen at 80x24, 120x40 and 200x60', () => {
  const steps = Array.from({ length: 11 }, (_, i) => ({
    id: `s${i}`,
    kind: 'write',
    title: `step ${i + 1} ${'x'.repeat(150)}`,
  }));
  const interruption = {
    what: 'migration',
    journal: { plan: { createdAt: '2026-11-27T10:00:00.000Z', steps }, steps: {}, error: null },
    done: 4,
    total: 11,
    remaining: steps.slice(4),
    at: '2026-11-27T10:00:05.000Z',
    runningPid: null,
  } as unknown as Interruption;
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}x${rows}: fits, long step titles cut`, async () => {
      const { services } = fakeServices({ interruption: async () => interruption });
      const app = renderApp(services, 'detect', { columns, rows });
      apps.push(app);
      void app.store.getState().actions.checkInterruption();
      const f = await app.waitFor(
        (x) => x.includes('A migration was interrupted') && [...(x.split('\n')[0] ?? '')].length === columns,
        'the interrupted screen',
      );
      fits(f, columns, rows + 1);
      expect(f).toContain('after 4 of 11 steps');
    });
  }
});
