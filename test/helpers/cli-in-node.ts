// Runs the built kubesup-tui inside a test node, as root on that node would.
import path from 'node:path';
import { REPO_ROOT } from '../node/test-node.js';
import type { ExecResult, NodeShell } from './node-shell.js';

export const BIN = path.join(REPO_ROOT, 'bin', 'kubesup-tui.js');
export const STANDALONE = path.join(REPO_ROOT, 'dist/standalone/kubesup-tui-linux-x64');

/**
 * Which build the node tests run: the npm package under Node.js (default), or with KUBESUP_BUILD=standalone
 * the single file, in nodes where Node.js is made unusable (so a hidden need for it fails the test).
 */
export const BUILD: 'npm' | 'standalone' = process.env.KUBESUP_BUILD === 'standalone' ? 'standalone' : 'npm';

/** argv that runs kubesup-tui with `args` in a node, in the build under test. */
export function kubesupArgv(...args: string[]): string[] {
  return BUILD === 'standalone' ? [STANDALONE, ...args] : ['node', BIN, ...args];
}

export function kubesup(
  node: NodeShell,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return node.exec(kubesupArgv(...args), options);
}

export async function kubesupJson<T = any>(
  node: NodeShell,
  args: readonly string[],
): Promise<{ exitCode: number; json: T; stderr: string }> {
  const r = await kubesup(node, [...args, '--json']);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`);
  }
  return { exitCode: r.exitCode, json, stderr: r.stderr };
}
