import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationEvent, MigrationResult } from '../../src/core/migration/apply/apply.js';
import type { Plan } from '../../src/core/migration/plan/plan.js';
import { fakeServices, KEYS, monitorData, program, renderApp } from '../helpers/render-app.js';
import { DETECTION, PLAN, STEPS } from './wizard-fixtures.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

function wizard(
  migrate: (plan: Plan, on: (e: MigrationEvent) => void, signal: AbortSignal) => Promise<MigrationResult>,
  over: { isRoot?: boolean } = {},
  size?: { columns: number; rows: number },
) {
  const { services, monitor } = fakeServices({
    detect: async () => DETECTION,
    plan: async () => PLAN,
    migrate,
    ...over,
  });
  const app = renderApp(services, 'detect', size);
  apps.push(app);
  void app.store.getState().actions.runDetect();
  return { app, monitor };
}

describe('migration wizard', () => {
  it('detect → preview → confirm → apply live → done → monitor', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { app, monitor } = wizard(async (_plan, on) => {
      on({ type: 'step-start', step: STEPS[0]!, resumed: false });
      on({ type: 'step-done', step: STEPS[0]!, ms: 3, detail: 'created' });
      on({ type: 'step-start', step: STEPS[1]!, resumed: false });
      await gate;
      on({ type: 'step-done', step: STEPS[1]!, ms: 170 });
      on({ type: 'step-done', step: STEPS[2]!, ms: 1040, detail: 'kubelet RUNNING as pid 978' });
      return { ok: true, healthzGapMs: 117, error: null, rolledBack: false };
    });

    let f = await app.waitFor((x) => x.includes('running, pid 725'), 'the detect screen');
    expect(f).toContain('1 detect');
    expect(f).toContain('kubelet.service.d/10-kubeadm.conf:4 ($KUBELET_CONFIG_ARGS)');
    expect(f).toContain('! --network-plugin was removed in kubelet 1.24');
    expect(f).toContain('no; the program will go to /etc/supervisord.d/kubelet.ini');
    // The other critical units, each offered by its number to move before kubelet.
    expect(f).toContain('also move   1 [ ] containerd active · 2 [ ] etcd active');

    app.press(KEYS.enter);
    f = await app.waitFor((x) => x.includes('2 preview'), 'the preview');
    expect(f).toContain('new file, mode 755: the wrapper');
    expect(f).toContain('exec /usr/local/bin/kubelet');
    app.press(KEYS.tab);
    f = await app.waitFor((x) => x.includes('changes to the current file'), 'the diff tab');
    expect(f).toMatch(/^\+\[include\]$/m);
    app.press(KEYS.tab);
    f = await app.waitFor((x) => x.includes(' 3. verify'), 'the steps tab');

    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('Apply this plan to node4?'), 'the confirmation');
    app.press('y');
    f = await app.waitFor((x) => x.includes('› [2/3] stop the systemd kubelet'), 'the running step');
    expect(f).toContain('✓ [1/3] write /etc/kubernetes/kubelet.sh 3 ms · created');
    expect(f).toContain('· [3/3] verify');

    // Quitting now asks first: a stop rolls back, it never leaves the node half-way.
    app.press('q');
    await app.waitFor(
      (x) => x.includes('Stop the migration? It stops after the current step and rolls back'),
      'the quit question',
    );
    app.press('n');

    release();
    f = await app.waitFor((x) => x.includes('4 done'), 'the done screen');
    expect(f).toContain('healthz gap: 117 ms');
    expect(f).toContain('undo: kubesup-tui rollback --yes');
    app.press(KEYS.enter);
    monitor.push(monitorData([program({ name: 'kubelet', pid: 978 })]));
    await app.waitFor((x) => x.includes('› kubelet') && x.includes('978'), 'the monitor');
  });

  it('a failed apply says what went wrong and that it rolled back', async () => {
    const { app } = wizard(async (_plan, on) => {
      on({
        type: 'step-failed',
        step: STEPS[2]!,
        error: 'not healthy within 60 s: healthz at http://127.0.0.1:10248/healthz: connection refused',
      });
      on({ type: 'rollback-step', title: 'systemctl start kubelet.service', ok: true });
      return { ok: false, healthzGapMs: null, error: 'verify: not healthy within 60 s', rolledBack: true };
    });
    await app.waitFor((x) => x.includes('running, pid 725'), 'detect');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('2 preview'), 'preview');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('[y/N]'), 'confirmation');
    app.press('y');
    const f = await app.waitFor((x) => x.includes('migration failed'), 'the failure');
    expect(f).toContain('✗ [3/3] verify');
    expect(f).toContain('connection refused');
    expect(f).toContain('✓ systemctl start kubelet.service');
    expect(f).toContain('rolled back: kubelet runs under systemd as before');
  });

  it('not root: apply is refused before anything happens', async () => {
    let called = false;
    const { app } = wizard(
      async () => {
        called = true;
        return { ok: true, healthzGapMs: 0, error: null, rolledBack: false };
      },
      { isRoot: false },
    );
    await app.waitFor((x) => x.includes('running, pid 725'), 'detect');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('2 preview'), 'preview');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('must run as root'), 'the refusal');
    expect(called).toBe(false);
  });

  it('esc goes back from the preview to detect', async () => {
    const { app } = wizard(async () => ({ ok: true, healthzGapMs: 0, error: null, rolledBack: false }));
    await app.waitFor((x) => x.includes('running, pid 725'), 'detect');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('2 preview'), 'preview');
    app.press(KEYS.escape);
    await app.waitFor((x) => x.includes('1 detect'), 'detect again');
  });

  it('q then y during apply stops after the current step and rolls back; q again is only answered', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let stopped = false;
    const { app } = wizard(async (_plan, on, signal) => {
      on({ type: 'step-start', step: STEPS[0]!, resumed: false });
      await gate;
      on({ type: 'step-done', step: STEPS[0]!, ms: 3 });
      stopped = signal.aborted;
      on({ type: 'rollback-start', reason: 'stopped by the operator' });
      on({ type: 'rollback-step', title: 'remove /etc/kubernetes/kubelet.sh', ok: true });
      on({ type: 'rollback-done', ok: true });
      return { ok: false, healthzGapMs: null, error: 'stopped by the operator before this step', rolledBack: true };
    });
    await app.waitFor((x) => x.includes('running, pid 725'), 'detect');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('2 preview'), 'preview');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('[y/N]'), 'the apply question');
    app.press('y');
    await app.waitFor((x) => x.includes('3 apply'), 'the apply screen');
    app.press('q');
    await app.waitFor((x) => x.includes('Stop the migration?'), 'the stop question');
    app.press('y');
    await app.waitFor((x) => x.includes('stopping after the current step, then rolling back'), 'the stop under way');
    app.press('q');
    await app.waitFor((x) => x.includes('stopping: rolling back; it finishes by itself'), 'the answer to a second q');
    release();
    const f = await app.waitFor((x) => x.includes('was rolled back'), 'the outcome');
    expect(stopped).toBe(true);
    expect(f).toContain('✓ remove /etc/kubernetes/kubelet.sh');
  });
});

