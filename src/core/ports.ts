/**
 * The small interfaces through which core/ logic reaches the world. adapters/ implements them for a real
 * node; tests hand in sandboxed or fake ones. Nothing in core/ imports node:fs or node:child_process.
 */
import type { RpcValue } from './xmlrpc.js';

/** One XML-RPC call to supervisord. */
export interface RpcTransport {
  call(method: string, params?: readonly RpcValue[], timeoutMs?: number): Promise<RpcValue>;
}

/** Read-only view of the node's files (detection and planning never write). */
export interface FileReader {
  /** The file's bytes, or undefined when it does not exist. Other errors (EACCES, EISDIR) throw. */
  read(path: string): Promise<Buffer | undefined>;
  /** Names in a directory, sorted; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** Where a symlink points, or undefined when the path is not a symlink. */
  readLink(path: string): Promise<string | undefined>;
}

/** The result of running a command: never throws for a non-zero exit. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunner {
  run(file: string, args: readonly string[], options?: { timeoutMs?: number; input?: string }): Promise<CommandResult>;
}
