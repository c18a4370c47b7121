import { describe, expect, it } from 'vitest';
import { type ByteRangeSource, LogFollower } from '../../src/core/monitor/log-follower.js';
import { RpcHttpError } from '../../src/core/supervisor/xmlrpc.js';

/** A log file served the way supervisord's readFile serves it: byte ranges, decoded strictly as UTF-8. */
class FakeLog implements ByteRangeSource {
  current = Buffer.alloc(0);
  backup: Buffer | undefined;
  calls = 0;
  append(text: string | Buffer) {
    this.current = Buffer.concat([this.current, typeof text === 'string' ? Buffer.from(text) : text]);
  }
  rotate() {
    this.backup = this.current;
    this.current = Buffer.alloc(0);
  }
  async read(offset: number, length: number) {
    this.calls++;
    const bytes = this.current.subarray(offset, offset + length);
    const text = new TextDecoder('utf-8', { fatal: true });
    try {
      return text.decode(bytes);
    } catch {
      throw new RpcHttpError(500, 'UnicodeDecodeError');
    }
  }
  async size() {
    return this.current.length;
  }
  async readRotated(offset: number) {
    return this.backup?.subarray(offset);
  }
}

/**
 * supervisord 3.x (Python 2): a range is sent as its raw bytes, which arrive as U+FFFD where they split
 * a character.
 */
class FakeLog3 extends FakeLog {
  override async read(offset: number, length: number) {
    this.calls++;
    return new TextDecoder('utf-8').decode(this.current.subarray(offset, offset + length));
  }
}

async function drain(f: LogFollower) {
  const out: string[] = [];
  for (let i = 0; i < 20; i++) out.push(...(await f.poll()).lines);
  return out;
}

describe('log follower', () => {
  it('hands out whole lines once each; a partial line waits for its newline', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log);
    log.append('one\ntw');
    expect((await f.poll()).lines).toEqual(['one']);
    log.append('o\nthree\n');
    expect((await f.poll()).lines).toEqual(['two', 'three']);
    expect((await f.poll()).lines).toEqual([]);
  });

  it('reads multi-byte characters split across writes and across read chunks', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log, { chunkBytes: 7 });
    const text = 'héllo wörld ✓ 日本語 🚀 end\nzweite Zeile ü\n';
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 5) {
      log.append(bytes.subarray(i, i + 5)); // writes that end inside characters
      await f.poll();
    }
    const f2 = new LogFollower(log, { chunkBytes: 7 });
    expect(await drain(f2)).toEqual(['héllo wörld ✓ 日本語 🚀 end', 'zweite Zeile ü']);
  });

  it('a file that ends inside a character: nothing yet, then the line once complete', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log);
    log.append('first\n');
    await f.poll();
    const rocket = Buffer.from('🚀\n');
    log.append(rocket.subarray(0, 2));
    expect((await f.poll()).lines).toEqual([]);
    log.append(rocket.subarray(2));
    expect((await f.poll()).lines).toEqual(['🚀']);
  });

  it('after a rotation, reads the rest of the old file from its backup: nothing lost or doubled', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log);
    log.append('a1\na2\n');
    expect((await f.poll()).lines).toEqual(['a1', 'a2']);
    log.append('a3\na4\n');
    log.rotate();
    log.append('b1\n');
    const r = await f.poll();
    expect(r.rotated).toBe(true);
    expect(r.lostBytes).toBe(0);
    expect(r.lines).toEqual(['a3', 'a4', 'b1']);
  });

  it('a truncated file without a matching backup is read from its start, and the gap is reported', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log);
    log.append('x1\nx2\n');
    await f.poll();
    log.current = Buffer.from('y1\n'); // cleared by clearProcessLogs, then written
    const r = await f.poll();
    expect(r).toEqual({ lines: ['y1'], rotated: true, lostBytes: null, more: false });
  });

  it('says when a poll stopped at its chunk limit with more waiting, and not when it reached the end', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log, { chunkBytes: 16 });
    log.append(Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(''));
    const first = await f.poll(2);
    expect(first.more).toBe(true);
    let rest = await f.poll(100);
    expect(rest.more).toBe(false);
    expect([...first.lines, ...rest.lines]).toHaveLength(20);
    rest = await f.poll(2);
    expect(rest).toEqual({ lines: [], rotated: false, lostBytes: 0, more: false });
  });

  it('under a fast writer with frequent rotations, every line arrives exactly once, in order', async () => {
    const log = new FakeLog();
    const f = new LogFollower(log, { chunkBytes: 300 });
    const seen: string[] = [];
    let n = 0;
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 1 + (round % 13); k++) log.append(`line ${n++} ✓ ${'x'.repeat(round % 17)}\n`);
      if (log.current.length > 900) log.rotate();
      if (round % 3 === 0) seen.push(...(await f.poll(50)).lines);
    }
    seen.push(...(await f.poll(50)).lines);
    expect(seen.map((l) => Number(l.split(' ')[1]))).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('starts near the end when asked, at a whole line', async () => {
    const log = new FakeLog();
    log.append('old 1\nold 2\nrecent 3\n');
    const f = new LogFollower(log, { startTailBytes: 12 });
    log.append('new 4\n');
    // The tail is measured at the first poll (27 bytes): its last 12 start inside "recent 3", a partial line
    // that is skipped rather than shown cut.
    expect((await f.poll()).lines).toEqual(['new 4']);
    const wider = new LogFollower(log, { startTailBytes: 17 });
    expect((await wider.poll()).lines).toEqual(['recent 3', 'new 4']);
  });
});

describe('supervisord 3.x, which answers a range split inside a character with its raw bytes', () => {
  it('starting near the end inside a character: no false rotation, every later line once', async () => {
    for (let shift = 0; shift < 3; shift++) {
      const log = new FakeLog3();
      log.append(`${'x'.repeat(shift)}日本語のログ 1\n日本語のログ 2\n`);
      const f = new LogFollower(log, { startTailBytes: 20 });
      const first = await f.poll();
      const polls = [first];
      for (const n of [3, 4, 5, 6]) {
        log.append(`日本語のログ ${n}\n`);
        polls.push(await f.poll());
      }
      expect(
        polls.some((p) => p.rotated),
        `shift ${shift}`,
      ).toBe(false);
      const lines = polls.flatMap((p) => p.lines);
      expect(lines.filter((l) => /[3-6]$/.test(l))).toEqual([
        '日本語のログ 3',
        '日本語のログ 4',
        '日本語のログ 5',
        '日本語のログ 6',
      ]);
      expect(lines.every((l) => !l.includes('\uFFFD'))).toBe(true);
    }
  });
});
