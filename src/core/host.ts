/**
 * The Host: everything core/ may touch of the world, handed in as one object. adapters/ implement it for a
 * real node (cli/host.ts wires them); tests hand in test/helpers/fake-host.ts. Nothing in core/ imports
 * node:fs, node:child_process or node:http, or reads the real clock.
 */
/** A value on supervisord's XML-RPC wire; core/supervisor/xmlrpc.ts encodes and decodes it. */
export type RpcValue = string | number | boolean | null | RpcValue[] | { [key: string]: RpcValue };

export interface Host {
  readonly files: FileReader;
  readonly writer: FileWriter;
  readonly procs: ProcessTable;
  readonly cgroups: CgroupWriter;
  readonly runner: CommandRunner;
  readonly http: HttpProbe;
  readonly clock: Clock;
  /** Opens a connection to supervisord's XML-RPC interface (unix socket or TCP). */
  connect(options: ConnectOptions): SupervisorConnection;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly hostname: string;
  readonly isRoot: boolean;
  /** This process's pid (a lock names who holds it). */
  readonly pid: number;
}

/** Time, so that tests can move it by hand: every wait and every timer in core/ goes through it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Runs `fn` once after `ms`; the returned function cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

/** One XML-RPC call to supervisord. */
export interface RpcTransport {
  call(method: string, params?: readonly RpcValue[], timeoutMs?: number): Promise<RpcValue>;
}

/** A connection to supervisord; close it when done (it keeps one socket open between calls). */
export interface SupervisorConnection extends RpcTransport {
  close(): void;
}

export interface ConnectOptions {
  /** `unix:///run/supervisor.sock` or `http://127.0.0.1:9001`. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Per-call timeout; startProcess(wait=true) waits for startsecs, so callers raise it. */
  readonly timeoutMs?: number;
}

/** Read-only view of the node's files (detection and planning never write). */
export interface FileReader {
  /** The file's bytes, or undefined when it does not exist. Other errors (EACCES, EISDIR) throw. */
  read(path: string): Promise<Buffer | undefined>;
  /** Names in a directory, sorted; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** Where a symlink points, or undefined when the path is not a symlink. */
  readLink(path: string): Promise<string | undefined>;
  /** Whether anything (file, folder, link) is at the path, without reading it. */
  exists(path: string): Promise<boolean>;
  /**
   * Up to `length` bytes from `offset`, no more than the file's size says it holds (a regular file: /proc's
   * files say 0); undefined when the file does not exist.
   */
  readRange(path: string, offset: number, length: number): Promise<Buffer | undefined>;
  /** The file's size in bytes; undefined when it does not exist. */
  size(path: string): Promise<number | undefined>;
  /** The free and total space of the filesystem holding the path (statfs); undefined when it does not exist. */
  space(path: string): Promise<{ readonly availBytes: number; readonly totalBytes: number } | undefined>;
  /**
   * Calls `onChange` when the file (or one named after it: a rotation) changes; best effort, nothing when it
   * cannot watch. Returns how to stop. Never keeps the process alive by itself.
   */
  watch(path: string, onChange: () => void): () => void;
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

/** Moves processes between cgroups: the one write to the kernel's files core asks for. */
export interface CgroupWriter {
  /**
   * Writes `pid` into `folder`/cgroup.procs: the kernel moves the process, every thread of it. `folder` must be
   * a cgroup's, on a cgroup file system; nothing is created. Throws with the kernel's reason (ESRCH: it has
   * exited; ENOENT: no such cgroup).
   */
  moveProcess(pid: number, folder: string): Promise<void>;
}

export interface HttpProbeResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly body?: string;
  readonly latencyMs: number;
  readonly error?: string;
}

/** Client certificate, key and trusted CA (their bytes), for an https health endpoint such as etcd's. */
export interface TlsClient {
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly ca?: Buffer;
}

/** Probes of a service's health: an HTTP(S) GET, or a connection to its unix socket. */
export interface HttpProbe {
  get(url: string, timeoutMs: number, tls?: TlsClient): Promise<HttpProbeResult>;
  /** Connects to a unix socket and closes it: ok when something accepts. */
  connect?(socketPath: string, timeoutMs: number): Promise<HttpProbeResult>;
}

export interface FileMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Writes to the node's files. Every write is atomic: a reader sees the old file or the new one, never half.
 * Every write (writeAtomic, mkdirp, append, createExclusive, symlink) first checks its folder as `unsafeFolder`
 * does and throws with that reason, writing nothing, when someone other than root could change it.
 */
export interface FileWriter {
  /**
   * Temporary file in the same folder, fsync, rename over the target, fsync the folder. A link at the target is
   * replaced, never followed (a caller that means to write through a link resolves it first).
   */
  writeAtomic(path: string, data: string | Buffer, meta: Partial<FileMeta> & { mode: number }): Promise<void>;
  mkdirp(path: string, mode?: number): Promise<void>;
  /** Removes a file; a missing file is fine. */
  remove(path: string): Promise<void>;
  /** Appends to a file (created when missing): a log that outlives the terminal. A link at the path throws. */
  append(path: string, data: string, mode?: number): Promise<void>;
  /** Creates a file that must not exist yet; false (and nothing written) when it does. */
  createExclusive(path: string, data: string, mode: number): Promise<boolean>;
  /** Makes `path` a symlink to `target` (replacing what is there, atomically). */
  symlink(target: string, path: string): Promise<void>;
  /** The path's own mode and owner: a link's, not its target's (lstat). */
  stat(path: string): Promise<FileMeta | undefined>;
  /**
   * Why a folder is not safe to write in, or null when it is: each folder on its way must be root's and writable
   * by root alone (or root's group; a sticky one, like /tmp, may be crossed but not written in), each link on the
   * way root's.
   * Folders not made yet are fine (they are made root's).
   */
  unsafeFolder(dir: string): Promise<string | null>;
}
