// What a person approves is read whole at every size: dialogs wrap, never cut; the preview's long file lines
// wrap; its selected tab is always shown; warnings wrap. At 80x24, 120x40 and 200x60.
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/migration/plan/plan.js';
import { fakeServices, KEYS, monitorData, program, renderApp } from '../helpers/render-app.js';
import { DETECTION, PLAN } from './wizard-fixtures.js';

const apps: { unmount(): void }[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.unmount();
});

const SIZES = [
  [80, 24],
  [120, 40],
  [200, 60],
] as const;

const FLAGS = Array.from({ length: 12 }, (_, i) => `--flag-${i}=value-${i}`).join(' ');
const LONG_LINE = `exec /usr/local/bin/kubelet ${FLAGS} END`;
const MANY_FILES = {
  ...PLAN,
  files: [
    ...Array.from({ length: 8 }, (_, i) => ({
      path: `/etc/supervisord.d/a-rather-long-file-name-${i}.ini`,
      role: 'program',
      mode: 0o644,
      before: null,
      why: 'one more file',
      content: '[program:x]\n',
    })),
    { ...PLAN.files[0], content: `#!/bin/bash\n${LONG_LINE}\n` },
  ],
  warnings: [
    `Restart=always guards it under systemd; under supervisord autorestart=true does: ${'said whole '.repeat(12)}END`,
  ],
} as unknown as Plan;

/** The frame's words in order, rows joined: what was on screen, however it wrapped. */
const words = (frame: string) =>
  frame
    .replace(/[│┌┐└┘─]/g, ' ')
    .split(/\s+/)
    .join(' ');

function wizard(size: { columns: number; rows: number }, detection = DETECTION) {
  const { services } = fakeServices({ detect: async () => detection, plan: async () => MANY_FILES });
  const app = renderApp(services, 'detect', size);
  apps.push(app);
  void app.store.getState().actions.runDetect();
  return app;
}

describe('read whole', () => {
  for (const [columns, rows] of SIZES) {
    it(`${columns}x${rows}: the apply dialog, every word; the preview's selected tab and its long lines`, async () => {
      const app = wizard({ columns, rows });
      const sized = (x: string) => [...(x.split('\n')[0] ?? '')].length === columns;
      await app.waitFor((x) => x.includes('running, pid 725') && sized(x), 'detect');
      app.press(KEYS.enter);
      await app.waitFor((x) => x.includes('2 preview'), 'the preview');
      // The kubelet wrapper, the ninth file: its tab is shown selected however many come before it.
      for (let i = 0; i < 8; i++) app.press(KEYS.tab);
      let f = await app.waitFor((x) => x.includes('›kubelet.sh'), 'the selected tab');
      for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
      // The file's long line wrapped onto the rows below it, cut nowhere: its rows put together are the line.
      const rowsOf = f.split('\n');
      const first = rowsOf.findIndex((r) => r.startsWith('exec '));
      const last = rowsOf.findIndex((r) => r.endsWith('END'));
      expect(rowsOf.slice(first, last + 1).join('')).toBe(LONG_LINE);
      app.press(KEYS.tab);
      f = await app.waitFor((x) => x.includes('›steps'), 'the steps tab');
      expect(words(f)).toContain('said whole said whole');
      expect(f).toContain('END');
      app.press(KEYS.enter);
      f = await app.waitFor((x) => x.includes('[y/N]'), 'the dialog');
      expect(f.split('\n').length).toBeLessThanOrEqual(rows);
      for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
      // The keys sit on the question's first row: read without them, the question is all there.
      expect(words(f.replace('[y/N]', ''))).toContain(
        'Apply this plan to node4? 3 steps; rolled back by itself if anything fails',
      );
    });

    it(`${columns}x${rows}: the monitor's dialog and the detect screen's warnings, whole`, async () => {
      const warning = `kubelet.service has Restart=always: ${'a warning said whole '.repeat(8)}END`;
      const app = wizard({ columns, rows }, { ...DETECTION, warnings: [warning] } as typeof DETECTION);
      const f = await app.waitFor((x) => x.includes('running, pid 725'), 'detect');
      expect(words(f)).toContain(warning);
      const { services, monitor } = fakeServices();
      const m = renderApp(services, 'monitor', { columns, rows });
      apps.push(m);
      monitor.push(monitorData([program({ name: 'a-program-with-a-long-name-to-make-the-question-long', pid: 7 })]));
      await m.waitFor((x) => x.includes('RUNNING'), 'the monitor');
      m.press('s');
      const d = await m.waitFor((x) => x.includes('[y/N]'), 'the dialog');
      expect(words(d.replace('[y/N]', ''))).toContain('start a-program-with-a-long-name-to-make-the-question-long?');
      expect(d.split('\n').length).toBeLessThanOrEqual(rows);
    });
  }
});
