/**
 * The followed program's stdout log: a LogFollower over supervisord's range reads, its rotated backup read
 * from the node's files, lines parsed as klog into the ring.
 */
import type { Host, RpcTransport } from '../host.js';
import { supervisorClient } from '../supervisor/client.js';
import { type FollowResult, LogFollower } from './log-follower.js';

/** Reads bytes [offset, end) of a local file, for the rotated backup of a log. */
export async function readFrom(files: Host['files'], path: string, offset: number): Promise<Buffer | undefined> {
  const size = await files.size(path).catch(() => undefined);
  if (size === undefined) return undefined;
  return files.readRange(path, offset, Math.max(0, size - offset));
}

export function followProgramLog(host: Host, transport: RpcTransport, name: string, logPath: string): LogFollower {
  const supervisor = supervisorClient(transport);
  return new LogFollower(
    {
      read: (offset, length) => supervisor.readProcessStdoutLog(name, offset, length),
      size: () => supervisor.stdoutLogSize(name),
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
