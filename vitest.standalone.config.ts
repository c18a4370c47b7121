import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The node tiers again with the single file (KUBESUP_BUILD=standalone), in nodes where Node.js is unusable.
// Only what the single file changes: the Bun runtime (terminal, signals, child processes, a lost SSH link), the
// embedded agent and start-line sources, glibc 2.17, and the tool called from the node's own files (the wrapper
// and kubelet.service's face). Pure decisions (hostile input, other units, the engine's reading of supervisord)
// are the same code in both builds and run once, in the main tier; so are the stand-in node's migrate.test.ts and
// real systemd's day2, whose paths the single file walks in standalone.systemd (migrate, an upgrade through the
// wrapper's copy of the single file, the monitor, rollback).
export default defineConfig({
  ...base,
  // Not merged: vitest's mergeConfig would add these files to the main tier's include instead of replacing it.
  test: {
    ...base.test,
    include: [
      'test/node/status.test.ts',
      'test/node/detect.test.ts',
      'test/node/detect-foreign.test.ts',
      'test/node/old-node.test.ts',
      'test/node/faults.test.ts',
      'test/node/terminal-loss.test.ts',
      'test/node/tui.e2e.test.ts',
      'test/node/loaded-node.test.ts',
      'test/node/agent-metrics.test.ts',
      'test/node/real-daemons.test.ts',
      'test/systemd/standalone.systemd.test.ts',
      'test/systemd/agent.systemd.test.ts',
    ],
  },
});
