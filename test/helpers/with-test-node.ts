// One test node per describe block: booted before its tests (and made ready), torn down after them.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, type RunnerTestSuite } from 'vitest';
import { type SupervisorRelease, skipRelease } from '../node/supervisor-releases.js';
import { type LayoutName, missingPrerequisite, TestNode } from '../node/test-node.js';
import { missingSystemdPrerequisite } from '../systemd/systemd-node.js';

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
  });
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

/**
 * Why a stand-in test node running `release` cannot be built here (what to install), or undefined; under
 * KUBESUP_REQUIRE_ALL=1 (CI) it throws instead, so that CI cannot pass by skipping.
 */
export function skipTestNode(release: SupervisorRelease): string | undefined {
  return requirePackage(missingPrerequisite()) ?? skipRelease(release);
}

/** Why a real-systemd node cannot boot here (what to install), or undefined; throws under KUBESUP_REQUIRE_ALL=1. */
export function skipSystemdNode(): string | undefined {
  return requirePackage(missingSystemdPrerequisite());
}

/** The first of `needs` (command, Debian package) missing here, as a one-line reason; else undefined. */
export function missingCommand(needs: ReadonlyArray<readonly [command: string, pkg: string]>): string | undefined {
  for (const [command, pkg] of needs)
    if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0)
      return `${command} is missing (apt-get install -y --no-install-recommends ${pkg})`;
  return undefined;
}

/** Why a test needing these commands cannot run here (the package to install), or undefined; as above. */
export function skipWithout(commands: Readonly<Record<string, string>>): string | undefined {
  return requirePackage(missingCommand(Object.entries(commands)));
}

/**
 * For `describe.skipIf(cannotRun(...))`: true when there is a reason, which it prints once, so a person running
 * the tests sees what to install.
 */
export function cannotRun(what: string, reason: string | undefined): boolean {
  if (reason) console.warn(`skipped "${what}": ${reason}`);
  return reason !== undefined;
}

/** A missing prerequisite, or a failure under KUBESUP_REQUIRE_ALL=1 (CI), which must not pass by skipping. */
export function requirePackage(missing: string | undefined): string | undefined {
  if (missing && process.env.KUBESUP_REQUIRE_ALL === '1') throw new Error(`KUBESUP_REQUIRE_ALL=1: ${missing}`);
  return missing;
}
