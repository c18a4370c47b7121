// The done screen with more steps than rows (several units, the agent's steps): the outcome shows whole.
import { afterEach, describe, expect, it } from 'vitest';
import type { StepView } from '../../src/store/types.js';
import { fakeServices, renderApp } from '../helpers/render-app.js';
import { PLAN } from './wizard-fixtures.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

describe('the done screen', () => {
  it('shows the outcome whole and the last steps that fit, saying how many came before', async () => {
    const { services } = fakeServices({});
    const app = renderApp(services, 'done', { columns: 100, rows: 30 });
    apps.push(app);
    const steps: StepView[] = Array.from({ length: 60 }, (_, i) => ({
      id: `s${i + 1}`,
      title: `step number ${i + 1}`,
      status: 'done',
      ms: 1,
    }));
    app.store.setState({ plan: PLAN, steps, result: { ok: true, healthzGapMs: 117, error: null, rolledBack: false } });
    const f = await app.waitFor((x) => x.includes('undo: kubesup-tui rollback --yes'), 'the outcome');
    expect(f).toContain('kubelet runs under supervisord as [program:kubelet]');
    expect(f).toContain('healthz gap: 117 ms');
    expect(f).toContain('[60/60] step number 60');
    expect(f).not.toContain('[1/60] step number 1 ');
    expect(f).toMatch(/✓ \d+ steps before these done/);
  });
});
