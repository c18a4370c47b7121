/**
 * A log that supervisord serves by byte range, read from its file when the file is this node's: one range read
 * instead of an XML-RPC round trip (supervisord is single-threaded Python; its answer costs it and us a few
 * ms). The same reading as the followed program log's (program-log.ts, where it began): decoded strictly as
 * supervisord decodes it; a character split at the end (the writer half-way through it) is left for the next
 * read. A file this process may not read, no file, or bytes that are no UTF-8 send the read to supervisord.
 */
import type { Host } from '../host.js';
import type { ByteRangeSource } from './log-follower.js';

// A byte-order mark is text as supervisord reads it: dropped, the follower's byte count would fall short.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function localLogSource(files: Host['files'], path: string, served: ByteRangeSource): ByteRangeSource {
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
      // No file: supervisord says so as it does (a fault the reader knows).
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
  };
}
