/**
 * KUBESUP_RENDER_STATS=FILE: the frames Ink drew and their cost, one JSON line a second, for bench/. A file
 * written by the process itself, so it lives here with the other adapters.
 */
import { appendFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

export function renderStats(file: string): (m: { renderTime: number }) => void {
  let frames = 0;
  let ms = 0;
  // The garbage collections in the same second, and their time (Node.js only; Bun reports none).
  let gcs = 0;
  let gcMs = 0;
  // Of them, full (mark-compact) collections: those that walk the whole heap, much of it on helper threads.
  let fullGcs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcs++;
      gcMs += entry.duration;
      if ((entry as { detail?: { kind?: number } }).detail?.kind === 2) fullGcs++;
    }
  }).observe({ entryTypes: ['gc'] });
  let since = performance.now();
  return (m) => {
    frames++;
    ms += m.renderTime;
    if (performance.now() - since >= 1000) {
      // And the memory, by kind: what the heap holds against what the process holds (MB).
      const memory = Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]);
      const tenths = (x: number) => Math.round(x * 10) / 10;
      const second = { frames, ms: tenths(ms), gcs, fullGcs, gcMs: tenths(gcMs), ...Object.fromEntries(memory) };
      appendFileSync(file, `${JSON.stringify(second)}\n`);
      frames = 0;
      ms = 0;
      gcs = 0;
      gcMs = 0;
      fullGcs = 0;
      since = performance.now();
    }
  };
}
