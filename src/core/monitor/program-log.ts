/**
 * The followed program's stdout log: a LogFollower over the log file itself when it is this node's, else over
 * supervisord's range reads; its rotated backup read from the node's files.
 */
import type { Host, RpcTransport } from '../host.js';
import { supervisorClient } from '../supervisor/client.js';
import { localLogSource } from './local-log-source.js';
import { type ByteRangeSource, type FollowResult, LogFollower } from './log-follower.js';

/** The log's size on this node (0 when it is not there: a follower then starts at its beginning). */
const localSize = async (files: Host['files'], path: string) => (await files.size(path).catch(() => undefined)) ?? 0;

/** Reads bytes [offset, end) of a local file, for the rotated backup of a log. */
export async function readFrom(files: Host['files'], path: string, offset: number): Promise<Buffer | undefined> {
  const size = await files.size(path).catch(() => undefined);
  if (size === undefined) return undefined;
  return files.readRange(path, offset, Math.max(0, size - offset));
}

/** `local`: supervisord's files are this node's, so `logPath` (when supervisord names one) is read here. */
export function followProgramLog(
  host: Host,
  transport: RpcTransport,
  name: string,
  logPath: string,
  local: boolean,
): LogFollower {
  const supervisor = supervisorClient(transport);
  const served: ByteRangeSource = {
    read: (offset, length) => supervisor.readProcessStdoutLog(name, offset, length),
    size: () => supervisor.stdoutLogSize(name),
  };
  return new LogFollower(
    {
      ...(local && logPath
        ? { ...localLogSource(host.files, logPath, served), size: () => localSize(host.files, logPath) }
        : served),
      ...(logPath ? { readRotated: (offset: number) => readFrom(host.files, `${logPath}.1`, offset) } : {}),
    },
    { startTailBytes: 64 * 1024 },
  );
}

/** The notice a follow result calls for: rotation said once, with or without lost lines. */
export function rotationNotice(result: FollowResult, current: string | null): string | null {
  if (!result.rotated) return current;
  return result.lostBytes === null ? 'log rotated: some lines could not be read' : 'log rotated';
}
