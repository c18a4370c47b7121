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

/**
 * argv that runs kubesup-tui with `args` as an unprivileged user (uid 65534), from a copy of the build that
 * user can read: the clone itself may sit in a folder only root can enter (/root, or a `mktemp -d`).
 */
export async function kubesupArgvAsNobody(node: NodeShell, ...args: string[]): Promise<string[]> {
  const dir = '/usr/local/lib/kubesup-test-tool';
  const what = BUILD === 'standalone' ? [STANDALONE] : [path.dirname(BIN), path.join(REPO_ROOT, 'dist')];
  await node.sh(`rm -rf ${dir} && mkdir -p ${dir} && cp -r ${what.join(' ')} ${dir}/ && chmod -R a+rX ${dir}`);
  const tool =
    BUILD === 'standalone'
      ? [path.join(dir, path.basename(STANDALONE))]
      : ['node', path.join(dir, 'bin/kubesup-tui.js')];
  return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...tool, ...args];
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
