// The sizes of the memory pressure the README's crash and the TUI test are made with (test/node/memory-pressure.ts):
// whatever the node has free, the threshold is under it, kubelet is the one the OOM killer picks, the hog alone
// fits after the crash and keeps the node below the threshold, and the machine lends at most 4 GiB.
import { describe, expect, it } from 'vitest';
import { planPressure } from '../node/memory-pressure.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
/** What else supervisord's cgroup holds (supervisord, node-exporter, the wrapper, page cache), at most. */
const OTHERS = 100 * MiB;

describe('planPressure', () => {
  for (const available of [3.3 * GiB, 19.25 * GiB, 20.24 * GiB, 22.8 * GiB, 22.3 * GiB + 1]) {
    it(`with ${(available / GiB).toFixed(2)} GiB available`, () => {
      const p = planPressure(available);
      const threshold = p.thresholdGiB * GiB;
      // Under what is available now, so the monitor opens before the pressure, not over.
      expect(threshold).toBeLessThanOrEqual(available - 256 * MiB);
      // kubelet grown: still fits its cgroup, and the node is below the threshold.
      expect(p.kubeletMiB * MiB + OTHERS).toBeLessThan(p.limitMiB * MiB);
      expect(available - p.kubeletMiB * MiB).toBeLessThan(threshold);
      // The hog cannot fit beside it: the cgroup fills while the hog is still smaller than kubelet.
      expect(p.kubeletMiB + p.hogMiB).toBeGreaterThan(p.limitMiB);
      expect(p.limitMiB - p.kubeletMiB).toBeLessThan(p.kubeletMiB);
      // After the crash the hog fits with a new, small kubelet, and keeps the node 640 MiB below the threshold.
      expect(p.hogMiB * MiB + OTHERS).toBeLessThan(p.limitMiB * MiB);
      expect(threshold - (available - p.hogMiB * MiB)).toBeGreaterThanOrEqual(640 * MiB);
      expect(p.limitMiB).toBeLessThanOrEqual(4096);
    });
  }
});
