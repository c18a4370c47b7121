/**
 * KUBESUP_RENDER_STATS=FILE: the frames Ink drew and their cost, one JSON line a second, for bench/. A file
 * written by the process itself, so it lives here with the other adapters.
 */
import { appendFileSync } from 'node:fs';

export function renderStats(file: string): (m: { renderTime: number }) => void {
  let frames = 0;
  let ms = 0;
  let since = performance.now();
  return (m) => {
    frames++;
    ms += m.renderTime;
    if (performance.now() - since >= 1000) {
      // And the memory, by kind: what the heap holds against what the process holds (MB).
      const memory = Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]);
      appendFileSync(
        file,
        `${JSON.stringify({ frames, ms: Math.round(ms * 10) / 10, ...Object.fromEntries(memory) })}\n`,
      );
      frames = 0;
      ms = 0;
      since = performance.now();
    }
  };
}
