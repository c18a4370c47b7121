// The log pane's tools as people expect them, at 80x24: "N of M" with n/N, a filter, esc that clears,
// "N new" that counts arrivals, marks of deaths and starts kept whatever the filter, and hints that work.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServices, KEYS, monitorData, program, renderApp } from '../helpers/render-app.js';
import { DETECTION } from './wizard-fixtures.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

const klog = (i: number, msg: string) =>
  `I1127 10:29:${String(i % 60).padStart(2, '0')}.123456    4242 kubelet.go:${i}] ${msg} line=${i}`;

function setup(lines: string[], size = { columns: 80, rows: 24 }) {
  const { services, monitor } = fakeServices();
  const app = renderApp(services, 'monitor', size);
  apps.push(app);
  const kubelet = program({ name: 'kubelet', pid: 4242 });
  monitor.log(lines);
  monitor.push(monitorData([kubelet], { logVersion: 1 }));
  let version = 1;
  const more = (added: string[]) => {
    monitor.log(added);
    monitor.push(monitorData([kubelet], { logVersion: ++version }));
  };
  return { app, more };
}

const LINES = Array.from({ length: 30 }, (_, i) => klog(i + 1, i % 3 === 0 ? 'SyncLoop probe' : 'other'));

describe('the log pane at 80x24', () => {
  it('search says "N of M" whole, n and N move it; & shows only the matches; esc clears both', async () => {
    const { app } = setup(LINES);
    await app.waitFor((x) => x.includes('line=30'), 'the log');
    app.press('/');
    app.press('SyncLoop');
    app.press(KEYS.enter);
    let f = await app.waitFor((x) => x.includes('"SyncLoop" 10 of 10'), 'the newest match');
    app.press('N');
    f = await app.waitFor((x) => x.includes('"SyncLoop" 9 of 10'), 'the one before');
    app.press('n');
    await app.waitFor((x) => x.includes('"SyncLoop" 10 of 10'), 'forward again');
    app.press('&');
    f = await app.waitFor((x) => x.includes('only "SyncLoop"'), 'the filter');
    expect(f).not.toContain('other line=');
    expect(f).toContain('SyncLoop probe line=28');
    expect(f).toMatch(/^esc clear search {2}.*\? help {2}q quit$/m);
    app.press(KEYS.escape);
    f = await app.waitFor((x) => x.includes('following') && !x.includes('SyncLoop"'), 'cleared');
    expect(f).toContain('other line=30');
    // Nothing kept: esc offers nothing here.
    expect(f).not.toContain('esc');
  });

  it('"N new" counts the lines that arrived while paused, not those below a view scrolled back', async () => {
    const { app, more } = setup(LINES, { columns: 80, rows: 24 });
    await app.waitFor((x) => x.includes('line=30'), 'the log');
    app.press('K');
    let f = await app.waitFor((x) => x.includes('paused') && !x.includes('line=30'), 'scrolled back');
    expect(f).not.toMatch(/\d+ new/);
    more([klog(31, 'late'), klog(32, 'late'), klog(33, 'late')]);
    f = await app.waitFor((x) => x.includes('paused · 3 new'), 'three arrived');
    app.press('G');
    await app.waitFor((x) => x.includes('line=33') && x.includes('following'), 'following again');
  });

  it('an empty pane says so; the marks of deaths and starts stay under a level filter', async () => {
    const { app, more } = setup([]);
    await app.waitFor((x) => x.includes('no lines yet'), 'the empty pane');
    app.press('l');
    await app.waitFor((x) => x.includes('no line at level ≥ warning'), 'the empty filter');
    more([klog(1, 'quiet')]);
    await app.waitFor((x) => x.includes('level ≥ warning'), 'still filtered');
  });
});

describe('hints that do something', () => {
  it('the detect screen offers no number keys without units to choose, and no esc', async () => {
    const { services } = fakeServices({
      detect: async () => ({ ...DETECTION, node: { ...DETECTION.node, otherUnits: [] } }),
    });
    const app = renderApp(services, 'detect', { columns: 120, rows: 30 });
    apps.push(app);
    void app.store.getState().actions.runDetect();
    const f = await app.waitFor((x) => x.includes('running, pid 725'), 'the detect screen');
    expect(f).not.toContain('also move');
    expect(f).not.toContain('esc');
    expect(f).toMatch(/\? help {2}q quit$/m);
  });

  it('with two units, the number keys as many as there are', async () => {
    const { services } = fakeServices({ detect: async () => DETECTION });
    const app = renderApp(services, 'detect', { columns: 120, rows: 30 });
    apps.push(app);
    void app.store.getState().actions.runDetect();
    const f = await app.waitFor((x) => x.includes('running, pid 725'), 'the detect screen');
    expect(f).toContain('1-2 also move');
  });
});
