/**
 * supervisord in memory, answering the XML-RPC calls kubesup-tui makes, with supervisord's fault codes and
 * its main-log lines: it reads its config and [include] files from the fake file system, runs programs as
 * fake processes, and restarts a program that dies (autorestart). Faults can be injected per method.
 */
import path from 'node:path';
import type { ConnectOptions, SupervisorConnection } from '../../../src/core/host.js';
import { getValue, parseSupervisorConfig, type SupervisorConfig } from '../../../src/core/supervisor/config.js';
import { FaultCode, RpcFault, RpcHttpError, type RpcValue } from '../../../src/core/supervisor/xmlrpc.js';
import type { ManualClock } from './clock.js';
import type { FakeFiles } from './files.js';
import type { FakeProcesses } from './processes.js';

export interface FakeProgram {
  readonly name: string;
  command: string;
  logfile: string;
  state: 'STOPPED' | 'RUNNING' | 'EXITED' | 'FATAL' | 'BACKOFF';
  pid: number;
  start: number;
  stop: number;
  exitstatus: number;
  log: Buffer;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export class FakeSupervisord {
  running = false;
  pid = 0;
  readonly groups = new Map<string, FakeProgram>();
  mainLog = Buffer.alloc(0);
  /** XML-RPC methods that answer once with this fault instead (e.g. 'supervisor.addProcessGroup' -> 50). */
  readonly faults = new Map<string, number>();
  readonly calls: string[] = [];
  /** The credentials its server section asks for; a connection with others gets HTTP 401. */
  credentials: { readonly username: string; readonly password: string } | null = null;
  /** Stopped (SIGSTOP): calls time out, yet `thaw` carries them out in order, as the real one does on waking. */
  frozen = false;
  /** When a freeze ends by itself (the clock's time), if it does. */
  thawAt = Number.POSITIVE_INFINITY;
  private readonly held: { method: string; params: readonly RpcValue[] }[] = [];
  /** What a program's process runs: its command's words by default (a test maps a wrapper to kubelet). */
  spawnArgv: (name: string, command: string) => string[] = (_name, command) => command.split(/\s+/);
  /** The environment the spawned process ends up with (a wrapper's exports). */
  spawnEnv: (name: string, command: string) => Record<string, string> = () => ({});
  private configured = new Map<string, { command: string; logfile: string }>();

  constructor(
    private readonly files: FakeFiles,
    private readonly procs: FakeProcesses,
    private readonly clock: ManualClock,
    readonly configPath: string,
  ) {}

  private logLine(text: string): void {
    const d = new Date(this.clock.now());
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
    this.mainLog = Buffer.concat([this.mainLog, Buffer.from(`${day} ${time} INFO ${text}\n`)]);
  }

  private readConfig(): Map<string, { command: string; logfile: string }> {
    const text = this.files.text(this.configPath);
    if (text === undefined) throw new RpcFault(FaultCode.CANT_REREAD, `could not read ${this.configPath}`);
    const sources: SupervisorConfig[] = [parseSupervisorConfig(text, this.configPath)];
    const include = getValue(sources[0] as SupervisorConfig, 'include', 'files');
    for (const pattern of include?.split(/\s+/).filter(Boolean) ?? []) {
      const abs = path.posix.resolve(path.posix.dirname(this.configPath), pattern);
      const ext = path.posix.basename(abs).replace(/^\*/, '');
      for (const [p, e] of this.files.entries) {
        if (path.posix.dirname(p) === path.posix.dirname(abs) && p.endsWith(ext))
          sources.push(parseSupervisorConfig(e.data.toString('utf8'), p));
      }
    }
    const out = new Map<string, { command: string; logfile: string }>();
    for (const s of sources) {
      for (const [section, keys] of s.sections) {
        const name = /^(?:program|eventlistener):(.+)$/.exec(section)?.[1]; // a listener runs as a program does
        if (!name) continue;
        out.set(name, {
          command: keys.get('command')?.value ?? '',
          logfile: keys.get('stdout_logfile')?.value ?? `/var/log/supervisor/${name}.log`,
        });
      }
    }
    return out;
  }

  start(): void {
    if (this.running) return;
    this.configured = this.readConfig();
    this.running = true;
    this.pid = this.procs.spawn(['/usr/bin/python3', '/usr/bin/supervisord', '-c', this.configPath], {
      comm: 'supervisord',
    });
    this.logLine(`supervisord started with pid ${this.pid}`);
    for (const [name, c] of this.configured) this.add(name, c);
  }

  stop(): void {
    for (const p of this.groups.values()) this.stopProgram(p);
    this.groups.clear();
    this.procs.kill(this.pid);
    this.running = false;
  }

  private add(name: string, c: { command: string; logfile: string }): void {
    const p: FakeProgram = {
      name,
      ...c,
      state: 'STOPPED',
      pid: 0,
      start: 0,
      stop: 0,
      exitstatus: 0,
      log: Buffer.alloc(0),
    };
    this.groups.set(name, p);
    this.spawn(p);
  }

  private spawn(p: FakeProgram): void {
    p.pid = this.procs.spawn(this.spawnArgv(p.name, p.command), {
      ppid: this.pid,
      environ: this.spawnEnv(p.name, p.command),
    });
    p.state = 'RUNNING';
    p.start = Math.floor(this.clock.now() / 1000);
    this.logLine(`spawned: '${p.name}' with pid ${p.pid}`);
    this.logLine(`success: ${p.name} entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)`);
  }

  private stopProgram(p: FakeProgram): void {
    if (p.state !== 'RUNNING') return;
    this.procs.kill(p.pid);
    p.state = 'STOPPED';
    p.pid = 0;
    p.stop = Math.floor(this.clock.now() / 1000);
    this.logLine(`stopped: ${p.name} (terminated by SIGTERM)`);
  }

  /** The program's process dies (kill -9 by default); supervisord logs it and starts it again. */
  crash(name: string, how: { signal?: string; status?: number } = { signal: 'SIGKILL' }): void {
    const p = this.groups.get(name);
    if (p?.state !== 'RUNNING') throw new Error(`${name} is not running`);
    this.procs.kill(p.pid);
    p.exitstatus = how.status ?? 0;
    p.stop = Math.floor(this.clock.now() / 1000);
    this.logLine(
      `exited: ${name} (${how.signal ? `terminated by ${how.signal}` : `exit status ${how.status}`}; not expected)`,
    );
    this.spawn(p);
  }

  /** Appends to a program's stdout log. */
  write(name: string, text: string): void {
    const p = this.groups.get(name) as FakeProgram;
    p.log = Buffer.concat([p.log, Buffer.from(text)]);
  }

  private info(p: FakeProgram): RpcValue {
    return {
      name: p.name,
      group: p.name,
      statename: p.state,
      state: 0,
      pid: p.pid,
      start: p.start,
      stop: p.stop,
      now: Math.floor(this.clock.now() / 1000),
      exitstatus: p.exitstatus,
      spawnerr: '',
      description: p.state === 'RUNNING' ? `pid ${p.pid}` : '',
      stdout_logfile: p.logfile,
      stderr_logfile: '',
    };
  }

  private program(name: RpcValue | undefined): FakeProgram {
    const p = this.groups.get(String(name));
    if (!p) throw new RpcFault(FaultCode.BAD_NAME, `BAD_NAME: ${String(name)}`);
    return p;
  }

  private static range(data: Buffer, offset: number, length: number): string {
    const bytes = data.subarray(offset, offset + length);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new RpcHttpError(500, 'supervisord answered HTTP 500 (a range that splits a character)');
    }
  }

