/**
 * Follows a log that supervisord serves by byte offset, reading every byte exactly once.
 *
 * supervisord's tailProcessStdoutLog is not a byte-range read (it returns the *last* bytes of the file, so
 * appending its chunks duplicates lines), and both log readers decode their range strictly as UTF-8 (a range
 * that splits a character fails). So:
 * - new bytes are read with an exact range read (readProcessStdoutLog / readLog) from the last line boundary;
 * - each read starts a few bytes early, at the end of what was already consumed: if those bytes are not
 *   what we read last time, the file was rotated or truncated (a fingerprint, no size call needed);
 * - a range that fails to decode is retried 1-3 bytes shorter (it ended inside a character);
 * - after a rotation, the rest of the old file is read from its backup (`<log>.1`) when that is readable
 *   and its bytes at the fingerprint match; otherwise the gap is reported, never papered over.
 * Only whole lines are handed out; a partial last line waits for its newline.
 */
import { RpcFault, RpcHttpError } from '../supervisor/xmlrpc.js';

export interface ByteRangeSource {
  /** Text of bytes [offset, offset + length) of the current file ('' past its end). */
  read(offset: number, length: number): Promise<string>;
  /** Current size in bytes, when the source can tell cheaply (used to start near the end). */
  size?(): Promise<number>;
  /** Bytes [offset, end) of the rotated backup file, when it can be read. */
  readRotated?(offset: number): Promise<Buffer | undefined>;
}

export interface FollowResult {
  readonly lines: string[];
  /** The file was rotated or truncated since the last poll. */
  readonly rotated: boolean;
  /** Bytes that were written but could not be read (rotated away unreadably); 0 when none. */
  readonly lostBytes: number | null;
  /** The poll stopped at its chunk limit, not at the end of what is there: more lines are waiting. */
  readonly more: boolean;
}

const FINGERPRINT_MAX = 64;
/** A line longer than this without a newline is handed out as it is, so a stuck partial line cannot grow forever. */
const MAX_PARTIAL = 64 * 1024;

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest suffix of `text` of at most `max` UTF-8 bytes that starts on a character boundary. */
function utf8Suffix(text: string, max: number): string {
  let bytes = 0;
  let i = text.length;
  while (i > 0) {
    const cp = text.codePointAt(i - 1) as number;
    // Step back over a surrogate pair as one character.
    const isLow = cp >= 0xdc00 && cp <= 0xdfff && i >= 2;
    const start = isLow ? i - 2 : i - 1;
    const b = byteLength(text.slice(start, i));
    if (bytes + b > max) break;
    bytes += b;
    i = start;
  }
  return text.slice(i);
}

/**
 * supervisord 3.x (Python 2) answers a range that begins inside a character with the raw bytes, which decode
 * as U+FFFD: the same "split character" that 4.x reports as an error, seen from the other side.
 */
const REPLACEMENT = '\uFFFD';

function isSplitCharacter(error: unknown): boolean {
  // As a direct call the handler's UnicodeDecodeError is an HTTP 500; inside a multicall, fault FAILED.
  return (error instanceof RpcHttpError && error.status === 500) || (error instanceof RpcFault && error.code === 30);
}

export class LogFollower {
  private offset = 0;
  private fingerprint = '';
  private started = false;

  constructor(
    private readonly source: ByteRangeSource,
    private readonly options: {
      chunkBytes?: number;
      startTailBytes?: number;
      /** Begin at this byte offset (a line start) instead of the file's start. */
      startOffset?: number;
    } = {},
  ) {
    this.offset = options.startOffset ?? 0;
  }

  /** Byte offset of the next unread byte (always at a line boundary). */
  get position(): number {
    return this.offset;
  }

  /**
   * Reads a range; shortens it by up to 3 bytes when it ends inside a UTF-8 character. When the file itself
   * ends inside a character (a writer half-way through one), only the fingerprint is read: nothing new yet.
   */
  private async readRange(offset: number, length: number, fingerprintBytes: number): Promise<string> {
    let lastError: unknown;
    for (let cut = 0; cut < 4 && length - cut > 0; cut++) {
      try {
        return await this.source.read(offset, length - cut);
      } catch (error) {
        if (!isSplitCharacter(error)) throw error;
        lastError = error;
      }
    }
    if (fingerprintBytes > 0) return this.source.read(offset, fingerprintBytes);
    // At the very start of a file that holds only part of a character: nothing to hand out yet.
    if (offset === 0 && length > 4) return '';
    throw lastError;
  }

