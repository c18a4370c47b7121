/**
 * A log that supervisord serves by byte range, read from its file when the file is this node's: one range read
 * instead of an XML-RPC round trip (supervisord is single-threaded Python; its answer costs it and us a few
 * ms). Decoded as supervisord decodes it (strictly: a range that ends inside a character is refused, and the
 * follower reads it shorter). A file this process may not read, or no file, sends the read to supervisord.
 */
import type { Host } from '../host.js';
import { type ByteRangeSource, SplitCharacter } from './log-follower.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
      try {
        return utf8.decode(bytes);
      } catch {
        throw new SplitCharacter(offset, length);
      }
    },
  };
}
