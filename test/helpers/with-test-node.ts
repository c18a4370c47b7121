// One test node per describe block: booted before its tests (and made ready), torn down after them.
import { afterAll, beforeAll } from 'vitest';
import { type LayoutName, TestNode } from '../node/test-node.js';

/**
 * Boots `layout` before the block's tests and tears it down after. Returns the node itself, usable in the
 * tests as if it were a plain TestNode (a stand-in that forwards to the node once it is up).
 */
export function withTestNode(layout: LayoutName, ready?: (node: TestNode) => Promise<unknown>): TestNode {
  let current: TestNode | undefined;
  beforeAll(async () => {
    current = await TestNode.up(layout);
    await ready?.(current);
  });
  afterAll(async () => {
    await current?.down();
  });
  return new Proxy({} as TestNode, {
    get(_, property) {
      if (!current) throw new Error(`the ${layout} test node is not up (used outside a test?)`);
      const value = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
