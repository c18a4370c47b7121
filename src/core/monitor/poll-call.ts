/**
 * The monitor's one request per poll: a system.multicall of supervisord's state, every process, its pid (only
 * until it is known: a new pid is learnt from a reconnect) and the followed log's next range; and its answer.
 */
import { type MulticallEntry, type ProcessInfo, toProcessInfo, unwrapMulticall } from '../supervisor/client.js';
import type { RpcValue } from '../supervisor/xmlrpc.js';

export interface PlannedLogRead {
  readonly program: string;
  readonly offset: number;
  readonly length: number;
}

export interface PollAnswer {
  readonly state: Record<string, RpcValue>;
  readonly processes: ProcessInfo[];
  readonly pid: number;
  /** The followed log's range, or undefined when it failed (a character split at its end: read again later). */
  readonly prefetched: { offset: number; length: number; text: string } | undefined;
}

export function pollCalls(knownPid: number | null, log: PlannedLogRead | null): MulticallEntry[] {
  return [
    { methodName: 'supervisor.getState', params: [] },
    { methodName: 'supervisor.getAllProcessInfo', params: [] },
    ...(knownPid ? [] : [{ methodName: 'supervisor.getPID', params: [] }]),
    ...(log ? [{ methodName: 'supervisor.readProcessStdoutLog', params: [log.program, log.offset, log.length] }] : []),
  ];
}

export function decodePoll(
  answer: readonly RpcValue[],
  knownPid: number | null,
  log: PlannedLogRead | null,
): PollAnswer {
  const state = unwrapMulticall(answer[0]) as Record<string, RpcValue>;
  const all = unwrapMulticall(answer[1]);
  const processes = (Array.isArray(all) ? all : []).map(toProcessInfo);
  const pid = knownPid || Number(unwrapMulticall(answer[2]));
  const logAnswer = answer[knownPid ? 2 : 3];
  let prefetched: PollAnswer['prefetched'];
  if (log && logAnswer !== undefined) {
    try {
      prefetched = { offset: log.offset, length: log.length, text: String(unwrapMulticall(logAnswer)) };
    } catch {
      prefetched = undefined;
    }
  }
  return { state, processes, pid, prefetched };
}