  dispatch(method: string, params: readonly RpcValue[]): RpcValue {
    this.calls.push(method);
    const fault = this.faults.get(method);
    if (fault !== undefined) {
      this.faults.delete(method);
      throw new RpcFault(fault, `injected fault ${fault}`);
    }
    const [a, b, c] = params;
    switch (method) {
      case 'system.multicall':
        return (a as { methodName: string; params: RpcValue[] }[]).map((call) => {
          try {
            return this.dispatch(call.methodName, call.params);
          } catch (error) {
            if (error instanceof RpcFault) return { faultCode: error.code, faultString: error.faultString };
            return { faultCode: FaultCode.FAILED, faultString: (error as Error).message };
          }
        });
      case 'supervisor.getState':
        return { statename: 'RUNNING', statecode: 1 };
      case 'supervisor.getPID':
        return this.pid;
      case 'supervisor.getAllProcessInfo':
        return [...this.groups.values()].map((p) => this.info(p));
      case 'supervisor.getProcessInfo':
        return this.info(this.program(a));
      case 'supervisor.reloadConfig': {
        this.configured = this.readConfig();
        const added = [...this.configured.keys()].filter((n) => !this.groups.has(n));
        const changed = [...this.configured.keys()].filter(
          (n) => this.groups.has(n) && this.groups.get(n)?.command !== this.configured.get(n)?.command,
        );
        const removed = [...this.groups.keys()].filter((n) => !this.configured.has(n));
        return [[added, changed, removed]];
      }
      case 'supervisor.addProcessGroup': {
        const name = String(a);
        if (this.groups.has(name)) throw new RpcFault(FaultCode.ALREADY_ADDED, `ALREADY_ADDED: ${name}`);
        const c = this.configured.get(name);
        if (!c) throw new RpcFault(FaultCode.BAD_NAME, `BAD_NAME: ${name}`);
        this.add(name, c);
        return true;
      }
      case 'supervisor.removeProcessGroup': {
        const p = this.program(a);
        if (p.state === 'RUNNING') throw new RpcFault(FaultCode.STILL_RUNNING, `STILL_RUNNING: ${p.name}`);
        this.groups.delete(p.name);
        return true;
      }
      case 'supervisor.startProcess': {
        const p = this.program(a);
        if (p.state === 'RUNNING') throw new RpcFault(FaultCode.ALREADY_STARTED, `ALREADY_STARTED: ${p.name}`);
        this.spawn(p);
        return true;
      }
      case 'supervisor.stopProcess': {
        const p = this.program(a);
        if (p.state !== 'RUNNING') throw new RpcFault(FaultCode.NOT_RUNNING, `NOT_RUNNING: ${p.name}`);
        this.stopProgram(p);
        return true;
      }
      case 'supervisor.readLog':
        return FakeSupervisord.range(this.mainLog, Number(a), Number(b));
      case 'supervisor.readProcessStdoutLog':
        return FakeSupervisord.range(this.program(a).log, Number(b), Number(c));
      case 'supervisor.tailProcessStdoutLog': {
        const log = this.program(a).log;
        return [FakeSupervisord.range(log, Math.max(0, log.length - Number(c)), Number(c)), log.length, false];
      }
      default:
        throw new RpcFault(FaultCode.UNKNOWN_METHOD, `UNKNOWN_METHOD: ${method}`);
    }
  }

  /** Wakes from `frozen`: the calls that timed out meanwhile are carried out now (their callers are gone). */
  thaw(): void {
    this.frozen = false;
    for (const { method, params } of this.held.splice(0)) {
      try {
        this.dispatch(method, params);
      } catch {} // nobody is left to hear a fault
    }
  }

  connect(options: ConnectOptions): SupervisorConnection {
    const where = options.url.replace(/^unix:\/\//, '');
    return {
      call: async (method, params = [], timeoutMs = options.timeoutMs ?? 10_000) => {
        await Promise.resolve();
        if (!this.running)
          throw new Error(`no supervisord socket at ${where} (is supervisord running, and is this the right config?)`);
        const c = this.credentials;
        if (c && (options.username !== c.username || options.password !== c.password))
          throw new Error(`supervisord at ${where} refused the credentials (HTTP 401)`);
        if (this.frozen && this.clock.now() >= this.thawAt) this.thaw();
        if (this.frozen) {
          this.held.push({ method, params });
          await this.clock.sleep(timeoutMs);
          throw new Error(`supervisord at ${where} did not answer ${method} within ${Math.round(timeoutMs / 1000)} s`);
        }
        return this.dispatch(method, params);
      },
      close: () => undefined,
    };
  }
}
