// The log pane as state: paging from the top, a paused view that holds still while lines pour in.
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../src/store/app-store.js';
import { logWindow } from '../../../src/store/log-view.js';
import { fakeServices, monitorData, program } from '../../helpers/render-app.js';

function storeWithLog(lines: number) {
  const { services, monitor } = fakeServices();
  const store = createAppStore(services, { screen: 'detect' });
  store.getState().actions.startMonitor();
  monitor.push(monitorData([program({ name: 'kubelet' })]));
  const add = (from: number, n: number) =>
    monitor.log(
      Array.from({ length: n }, (_, i) => `I1126 10:00:00.000001    42 kubelet.go:1] "SyncLoop" line=${from + i}`),
    );
  add(1, lines);
  const shown = () => {
    const s = store.getState();
    return logWindow(s.logRing, s.log, 10).lines.map((l) => Number(/line=(\d+)/.exec(l.text)?.[1]));
  };
  return {
    store,
    a: store.getState().actions,
    add,
    shown,
    window: () => logWindow(store.getState().logRing, store.getState().log, 10),
  };
}

describe('the log pane', () => {
  it('g shows the oldest lines, and PgDn then moves down from there (clamped at both ends)', () => {
    const { a, shown } = storeWithLog(100);
    expect(shown()).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    a.logTop(10);
    expect(shown()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    a.scrollLog(9, 10);
    expect(shown()[0]).toBe(10);
    a.scrollLog(-50, 10);
    expect(shown()[0]).toBe(1);
    a.scrollLog(500, 10);
    expect(shown().at(-1)).toBe(100);
  });

  it('paused, it holds still while lines arrive, and says how many arrived; following again shows them', () => {
    const { a, add, shown, window, store } = storeWithLog(50);
    a.toggleFollow();
    expect(store.getState().log.follow).toBe(false);
    const before = shown();
    add(51, 200);
    expect(shown()).toEqual(before);
    expect(window().newer).toBe(200);
    a.toggleFollow();
    expect(shown().at(-1)).toBe(250);
    expect(window().newer).toBe(0);
  });

  it('scrolled back, it holds still too', () => {
    const { a, add, shown } = storeWithLog(50);
    a.scrollLog(-5, 10);
    const before = shown();
    expect(before.at(-1)).toBe(45);
    add(51, 30);
    expect(shown()).toEqual(before);
  });
});