  /** Where to begin: the start of the line that holds the last `startTailBytes` bytes, or the file's start. */
  private async begin(): Promise<string[]> {
    this.started = true;
    const tail = this.options.startTailBytes ?? 0;
    if (!tail || !this.source.size) return [];
    const size = await this.source.size();
    if (size <= tail) return [];
    // Start just after a newline so that the first line shown is whole; skip 0-3 bytes to a char boundary.
    const from = size - tail;
    for (let skip = 0; skip < 4; skip++) {
      try {
        const text = await this.source.read(from + skip, size - from - skip);
        if (text.startsWith(REPLACEMENT)) continue; // 3.x: began inside a character; a byte further on
        const nl = text.indexOf('\n');
        if (nl < 0) return [];
        this.offset = from + skip + byteLength(text.slice(0, nl + 1));
        this.fingerprint = utf8Suffix(text.slice(0, nl + 1), FINGERPRINT_MAX);
        return [];
      } catch (error) {
        if (!isSplitCharacter(error)) throw error;
      }
    }
    return [];
  }

  /** The range the next poll reads first, so a caller can fetch it in a batch (one multicall per tick). */
  plannedRead(): { offset: number; length: number } | null {
    if (!this.started) return null;
    const fpBytes = byteLength(this.fingerprint);
    return { offset: this.offset - fpBytes, length: (this.options.chunkBytes ?? 256 * 1024) + fpBytes };
  }

  /** `prefetched`: the answer to plannedRead() when the caller already fetched it; used if still current. */
  async poll(maxChunks = 8, prefetched?: { offset: number; length: number; text: string }): Promise<FollowResult> {
    if (!this.started) await this.begin();
    const chunk = this.options.chunkBytes ?? 256 * 1024;
    const lines: string[] = [];
    let rotated = false;
    let lostBytes: number | null = 0;
    let want = chunk;
    let usable = prefetched;
    let atEnd = false;
    for (let i = 0; i < maxChunks; i++) {
      const fpBytes = byteLength(this.fingerprint);
      const start = this.offset - fpBytes;
      const text =
        usable && usable.offset === start && usable.length === want + fpBytes
          ? usable.text
          : await this.readRange(start, want + fpBytes, fpBytes);
      usable = undefined;
      if (!text.startsWith(this.fingerprint)) {
        // Rotated or truncated: recover the old file's rest from its backup when we can prove it is the same file.
        rotated = true;
        const recovered = await this.recoverFromBackup(fpBytes);
        if (recovered === undefined) lostBytes = null;
        else lines.push(...recovered);
        this.offset = 0;
        this.fingerprint = '';
        continue;
      }
      const fresh = text.slice(this.fingerprint.length);
      // A short read means we reached the end of what is there (up to 3 bytes short: a split character).
      const reachedEnd = byteLength(text) < want + fpBytes - 3;
      const lastNl = fresh.lastIndexOf('\n');
      let consumed = lastNl >= 0 ? fresh.slice(0, lastNl + 1) : '';
      if (!consumed && byteLength(fresh) >= MAX_PARTIAL) consumed = fresh;
      if (!consumed) {
        atEnd = reachedEnd;
        if (reachedEnd) break;
        // A line longer than the chunk: read more at once rather than the same range again.
        want = Math.min(want * 2, MAX_PARTIAL + 4);
        continue;
      }
      lines.push(...splitLines(consumed.endsWith('\n') ? consumed : `${consumed}\n`));
      this.offset += byteLength(consumed);
      this.fingerprint = utf8Suffix(this.fingerprint + consumed, FINGERPRINT_MAX);
      want = chunk;
      atEnd = reachedEnd;
      if (reachedEnd) break;
    }
    return { lines, rotated, lostBytes, more: !atEnd };
  }

  private async recoverFromBackup(fpBytes: number): Promise<string[] | undefined> {
    if (!this.source.readRotated || this.offset === 0) return this.offset === 0 ? [] : undefined;
    const rest = await this.source.readRotated(this.offset - fpBytes).catch(() => undefined);
    if (!rest) return undefined;
    const fp = Buffer.from(this.fingerprint, 'utf8');
    if (!rest.subarray(0, fp.length).equals(fp)) return undefined;
    const text = rest.subarray(fp.length).toString('utf8');
    return splitLines(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  }
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop(); // text ends with '\n'
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
