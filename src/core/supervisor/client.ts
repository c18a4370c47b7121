/**
 * Typed calls to supervisord's XML-RPC interface (namespace `supervisor.`), over any RpcTransport.
 */
import type { RpcTransport } from '../host.js';
import { FaultCode, NotXmlRpc, RpcFault, type RpcValue } from './xmlrpc.js';

/** supervisord's process states (supervisor/states.py). */
export type ProcessStateName =
  | 'STOPPED'
  | 'STARTING'
  | 'RUNNING'
  | 'BACKOFF'
  | 'STOPPING'
  | 'EXITED'
  | 'FATAL'
  | 'UNKNOWN';

export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  readonly state: ProcessStateName;
  /** 0 when not running. */
  readonly pid: number;
  /** Seconds since the epoch (int32 from supervisord). */
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly exitstatus: number;
  readonly spawnerr: string;
  readonly description: string;
  readonly stdoutLogfile: string;
  readonly stderrLogfile: string;
}

export interface SupervisorState {
  /** RUNNING, RESTARTING, SHUTDOWN or FATAL. */
  readonly statename: string;
  readonly statecode: number;
}

const STATE_NAMES = new Set<string>([
  'STOPPED',
  'STARTING',
  'RUNNING',
  'BACKOFF',
  'STOPPING',
  'EXITED',
  'FATAL',
  'UNKNOWN',
]);

function asStruct(value: RpcValue): Record<string, RpcValue> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new NotXmlRpc('unexpected answer from supervisord (expected a struct)');
  }
  return value;
}

export function toProcessInfo(value: RpcValue): ProcessInfo {
  const s = asStruct(value);
  const statename = String(s.statename ?? 'UNKNOWN');
  return {
    name: String(s.name ?? ''),
    group: String(s.group ?? ''),
    state: (STATE_NAMES.has(statename) ? statename : 'UNKNOWN') as ProcessStateName,
    pid: Number(s.pid ?? 0),
    start: Number(s.start ?? 0),
    stop: Number(s.stop ?? 0),
    now: Number(s.now ?? 0),
    exitstatus: Number(s.exitstatus ?? 0),
    spawnerr: String(s.spawnerr ?? ''),
    description: String(s.description ?? ''),
    stdoutLogfile: String(s.stdout_logfile ?? s.logfile ?? ''),
    stderrLogfile: String(s.stderr_logfile ?? ''),
  };
}

/** `group:name`, or `name` when the group is the program itself (supervisorctl's convention). */
export function namespec(p: Pick<ProcessInfo, 'name' | 'group'>): string {
  return p.group === p.name ? p.name : `${p.group}:${p.name}`;
}

/**
 * supervisord's own system.multicall (supervisor/xmlrpc.py) answers each call with its bare result, or with a
 * `{faultCode, faultString}` struct when that call failed; not the `[result]` wrapping of the XML-RPC convention.
 */
export function unwrapMulticall(entry: RpcValue | undefined): RpcValue {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && 'faultCode' in entry) {
    throw new RpcFault(Number(entry.faultCode), String(entry.faultString ?? 'unknown fault'));
  }
  return entry ?? null;
}

/** What reloadConfig found changed in the config files (it starts and stops nothing itself). */
export interface ConfigChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** One call inside a system.multicall. */
export interface MulticallEntry {
  readonly methodName: string;
  readonly params: readonly RpcValue[];
}

const strings = (v: RpcValue | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);

