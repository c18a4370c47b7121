// The preview's `w`: kubelet's watchdog chosen in the wizard, decided by core (nextWatchdogChoice) and planned again.
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchdogChoice } from '../../src/core/migration/plan/agent.js';
import type { Plan } from '../../src/core/migration/plan/plan.js';
import { fakeServices, KEYS, renderApp } from '../helpers/render-app.js';
import { DETECTION, PLAN } from './wizard-fixtures.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

/** The fixture's plan, saying which watchdog it was made with, as the steps tab shows carried settings. */
const planWith = (w: WatchdogChoice | undefined): Plan => ({
  ...PLAN,
  carried: [`watchdog choice: ${w ? JSON.stringify(w) : 'the command line'}`],
});

describe("the preview's watchdog key", () => {
  it('w plans again with the next choice: 30 s, 120 s, off, then the default', async () => {
    const asked: (WatchdogChoice | undefined)[] = [];
    const { services } = fakeServices({
      detect: async () => DETECTION,
      plan: async (w?: WatchdogChoice) => {
        asked.push(w);
        return planWith(w);
      },
      migrate: async () => ({ ok: true, healthzGapMs: 0, error: null, rolledBack: false }),
    });
    const app = renderApp(services, 'detect');
    apps.push(app);
    void app.store.getState().actions.runDetect();
    await app.waitFor((x) => x.includes('running, pid 725'), 'the detect screen');
    app.press(KEYS.enter);
    await app.waitFor((x) => x.includes('2 preview'), 'the preview');
    for (const want of ['{"kind":"sec","sec":30}', '{"kind":"sec","sec":120}', '{"kind":"off"}']) {
      app.press('w');
      await app.waitFor(() => app.store.getState().plan?.carried?.[0] === `watchdog choice: ${want}`, want);
    }
    app.press('w');
    await app.waitFor(() => asked.length === 5, 'the default again');
    expect(asked).toEqual([
      undefined,
      { kind: 'sec', sec: 30 },
      { kind: 'sec', sec: 120 },
      { kind: 'off' },
      { kind: 'default' },
    ]);
  });
});
