/**
 * The followed program's stdout log: a LogFollower over the log file itself when it is this node's, else over
 * supervisord's range reads; its rotated backup read from the node's files.
 */
import type { Host, RpcTransport } from '../host.js';
import { supervisorClient } from '../supervisor/client.js';
import { type ByteRangeSource, type FollowResult, LogFollower } from './log-follower.js';

// A byte-order mark is text as supervisord reads it: dropped, the follower's byte count would fall short.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The log file's bytes read here, decoded strictly as supervisord decodes them; a character split at the end
 * (the writer half-way through it) is left for the next read. A kubelet writing 2 lines a second cost the monitor
 * an XML-RPC round trip per line (and supervisord its answer); a range read is a fraction of that. A file this
 * process may not read sends every later read to supervisord.
 */
function localSource(files: Host['files'], path: string, served: ByteRangeSource): ByteRangeSource {
  let local = true;
  return {
    read: async (offset, length) => {
      if (!local) return served.read(offset, length);
      let bytes: Buffer | undefined;
      try {
        bytes = await files.readRange(path, offset, length);
      } catch {
        local = false;
        return served.read(offset, length);
      }
      // No file: supervisord says so as it does (the engine shows "no log file yet").
      if (!bytes) return served.read(offset, length);
      // A character the writer has not finished yet waits at the end; the lines before it are handed out now.
      for (let cut = 0; cut < 4 && cut <= bytes.length; cut++) {
        try {
          return utf8.decode(bytes.subarray(0, bytes.length - cut));
        } catch {}
      }
      // Bytes that are no UTF-8 at all: supervisord's answer is the reference (3.x sends them as they are).
      return served.read(offset, length);
    },
    size: async () => (local ? ((await files.size(path).catch(() => undefined)) ?? 0) : (served.size?.() ?? 0)),
  };
}

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
      ...(local && logPath ? localSource(host.files, logPath, served) : served),
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
