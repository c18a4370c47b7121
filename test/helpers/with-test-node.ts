// One test node per describe block: booted before its tests (and made ready), torn down after them.
import { afterAll, beforeAll } from 'vitest';
import { type LayoutName, TestNode } from '../node/test-node.js';

/**
 * Boots a node with `up` before the block's tests and tears it down after. Returns the node itself, usable in
 * the tests as if it were the node (a stand-in that forwards to it once it is up).
 */
export function withNode<N extends { down(): Promise<void> }>(
  what: string,
  up: () => Promise<N>,
  ready?: (node: N) => Promise<unknown>,
): N {
  let current: N | undefined;
  beforeAll(async () => {
    current = await up();
    await ready?.(current);
  });
  afterAll(async () => {
    await current?.down();
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
  return withNode(layout, () => TestNode.up(layout), ready);
}
