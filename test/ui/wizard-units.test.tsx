// The wizard moving another critical unit (containerd) along with kubelet: chosen on detect, previewed and
// applied before kubelet, each with its own plan.
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/migration/plan/plan.js';
import { fakeServices, KEYS, renderApp } from '../helpers/render-app.js';
import { DETECTION, PLAN } from './wizard-fixtures.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

describe('the wizard with another unit', () => {
  it(`another unit chosen on detect: its plan before kubelet's in the preview, applied in turn, \
both on the done screen`, async () => {
    const kubeletPlan = { ...PLAN, service: { unit: 'kubelet.service' } } as unknown as Plan;
    const containerdPlan = {
      program: 'containerd',
      argv: ['/usr/local/bin/containerd'],
      files: [
        {
          path: '/etc/kubesup-tui/containerd.sh',
          role: 'wrapper',
          mode: 0o755,
          before: null,
          why: 'the wrapper',
          content: '#!/bin/bash\nexec /usr/local/bin/containerd\n',
        },
      ],
      steps: [{ id: 'verify', kind: 'verify', title: 'verify: containerd RUNNING, healthy' }],
      warnings: [],
      service: { unit: 'containerd.service' },
    } as unknown as Plan;
    const applied: string[] = [];
    const { services } = fakeServices({
      detect: async () => DETECTION,
      plan: async () => kubeletPlan,
      planUnit: async (unit) => (unit === 'containerd.service' ? containerdPlan : Promise.reject(new Error(unit))),
      migrate: async (p, on) => {
        applied.push(p.program);
        for (const step of p.steps) {
          on({ type: 'step-start', step, resumed: false });
          on({ type: 'step-done', step, ms: 1 });
        }
        return { ok: true, healthzGapMs: p.program === 'kubelet' ? 80 : null, error: null, rolledBack: false };
      },
    });
    const app = renderApp(services, 'detect');
    apps.push(app);
    void app.store.getState().actions.runDetect();
    await app.waitFor((x) => x.includes('1 [ ] containerd active'), 'the detect screen');
    app.press('1');
    await app.waitFor((x) => x.includes('1 [x] containerd active · 2 [ ] etcd active'), 'containerd chosen');
    app.press(KEYS.enter);
    let f = await app.waitFor((x) => x.includes('2 preview'), 'the preview');
    // containerd's files first (it is applied first), then kubelet's, then every step under its unit.
    expect(f).toContain('›containerd.sh');
    expect(f).toContain('exec /usr/local/bin/containerd');
    app.press(KEYS.enter);
    f = await app.waitFor((x) => x.includes('Apply 2 plans to node4'), 'the confirmation');
    expect(f).toContain('containerd, then kubelet?');
    app.press('y');
    f = await app.waitFor((x) => x.includes('kubelet runs under supervisord as [program:kubelet]'), 'done');
    expect(f).toContain('containerd runs under supervisord as [program:containerd]');
    expect(f).toContain('containerd: verify: containerd RUNNING, healthy');
    expect(applied).toEqual(['containerd', 'kubelet']);
  });
});
