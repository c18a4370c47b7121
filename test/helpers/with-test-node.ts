// One test node per describe block: booted before its tests (and made ready), torn down after them.
// The reasons to skip live in skips.ts (no vitest there: the benchmarks use them too).
import { afterAll, beforeAll, type RunnerTestSuite } from 'vitest';
import { type LayoutName, TestNode } from '../node/test-node.js';
import { skipTestNode } from './skips.js';

/** Marks every test of the block skipped, saying why once (vitest has no skip from a beforeAll). */
function skipSuite(suite: RunnerTestSuite, reason: string): void {
  console.warn(`skipped "${suite.name}": ${reason}`);
  const mark = (s: RunnerTestSuite): void => {
    for (const task of s.tasks)
      if (task.type === 'suite') mark(task);
      else task.mode = 'skip';
  };
  mark(suite);
}

/** How long a node may take to boot and be made ready before its block fails. */
const BOOT_TIMEOUT_MS = 240_000;

/**
 * Boots a node with `up` before the block's tests and tears it down after. Returns the node itself, usable in
 * the tests as if it were the node (a stand-in that forwards to it once it is up).
 */
export function withNode<N extends { down(): Promise<void> }>(
  what: string,
  up: () => Promise<N>,
  ready?: (node: N) => Promise<unknown>,
  /** Why this machine cannot run the block (what to install), or undefined; the block is then skipped. */
  skip?: () => string | undefined,
): N {
  let current: N | undefined;
  // The boot itself, kept: when the hook times out before it ends, afterAll still takes the node down once it is
  // up, instead of leaving it running on the machine.
  let booting: Promise<N> | undefined;
  beforeAll(async (suite) => {
    const reason = skip?.();
    if (reason) return skipSuite(suite, reason);
    booting = up();
    current = await booting;
    await ready?.(current);
    // A node's boot (systemd as PID 1 under nspawn, or the stand-in's supervisord and kubelet) takes seconds on a
    // quiet machine and well over a minute on a loaded one: a slow boot is not what the block tests.
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    const node = current ?? (await booting?.catch(() => undefined));
    await node?.down();
  });
  return new Proxy({} as N, {
    get(_, property) {
      if (!current) throw new Error(`the ${what} node is not up (used outside a test?)`);
      const value = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/** The stand-in test node of `layout` for this describe block. */
export function withTestNode(layout: LayoutName, ready?: (node: TestNode) => Promise<unknown>): TestNode {
  // The CentOS 7 reference layout runs EPEL's supervisord 3.4.0 (Python 2.7).
  const release = layout === 'kubekey-centos7' ? '3.4.0' : 'debian';
  return withNode(
    layout,
    () => TestNode.up(layout),
    ready,
    () => skipTestNode(release),
  );
}

export { cannotRun, missingCommand, requirePackage, skipSystemdNode, skipTestNode, skipWithout } from './skips.js';
