// The log pane's k9s habits: wrap, times on and off, jumping between errors, saving what it holds.
import { afterEach, describe, expect, it } from 'vitest';
import { monitorBesidesLog } from '../../src/ui/components/log-pane.js';
import { fakeServices, monitorData, program, renderApp } from '../helpers/render-app.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

const klog = (sev: string, i: number, msg: string) =>
  `${sev}1127 10:29:${String(i).padStart(2, '0')}.123456    4242 kubelet.go:${i}] ${msg}`;

function setup(lines: string[], saved: [string, readonly string[]][] = []) {
  const { services, monitor } = fakeServices({
    saveLog: async (name, l) => {
      saved.push([name, l]);
      return `/var/tmp/kubesup-tui/${name}-x.log`;
    },
  });
  const app = renderApp(services, 'monitor', { columns: 120, rows: 30 });
  apps.push(app);
  monitor.push(monitorData([program({ name: 'kubelet' })]));
  monitor.log(lines);
  return { app, monitor };
}

describe('log pane', () => {
  it('w wraps a long line onto the next rows; w again cuts it with an ellipsis', async () => {
    const long = klog('I', 1, `${'x'.repeat(100)}END`);
    const { app } = setup([long]);
    let f = await app.waitFor((x) => x.includes('kubelet.go:1]'), 'the line');
    expect(f).not.toContain('END');
    expect(f).toMatch(/x…$/m);
    app.press('w');
    f = await app.waitFor((x) => x.includes('END'), 'the wrapped line');
    expect(f).toContain('wrap');
  });

  it("t hides each line's time and pid, keeping its severity and source", async () => {
    const { app } = setup([klog('E', 7, 'failed to sync pod')]);
    await app.waitFor((x) => x.includes('10:29:07.123456'), 'the line with its time');
    app.press('t');
    const f = await app.waitFor((x) => x.includes('E kubelet.go:7] failed to sync pod'), 'the line without it');
    expect(f).not.toContain('10:29:07');
    expect(f).toContain('no times');
  });

  it('e and E jump between errors, from the newest back', async () => {
    const lines = [
      klog('E', 1, 'first error'),
      ...Array.from({ length: 40 }, (_, i) => klog('I', i + 2, `info ${i}`)),
      klog('E', 50, 'second error'),
      ...Array.from({ length: 40 }, (_, i) => klog('I', i + 3, `later ${i}`)),
    ];
    const { app } = setup(lines);
    await app.waitFor((x) => x.includes('later 39'), 'the newest lines');
    app.press('E');
    let f = await app.waitFor((x) => x.includes('second error') && x.includes('paused'), 'the newest error');
    expect(f).not.toContain('first error');
    app.press('E');
    f = await app.waitFor((x) => x.includes('first error'), 'the one before');
    expect(f).not.toContain('second error');
    app.press('e');
    await app.waitFor((x) => x.includes('second error'), 'forward again');
  });

  it('ctrl-s saves the lines kept after the level filter and the search, and says where', async () => {
    const saved: [string, readonly string[]][] = [];
    const { app } = setup(
      [klog('I', 1, 'probe ok'), klog('W', 2, 'probe slow'), klog('E', 3, 'probe failed'), klog('E', 4, 'disk full')],
      saved,
    );
    await app.waitFor((x) => x.includes('disk full'), 'the lines');
    app.press('l'); // warnings and errors
    app.press('/');
    app.press('probe');
    app.press('\r');
    await app.waitFor((x) => x.includes('"probe" 2 of 2'), 'the search');
    app.press('\x13');
    const f = await app.waitFor((x) => x.includes('saved 2 lines'), 'the notice');
    expect(f).toContain('saved 2 lines to /var/tmp/kubesup-tui/kubelet-x.log (level ≥ warning, matching "probe")');
    expect(saved).toEqual([['kubelet', [klog('W', 2, 'probe slow'), klog('E', 3, 'probe failed')]]]);
  });

  it('follows new lines and the note in its title on its own, the rest of the screen as it was', async () => {
    const { app, monitor } = setup([klog('I', 1, 'first')]);
    const data = monitorData([program({ name: 'kubelet' })]);
    monitor.push(data);
    await app.waitFor((x) => x.includes('first'), 'the first line');
    monitor.log([klog('I', 2, 'second')]);
    monitor.push({ ...data, logVersion: data.logVersion + 1 });
    await app.waitFor((x) => x.includes('second'), 'the new line, with no other change');
    monitor.push({ ...data, logVersion: data.logVersion + 1, logNotice: 'log rotated' });
    await app.waitFor((x) => x.includes('kubelet log · log rotated'), "the note in the pane's title");
  });
});

describe('what redraws the monitor beside the log pane', () => {
  it('a change of the log alone does not; any other change does', () => {
    const data = monitorData([program({ name: 'kubelet' })]);
    expect(monitorBesidesLog(data, { ...data, logVersion: 9, logNotice: 'log rotated' })).toBe(true);
    expect(monitorBesidesLog(data, { ...data, programs: [...data.programs] })).toBe(false);
    expect(monitorBesidesLog(data, { ...data, health: { ...data.health } })).toBe(false);
    expect(monitorBesidesLog(null, data)).toBe(false);
    expect(monitorBesidesLog(null, null)).toBe(true);
  });
});
