/** Finds supervisord's latest start line in its main log file, reading backwards from the end (local nodes). */
import fs from 'node:fs/promises';
import { lastStartOffset } from '../core/monitor/restart-history.js';

const CHUNK = 256 * 1024;

export async function findMainLogStart(logPath: string): Promise<number | undefined> {
  const handle = await fs.open(logPath, 'r');
  try {
    const { size } = await handle.stat();
    // Grow the window from the end until it holds a start line, or is the whole file.
    for (let window = CHUNK; ; window *= 4) {
      const from = Math.max(0, size - window);
      const buf = Buffer.alloc(size - from);
      await handle.read(buf, 0, buf.length, from);
      const found = lastStartOffset(buf, from);
      if (found !== undefined) return found;
      if (from === 0) return undefined;
    }
  } finally {
    await handle.close();
  }
}