export function supervisorClient(transport: RpcTransport) {
  const call = (method: string, params: readonly RpcValue[] = [], timeoutMs?: number) =>
    transport.call(`supervisor.${method}`, params, timeoutMs);
  return {
    async getState(): Promise<SupervisorState> {
      const s = asStruct(await call('getState'));
      return { statename: String(s.statename), statecode: Number(s.statecode) };
    },
    async getPID(): Promise<number> {
      return Number(await call('getPID'));
    },
    async getAllProcessInfo(): Promise<ProcessInfo[]> {
      const all = await call('getAllProcessInfo');
      return (Array.isArray(all) ? all : []).map(toProcessInfo);
    },
    async getProcessInfo(name: string): Promise<ProcessInfo> {
      return toProcessInfo(await call('getProcessInfo', [name]));
    },
    async reloadConfig(): Promise<ConfigChanges> {
      const answer = await call('reloadConfig');
      const [added, changed, removed] = (
        Array.isArray(answer) && Array.isArray(answer[0]) ? answer[0] : []
      ) as RpcValue[];
      return { added: strings(added), changed: strings(changed), removed: strings(removed) };
    },
    async addProcessGroup(name: string): Promise<void> {
      await call('addProcessGroup', [name]);
    },
    async removeProcessGroup(name: string): Promise<void> {
      await call('removeProcessGroup', [name]);
    },
    /** With wait, supervisord answers once the program is RUNNING (startsecs) or has failed. */
    async startProcess(name: string, wait: boolean, timeoutMs?: number): Promise<void> {
      await call('startProcess', [name, wait], timeoutMs);
    },
    async stopProcess(name: string, wait: boolean, timeoutMs?: number): Promise<void> {
      await call('stopProcess', [name, wait], timeoutMs);
    },
    async readLog(offset: number, length: number): Promise<string> {
      return String(await call('readLog', [offset, length]));
    },
    async readProcessStdoutLog(name: string, offset: number, length: number): Promise<string> {
      return String(await call('readProcessStdoutLog', [name, offset, length]));
    },
    /** The log's size in bytes (tailProcessStdoutLog answers [bytes, offset, overflow]). */
    async stdoutLogSize(name: string): Promise<number> {
      const answer = await call('tailProcessStdoutLog', [name, 0, 0]);
      return Array.isArray(answer) ? Number(answer[1]) : 0;
    },
    /** Several calls in one round trip; each answer is unwrapped with unwrapMulticall. */
    async multicall(calls: readonly MulticallEntry[]): Promise<RpcValue[]> {
      const answer = await transport.call('system.multicall', [
        calls.map((c) => ({ methodName: c.methodName, params: [...c.params] })),
      ]);
      if (!Array.isArray(answer)) throw new NotXmlRpc('unexpected answer from supervisord to system.multicall');
      return answer;
    },
  };
}

export type SupervisorClient = ReturnType<typeof supervisorClient>;

/**
 * For `.catch()`: swallows the named faults (an expected answer, such as ALREADY_ADDED on a resume),
 * rethrows the rest.
 */
export function ignoreFaults(...codes: number[]): (error: unknown) => void {
  return (error) => {
    if (!isFault(error, ...codes)) throw error;
  };
}

export function isFault(error: unknown, ...codes: number[]): error is RpcFault {
  return error instanceof RpcFault && codes.includes(error.code);
}

/** supervisord's faults as one line a person can act on. */
export function explainFault(error: unknown): string {
  if (!(error instanceof RpcFault)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case FaultCode.BAD_NAME:
      return 'no such program in supervisord';
    case FaultCode.ALREADY_STARTED:
      return 'already running';
    case FaultCode.NOT_RUNNING:
      return 'not running';
    case FaultCode.SPAWN_ERROR:
      return 'supervisord could not spawn it (see its log)';
    case FaultCode.ABNORMAL_TERMINATION:
      return 'it exited before reaching RUNNING (see its log)';
    case FaultCode.NO_FILE:
      return 'its command was not found';
    case FaultCode.NOT_EXECUTABLE:
      return 'its command is not executable';
    case FaultCode.SHUTDOWN_STATE:
      return 'supervisord is restarting or shutting down';
    default:
      return error.faultString;
  }
}

/** Why supervisord could not be polled, in one line: restarting, or what the connection said. */
export function describeFailure(error: unknown): string {
  if (isFault(error, FaultCode.SHUTDOWN_STATE)) return 'supervisord is restarting or shutting down';
  return error instanceof Error ? error.message : String(error);
}
