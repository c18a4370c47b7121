// A terminal smaller than the screens can be drawn in: one line saying so, then the screen once it is resized.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServices, renderApp } from '../helpers/render-app.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

describe('a terminal too small', () => {
  it('40x10: one line naming the size needed; resized to 80x24: the screen', async () => {
    const { services } = fakeServices();
    const app = renderApp(services, 'detect', { columns: 40, rows: 10 });
    apps.push(app);
    const f = await app.waitFor((x) => x.includes('too small'), 'the too-small line');
    expect(f.trim()).toBe('terminal too small (need at least 50x12)');
    Object.defineProperty(app.stdout, 'columns', { value: 80, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: 24, configurable: true });
    (app.stdout as unknown as NodeJS.EventEmitter).emit('resize');
    const drawn = await app.waitFor((x) => !x.includes('too small') && x.trim().length > 0, 'the screen');
    expect(drawn).toContain('node4');
  });

  it('wide enough but too short (100x10): the same line', async () => {
    const { services } = fakeServices();
    const app = renderApp(services, 'detect', { columns: 100, rows: 10 });
    apps.push(app);
    const f = await app.waitFor((x) => x.includes('too small'), 'the too-small line');
    expect(f.trim()).toBe('terminal too small (need at least 50x12)');
  });
});
