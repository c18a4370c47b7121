import { describe, expect, it } from 'vitest';
import type { MonitorData } from '../../../src/core/monitor/monitor-data.js';
import { createMonitorActions } from '../../../src/store/monitor-actions.js';
import type { AppServices, AppState } from '../../../src/store/types.js';
import { ManualClock } from '../../helpers/fake-host/clock.js';

/** The monitor's actions over a hand-driven engine: `emit` is what the engine reports. */
function setUp() {
  const clock = new ManualClock();
  let emit: (d: MonitorData) => void = () => undefined;
  const services = {
    clock,
    startMonitor(listener: (d: MonitorData) => void) {
      emit = listener;
      return { log: null, follow() {}, stop() {}, act: async () => ({ ok: true, message: '' }) };
    },
  } as unknown as AppServices;
  let state = { selected: 0, monitor: null } as unknown as AppState;
  const shown: (MonitorData | null)[] = [];
  const actions = createMonitorActions(
    services,
    () => state,
    (patch) => {
      state = { ...state, ...patch };
      if ('monitor' in patch) shown.push(patch.monitor ?? null);
    },
  );
  actions.startMonitor();
  return { clock, emit: (n: number) => emit({ programs: [], logVersion: n } as unknown as MonitorData), shown };
}

describe("the monitor's redraws", () => {
  it('draws a change after a quiet spell at once, and batches what follows within 100 ms', async () => {
    const { clock, emit, shown } = setUp();
    emit(1);
    await clock.advance(0);
    expect(shown.map((d) => d?.logVersion)).toEqual([1]);
    // Two more reports within the next 100 ms: one redraw, with the latest, 100 ms after the first.
    emit(2);
    await clock.advance(40);
    emit(3);
    await clock.advance(50);
    expect(shown).toHaveLength(1);
    await clock.advance(10);
    expect(shown.map((d) => d?.logVersion)).toEqual([1, 3]);
    // Quiet again for longer than the batch: the next report is drawn at once.
    await clock.advance(500);
    emit(4);
    await clock.advance(0);
    expect(shown.map((d) => d?.logVersion)).toEqual([1, 3, 4]);
  });
});
