// Runs the built kubesup-tui inside a test node, as root on that node would.
import path from 'node:path';
import { REPO_ROOT } from '../node/test-node.js';
import type { ExecResult, NodeShell } from './node-shell.js';

export const BIN = path.join(REPO_ROOT, 'bin', 'kubesup-tui.js');

export function kubesup(
  node: NodeShell,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return node.exec(['node', BIN, ...args], options);
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
