/**
 * The small interfaces through which core/ logic reaches the world. adapters/ implements them for a real
 * node; tests hand in sandboxed or fake ones. Nothing in core/ imports node:fs or node:child_process.
 */
import type { RpcValue } from './supervisor/xmlrpc.js';

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

/** What /proc tells about one process. Fields are undefined when unreadable (not root, or it exited). */
export interface ProcessRecord {
  readonly pid: number;
  readonly ppid?: number;
  /** /proc/PID/comm: at most 15 characters. */
  readonly comm?: string;
  /** /proc/PID/cmdline split on NUL: the exact argv. */
  readonly argv?: readonly string[];
  /** /proc/PID/exe's target ("... (deleted)" after an upgrade). */
  readonly exe?: string;
  readonly environ?: Readonly<Record<string, string>>;
  /** /proc/PID/cgroup, raw. */
  readonly cgroup?: string;
  /** /proc/PID/ns/pid's target, to tell another pid namespace (kind, containers) from ours. */
  readonly pidNamespace?: string;
  /** Seconds since boot when it started (from /proc/PID/stat), for uptimes. */
  readonly startedAfterBootS?: number;
}

export interface ProcessTable {
  /** Every pid currently in /proc. */
  pids(): Promise<number[]>;
  /** Cheap: comm and exe only, for scanning. */
  brief(pid: number): Promise<ProcessRecord | undefined>;
  /** Everything readable about the process. */
  full(pid: number): Promise<ProcessRecord | undefined>;
  /** Our own pid namespace, to compare with. */
  ownPidNamespace(): Promise<string | undefined>;
}

export interface HttpProbeResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly body?: string;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface HttpProbe {
  get(url: string, timeoutMs: number): Promise<HttpProbeResult>;
}

export interface FileMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** Writes to the node's files. Every write is atomic: a reader sees the old file or the new one, never half. */
export interface FileWriter {
  /** Temporary file in the same folder, fsync, rename over the target, fsync the folder. */
  writeAtomic(path: string, data: string | Buffer, meta: Partial<FileMeta> & { mode: number }): Promise<void>;
  mkdirp(path: string, mode?: number): Promise<void>;
  /** Removes a file; a missing file is fine. */
  remove(path: string): Promise<void>;
  stat(path: string): Promise<FileMeta | undefined>;
}
