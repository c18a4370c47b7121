// The apply and done screens with more steps than rows (several units, the agent's steps): the outcome whole.
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

  it('apply: a rollback after many steps ends with its outcome in view, and the last lines before it', async () => {
    const { services } = fakeServices({});
    const app = renderApp(services, 'apply', { columns: 100, rows: 30 });
    apps.push(app);
    const steps: StepView[] = Array.from({ length: 40 }, (_, i) => ({
      id: `s${i + 1}`,
      title: `step number ${i + 1}`,
      status: i < 39 ? 'done' : 'failed',
      detail: i < 39 ? undefined : 'supervisord did not pick up the program',
    }));
    const rollbackLines = Array.from({ length: 30 }, (_, i) => `remove /etc/file-${i + 1}: ok`);
    app.store.setState({
      plan: PLAN,
      steps,
      rollbackLines,
      operation: 'migrate',
      result: { ok: false, healthzGapMs: null, error: 'step 40 failed', rolledBack: true },
    });
    const f = await app.waitFor((x) => x.includes('was rolled back'), 'the outcome');
    expect(f).toContain('remove /etc/file-30: ok');
    expect(f).toContain('rolling back:');
    expect(f).toMatch(/… \d+ steps before these/);
  });
});