describe('every wizard screen at 80x24, 120x40 and 200x60', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}x${rows}: detect, preview, confirm, apply, done fit, \
cut with an ellipsis where they must`, async () => {
      const { app } = wizard(
        async (_plan, on) => {
          for (const step of STEPS) on({ type: 'step-done', step, ms: 5, detail: 'ok' });
          return { ok: true, healthzGapMs: 80, error: null, rolledBack: false };
        },
        {},
        { columns, rows },
      );
      const fits = (frame: string) => {
        expect(frame.split('\n').length).toBeLessThanOrEqual(rows);
        for (const l of frame.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
      };
      // The first frames may be drawn before the terminal's size is known: wait for one at this width.
      const sized = (x: string) => [...(x.split('\n')[0] ?? '')].length === columns;
      fits(await app.waitFor((x) => x.includes('running, pid 725') && sized(x), 'detect'));
      app.press(KEYS.enter);
      fits(await app.waitFor((x) => x.includes('2 preview'), 'preview'));
      app.press(KEYS.enter);
      fits(await app.waitFor((x) => x.includes('[y/N]'), 'confirm'));
      app.press('y');
      const done = await app.waitFor((x) => x.includes('healthz gap'), 'done');
      fits(done);
      expect(done).toContain('undo: kubesup-tui rollback --yes');
    });
  }
});
