/**
 * Typed calls to supervisord's XML-RPC interface (namespace `supervisor.`), over any RpcTransport.
 */
import type { RpcTransport } from '../host.js';
import { RpcFault, type RpcValue } from './xmlrpc.js';

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

const STATE_NAMES = new Set<string>(['STOPPED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED', 'FATAL', 'UNKNOWN']);

function asStruct(value: RpcValue): Record<string, RpcValue> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('unexpected answer from supervisord (expected a struct)');
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

export function createSupervisorApi(transport: RpcTransport) {
  const call = (method: string, ...params: RpcValue[]) => transport.call(method, params);
  return {
    async getPID(): Promise<number> {
      return Number(await call('supervisor.getPID'));
    },
  };
}

export type SupervisorApi = ReturnType<typeof createSupervisorApi>;
